import { type Kysely, sql } from 'kysely'

/**
 * The rollup key carries the counts, so reading one id's rows — an employee's or an account's
 * hours for a year's series, its months and days — is answered from the index alone, its rows
 * side by side, instead of one heap page per row: the heap is in time order (the rebuild and
 * the job append), so one id's rows are spread over all of it.
 */
const KEY = sql`workspace_id, dim, dim_id, sub_id, grain, bucket`

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table stats_rollup drop constraint stats_rollup_pkey`.execute(db)
  await sql`alter table stats_rollup add constraint stats_rollup_pkey primary key (${KEY})
    include (sent, views, views_human, clicks, clicks_human)`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table stats_rollup drop constraint stats_rollup_pkey`.execute(db)
  await sql`alter table stats_rollup add constraint stats_rollup_pkey primary key (${KEY})`.execute(db)
}
