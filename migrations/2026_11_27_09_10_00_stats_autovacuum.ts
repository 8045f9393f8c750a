import { type Kysely, sql } from 'kysely'

/**
 * Statistics read the rollups and reach sets index-only, which holds only for pages the
 * visibility map marks all-visible. The rollup job updates the current buckets every few
 * seconds; with the default thresholds (a fifth of tens of millions of rows) autovacuum would
 * seldom renew the map, and every read of those pages would visit the table too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['stats_rollup', 'stats_reach'])
    await sql`alter table ${sql.table(table)} set (autovacuum_vacuum_scale_factor = 0.01,
      autovacuum_vacuum_insert_scale_factor = 0.01)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['stats_rollup', 'stats_reach'])
    await sql`alter table ${sql.table(table)} reset (autovacuum_vacuum_scale_factor,
      autovacuum_vacuum_insert_scale_factor)`.execute(db)
}
