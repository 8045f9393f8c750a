import { type Kysely, sql } from 'kysely'

/**
 * Per-campaign rollup rows for contacts (they had none, so a campaign's top contacts and a
 * contact's campaigns missed the days and months the rollups answered), and hourly per-campaign
 * rows for accounts and contacts too, so a day that starts inside a UTC hour (Berlin: 23:00)
 * no longer reads that hour from the raw events. Employees keep daily per-campaign rows.
 * Counted here from the events the job has already counted; queued ones it counts itself.
 */
const NIL = sql`'00000000-0000-0000-0000-000000000000'::uuid`
const COLUMNS = sql`workspace_id, dim, dim_id, sub_id, grain, bucket, sent, views, views_human, clicks, clicks_human`
const SUMS = sql`sum(sent), sum(views), sum(views_human), sum(clicks), sum(clicks_human)`

export async function up(db: Kysely<any>): Promise<void> {
  // The rollup writers' lock (api/src/stats/rollup-queries.ts): no job counts while this runs.
  await sql`select pg_advisory_xact_lock(hashtext('signet.stats_rollup'))`.execute(db)
  await sql`insert into stats_rollup (${COLUMNS})
    select e.workspace_id, x.dim, x.id, e.campaign_id, 'h', date_trunc('hour', e.occurred_at, 'UTC'),
      count(*) filter (where e.kind = 'sent'), count(*) filter (where e.kind = 'view'),
      count(*) filter (where e.kind = 'view' and e.human), count(*) filter (where e.kind = 'click'),
      count(*) filter (where e.kind = 'click' and e.human)
    from tracking_event e join delivery d on d.id = e.delivery_id
    cross join lateral (
      select 'account' as dim, a as id from unnest(d.account_ids) a
      union all select 'contact', c from unnest(d.contact_ids) c
    ) x
    where not exists (select 1 from stats_queue q where q.event_id = e.id)
    group by 1, 2, 3, 4, 5, 6
    order by 6`.execute(db)
  // Contacts' per-campaign days and months, from those hours (accounts' exist already).
  for (const [grain, from, unit] of [
    ['d', 'h', 'day'],
    ['m', 'd', 'month'],
  ] as const)
    await sql`insert into stats_rollup (${COLUMNS})
      select workspace_id, dim, dim_id, sub_id, ${grain}, date_trunc(${unit}, bucket, 'UTC'), ${SUMS}
      from stats_rollup where dim = 'contact' and sub_id <> ${NIL} and grain = ${from}
      group by 1, 2, 3, 4, 6
      order by 6`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('signet.stats_rollup'))`.execute(db)
  await sql`delete from stats_rollup where dim = 'contact' and sub_id <> ${NIL}`.execute(db)
  await sql`delete from stats_rollup where dim = 'account' and sub_id <> ${NIL} and grain = 'h'`.execute(db)
}
