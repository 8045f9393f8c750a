import { type Kysely, sql } from 'kysely'

/**
 * Rollup rows per (account, contact) pair of the deliveries: dimension `account_contact`, the
 * account as `dim_id`, the contact as `sub_id`, at every grain. An account's unique contacts
 * and top contacts, and a contact's accounts, were read from the raw events over the whole
 * range — hundreds of index probes per call. Counted here from the events the job has already
 * counted; queued ones it counts itself.
 */
const COLUMNS = sql`workspace_id, dim, dim_id, sub_id, grain, bucket, sent, views, views_human, clicks, clicks_human`
const SUMS = sql`sum(sent), sum(views), sum(views_human), sum(clicks), sum(clicks_human)`
const DIMS = sql`'workspace', 'campaign', 'variant', 'employee', 'account', 'contact', 'target_group'`

export async function up(db: Kysely<any>): Promise<void> {
  // The rollup writers' lock (api/src/stats/rollup-queries.ts): no job counts while this runs.
  await sql`select pg_advisory_xact_lock(hashtext('signet.stats_rollup'))`.execute(db)
  await sql`alter table stats_rollup drop constraint stats_rollup_dim_check`.execute(db)
  await sql`alter table stats_rollup add constraint stats_rollup_dim_check
    check (dim in (${DIMS}, 'account_contact'))`.execute(db)
  await sql`insert into stats_rollup (${COLUMNS})
    select e.workspace_id, 'account_contact', a, c, 'h', date_trunc('hour', e.occurred_at, 'UTC'),
      count(*) filter (where e.kind = 'sent'), count(*) filter (where e.kind = 'view'),
      count(*) filter (where e.kind = 'view' and e.human), count(*) filter (where e.kind = 'click'),
      count(*) filter (where e.kind = 'click' and e.human)
    from tracking_event e join delivery d on d.id = e.delivery_id
    cross join unnest(d.account_ids) a cross join unnest(d.contact_ids) c
    where not exists (select 1 from stats_queue q where q.event_id = e.id)
    group by 1, 2, 3, 4, 5, 6
    order by 6`.execute(db)
  for (const [grain, from, unit] of [
    ['d', 'h', 'day'],
    ['m', 'd', 'month'],
  ] as const)
    await sql`insert into stats_rollup (${COLUMNS})
      select workspace_id, dim, dim_id, sub_id, ${grain}, date_trunc(${unit}, bucket, 'UTC'), ${SUMS}
      from stats_rollup where dim = 'account_contact' and grain = ${from}
      group by 1, 2, 3, 4, 6
      order by 6`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('signet.stats_rollup'))`.execute(db)
  await sql`delete from stats_rollup where dim = 'account_contact'`.execute(db)
  await sql`alter table stats_rollup drop constraint stats_rollup_dim_check`.execute(db)
  await sql`alter table stats_rollup add constraint stats_rollup_dim_check check (dim in (${DIMS}))`.execute(
    db,
  )
}
