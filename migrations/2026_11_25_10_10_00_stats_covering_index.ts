import { type Kysely, sql } from 'kysely'

/**
 * Breakdowns and unique counts read many rollup rows of one dimension; with the counts in the
 * index they are answered from the index alone (rollup rows of past buckets never change, so
 * they stay all-visible). Contacts are no longer rolled up per campaign (a contact's few events
 * answer that from the raw events), so rows of that kind are dropped.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from stats_rollup where dim = 'contact' and sub_id <> '00000000-0000-0000-0000-000000000000'`.execute(
    db,
  )
  await sql`drop index stats_rollup_breakdown_idx`.execute(db)
  await sql`create index stats_rollup_breakdown_idx on stats_rollup
    (workspace_id, dim, sub_id, grain, bucket) include (dim_id, sent, views, views_human, clicks, clicks_human)`.execute(
    db,
  )
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index stats_rollup_breakdown_idx`.execute(db)
  await sql`create index stats_rollup_breakdown_idx on stats_rollup (workspace_id, dim, sub_id, grain, bucket)`.execute(
    db,
  )
}
