import { type Kysely, sql } from 'kysely'

/**
 * The rollup rows of accounts, contacts and target groups for all campaigns (the nil `sub_id`)
 * also by ISO week (from Monday, UTC) and by quarter. A breakdown sums one row per target per
 * bucket: the workspace's top accounts over the last 12 months read 19 to 44 rows per account
 * (an hour, the first month's days, 12 months), depending on the day; with weeks and quarters,
 * at most 20. Built here from the days and months already counted; queued events the job
 * counts itself.
 */
const COLUMNS = sql`workspace_id, dim, dim_id, sub_id, grain, bucket, sent, views, views_human, clicks, clicks_human`
const SUMS = sql`sum(sent), sum(views), sum(views_human), sum(clicks), sum(clicks_human)`
const NIL = sql`'00000000-0000-0000-0000-000000000000'::uuid`

export async function up(db: Kysely<any>): Promise<void> {
  // The rollup writers' lock (api/src/stats/rollup-queries.ts): no job counts while this runs.
  await sql`select pg_advisory_xact_lock(hashtext('signet.stats_rollup'))`.execute(db)
  await sql`alter table stats_rollup drop constraint stats_rollup_grain_check`.execute(db)
  await sql`alter table stats_rollup add constraint stats_rollup_grain_check
    check (grain in ('h', 'd', 'w', 'm', 'q'))`.execute(db)
  for (const [grain, from, unit] of [
    ['w', 'd', 'week'],
    ['q', 'm', 'quarter'],
  ] as const)
    await sql`insert into stats_rollup (${COLUMNS})
      select workspace_id, dim, dim_id, sub_id, ${grain}, date_trunc(${unit}, bucket, 'UTC'), ${SUMS}
      from stats_rollup where grain = ${from} and sub_id = ${NIL} and dim in ('account', 'contact', 'target_group')
      group by 1, 2, 3, 4, 6
      order by 6`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('signet.stats_rollup'))`.execute(db)
  await sql`delete from stats_rollup where grain in ('w', 'q')`.execute(db)
  await sql`alter table stats_rollup drop constraint stats_rollup_grain_check`.execute(db)
  await sql`alter table stats_rollup add constraint stats_rollup_grain_check check (grain in ('h', 'd', 'm'))`.execute(
    db,
  )
}
