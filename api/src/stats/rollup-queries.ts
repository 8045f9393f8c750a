import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { NIL } from './queries.ts'
import {
  addToSets,
  assignOrdinals,
  dropOrdinals,
  rebuildSets,
  recomputeHumanClicks,
} from './reach-queries.ts'

/**
 * Writes to the rollups. Every writer — the job, a re-classification, a lead turned into an
 * account — holds the same transaction-level advisory lock, so they never interleave, and each
 * counts only events that have left the queue (the job counts the queued ones itself).
 */

const LOCK = sql`hashtext('signet.stats_rollup')`

/** Whether this transaction got the lock; another API process may be rolling up right now. */
export async function tryRollupLock(trx: Db) {
  const { rows } = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${LOCK}) as ok`.execute(trx)
  return rows[0]!.ok
}

export async function waitForRollupLock(trx: Db) {
  await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx)
}

/** Events as the rollups read them: with their delivery's accounts, contacts and leads. */
export const EVENT_COLUMNS = sql`e.id, e.workspace_id, e.campaign_id, e.variant_id, e.employee_id, e.kind, e.occurred_at, e.human,
  coalesce(d.account_ids, '{}') as account_ids, coalesce(d.contact_ids, '{}') as contact_ids,
  coalesce(d.lead_domains, '{}') as lead_domains, coalesce(d.lead_emails, '{}') as lead_emails`

/**
 * The events of CTE `ev` grouped by what their keys depend on, to the hour (every grain is made
 * of whole hours), `n` events each: a batch of clicks on a few campaigns' deliveries is a few
 * hundred groups, and each is expanded into its keys once instead of once per event.
 */
const HOURS = sql`select workspace_id, campaign_id, variant_id, employee_id, kind, human,
    date_trunc('hour', occurred_at, 'UTC') as occurred_at, account_ids, contact_ids, count(*)::int as n
  from ev group by 1, 2, 3, 4, 5, 6, 7, 8, 9`

/** The events of CTE `ev` one by one: the bulk rebuild's, where few events share a group of HOURS. */
const EACH = sql`select workspace_id, campaign_id, variant_id, employee_id, kind, human, occurred_at,
    account_ids, contact_ids, 1 as n
  from ev`

/**
 * Every rollup key the events of CTE `ev` (as HOURS or EACH) count in (see the migration for
 * what they mean); a target group's once per member of its snapshot the event reached
 * (migration create_stats_reach).
 */
const keys = (
  events: RawBuilder<unknown>,
) => sql`select e.workspace_id, e.kind, e.human, e.occurred_at, e.n, x.dim, x.dim_id, x.sub_id
  from (${events}) e cross join lateral (
    select 'workspace' as dim, ${NIL}::uuid as dim_id, ${NIL}::uuid as sub_id
    union all select 'campaign', e.campaign_id, ${NIL}::uuid
    union all select 'variant', e.variant_id, ${NIL}::uuid where e.variant_id is not null
    union all select 'employee', e.employee_id, s from unnest(array[${NIL}::uuid, e.campaign_id]) s
      where e.employee_id is not null
    union all select 'account', a, s from unnest(e.account_ids) a, unnest(array[${NIL}::uuid, e.campaign_id]) s
    union all select 'contact', c, s from unnest(e.contact_ids) c, unnest(array[${NIL}::uuid, e.campaign_id]) s
    union all select 'account_contact', a, c from unnest(e.account_ids) a, unnest(e.contact_ids) c
    union all select 'target_group', gm.group_id, ${NIL}::uuid from stats_group_member gm
      where gm.workspace_id = e.workspace_id and gm.kind = 'account' and gm.member_id = any(e.account_ids)
    union all select 'target_group', gm.group_id, ${NIL}::uuid from stats_group_member gm
      where gm.workspace_id = e.workspace_id and gm.kind = 'contact' and gm.member_id = any(e.contact_ids)
  ) x`

/**
 * Whether a key of `keys` has hourly rows: all but an employee's per campaign, whose edge hours
 * the raw events answer cheaply (by employee and time) and which would be many tiny rows.
 */
const HOURLY = sql`(k.sub_id = ${NIL}::uuid or k.dim <> 'employee')`

/** Whether a key of `keys` is a target's for all campaigns: an account, contact or target group. */
const TARGET = sql`(k.sub_id = ${NIL}::uuid and k.dim in ('account', 'contact', 'target_group'))`

/**
 * The grains of a key of `keys`: hours (see HOURLY), days and months; a target's rows for all
 * campaigns also weeks and quarters, so a breakdown over thousands of targets reads few rows
 * per target (`coverRange`). Other rows are read a few ids at a time, and every grain costs
 * the job a row per key.
 */
const GRAINS = sql`join (values ('h', 'hour'), ('d', 'day'), ('w', 'week'), ('m', 'month'), ('q', 'quarter')) as g(grain, unit)
  on (g.grain <> 'h' or ${HOURLY}) and (g.grain not in ('w', 'q') or ${TARGET})`

export const SUMS = sql`sum(sent), sum(views), sum(views_human), sum(clicks), sum(clicks_human)`

/** The counts of a group of `keys` rows, times `sign`. */
function keyCounts(sign: 1 | -1) {
  const count = (filter: RawBuilder<unknown>) => sql`${sign} * coalesce(sum(k.n) filter (where ${filter}), 0)`
  return sql.join([
    count(sql`k.kind = 'sent'`),
    count(sql`k.kind = 'view'`),
    count(sql`k.kind = 'view' and k.human`),
    count(sql`k.kind = 'click'`),
    count(sql`k.kind = 'click' and k.human`),
  ])
}

/**
 * Builds the rollups and leads anew from every event, in bulk: hourly rows (an employee's per
 * campaign: daily) from the events, then days from hours, weeks and months from days, quarters
 * from months (weeks and quarters only for targets, see GRAINS). For a first build over a
 * large history (the benchmark, a restore). One repeatable-read transaction holding the lock,
 * so the events counted and the queue emptied are the same.
 */
export function rebuildAll(db: Db) {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      await waitForRollupLock(trx)
      await rebuildStatements(trx)
    })
}

/**
 * Rows are written in time order, as the job appends them: the job's updates to the current
 * buckets then touch only the newest pages, and reads of past buckets stay index-only.
 */
async function rebuildStatements(trx: Db) {
  await sql`set local work_mem = '256MB'`.execute(trx)
  await sql`truncate stats_rollup, stats_lead`.execute(trx)
  await sql`delete from stats_queue`.execute(trx)
  await sql`with ev as (select ${EVENT_COLUMNS} from tracking_event e left join delivery d on d.id = e.delivery_id)
    insert into stats_rollup (workspace_id, dim, dim_id, sub_id, grain, bucket, sent, views, views_human, clicks, clicks_human)
    select k.workspace_id, k.dim, k.dim_id, k.sub_id, case when ${HOURLY} then 'h' else 'd' end,
      date_trunc(case when ${HOURLY} then 'hour' else 'day' end, k.occurred_at, 'UTC'), ${keyCounts(1)}
    from (${keys(EACH)}) k group by 1, 2, 3, 4, 5, 6
    order by 6`.execute(trx)
  for (const [grain, from, unit] of [
    ['d', 'h', 'day'],
    ['w', 'd', 'week'],
    ['m', 'd', 'month'],
    ['q', 'm', 'quarter'],
  ] as const)
    await sql`insert into stats_rollup (workspace_id, dim, dim_id, sub_id, grain, bucket, sent, views, views_human, clicks, clicks_human)
      select workspace_id, dim, dim_id, sub_id, ${grain}, date_trunc(${unit}, bucket, 'UTC'), ${SUMS}
      from stats_rollup k where grain = ${from} ${grain === 'w' || grain === 'q' ? sql`and ${TARGET}` : sql``}
      group by 1, 2, 3, 4, 6
      order by 6`.execute(trx)
  await sql`with ev as (select ${EVENT_COLUMNS} from tracking_event e join delivery d on d.id = e.delivery_id
      where e.kind = 'click' and (d.lead_domains <> '{}' or d.lead_emails <> '{}'))
    ${UPSERT_LEADS}`.execute(trx)
  await rebuildSets(trx, EVENT_COLUMNS)
}

/** The keys of `keys` that are one account's or contact's rows, with the other kind of target. */
function ownRows(only: { dim: 'account' | 'contact'; id: string }) {
  const pair = only.dim === 'account' ? sql`k.dim_id` : sql`k.sub_id`
  return sql`((k.dim = ${only.dim} and k.dim_id = ${only.id}::uuid)
    or (k.dim = 'account_contact' and ${pair} = ${only.id}::uuid))`
}

/**
 * Adds (`sign` 1) or takes away (-1) the events of CTE `ev` in every rollup row they count
 * in: the workspace, campaign, variant, employee, and each account and contact of the
 * delivery, for all campaigns and per campaign, and each (account, contact) pair, at every grain
 * (see GRAINS). `only` limits it to one account's or contact's rows. Rows are written in key order, so two writers could
 * not deadlock even without the lock.
 */
function upsertRollups(sign: 1 | -1, only?: { dim: 'account' | 'contact'; id: string }) {
  return sql`insert into stats_rollup as r (workspace_id, dim, dim_id, sub_id, grain, bucket,
      sent, views, views_human, clicks, clicks_human)
    select k.workspace_id, k.dim, k.dim_id, k.sub_id, g.grain, date_trunc(g.unit, k.occurred_at, 'UTC'),
      ${keyCounts(sign)}
    from (${keys(HOURS)}) k ${GRAINS}
    ${only ? sql`where ${ownRows(only)}` : sql``}
    group by 1, 2, 3, 4, 5, 6
    order by 1, 2, 3, 4, 5, 6
    on conflict (workspace_id, dim, dim_id, sub_id, grain, bucket) do update set
      sent = r.sent + excluded.sent, views = r.views + excluded.views,
      views_human = r.views_human + excluded.views_human, clicks = r.clicks + excluded.clicks,
      clicks_human = r.clicks_human + excluded.clicks_human`
}

/** Adds the clicks of CTE `ev` to their leads: the delivery's unmanaged domains and emails. */
const UPSERT_LEADS = sql`insert into stats_lead as l (workspace_id, kind, value, clicks, clicks_human,
    first_click_at, last_click_at, first_human_click_at, last_human_click_at, campaign_ids)
  select e.workspace_id, x.kind, x.value, count(*), count(*) filter (where e.human),
    min(e.occurred_at), max(e.occurred_at),
    min(e.occurred_at) filter (where e.human), max(e.occurred_at) filter (where e.human),
    array_agg(distinct e.campaign_id)
  from ev e cross join lateral (
    select 'domain' as kind, v as value from unnest(e.lead_domains) v
    union all select 'email', v from unnest(e.lead_emails) v
  ) x
  where e.kind = 'click'
  group by 1, 2, 3
  order by 1, 2, 3
  on conflict (workspace_id, kind, value) do update set
    clicks = l.clicks + excluded.clicks, clicks_human = l.clicks_human + excluded.clicks_human,
    first_click_at = least(l.first_click_at, excluded.first_click_at),
    last_click_at = greatest(l.last_click_at, excluded.last_click_at),
    first_human_click_at = least(l.first_human_click_at, excluded.first_human_click_at),
    last_human_click_at = greatest(l.last_human_click_at, excluded.last_human_click_at),
    campaign_ids = array(select distinct unnest(l.campaign_ids || excluded.campaign_ids))`

/**
 * Takes up to `limit` queued events, oldest first, into the rollups and sets; answers how many.
 * `beforeCounting` sees the batch first, taken off the queue but not counted yet.
 */
export async function rollUpQueued(
  trx: Db,
  limit: number,
  beforeCounting?: (ids: string[]) => Promise<void>,
) {
  const { rows } = await sql<{ event_id: string }>`
    delete from stats_queue where event_id in (
      select event_id from stats_queue order by event_id limit ${limit}
    ) returning event_id`.execute(trx)
  if (!rows.length) return 0
  const ids = rows.map((r) => r.event_id)
  await beforeCounting?.(ids)
  const batch = sql`e.id = any(${ids}::bigint[])`
  await assignOrdinals(trx, batch)
  await sql`
    with ev as (
      select ${EVENT_COLUMNS} from tracking_event e left join delivery d on d.id = e.delivery_id where ${batch}
    ), rolled as (${upsertRollups(1)}), leads as (${UPSERT_LEADS}), sets as (${addToSets()})
    select 1`.execute(trx)
  return rows.length
}

/** Events already in the rollups, chosen by `where` over `e` (tracking_event) and `d` (delivery). */
export function countedEvents(where: RawBuilder<unknown>) {
  return sql`select ${EVENT_COLUMNS} from tracking_event e left join delivery d on d.id = e.delivery_id
    where ${where} and not exists (select 1 from stats_queue q where q.event_id = e.id)`
}

/**
 * Adds or takes away counted events in the rollups (a re-classification does both around its
 * update). Adding also adds them to the reach sets; taking away leaves the sets to
 * `recountHumanClicks`, since a set cannot subtract.
 */
export async function applyToRollups(
  trx: Db,
  where: RawBuilder<unknown>,
  sign: 1 | -1,
  only?: { dim: 'account' | 'contact'; id: string },
) {
  if (sign === -1) {
    await sql`with ev as (${countedEvents(where)}) ${upsertRollups(sign, only)}`.execute(trx)
    return
  }
  await assignOrdinals(trx, where)
  await sql`with ev as (${countedEvents(where)}), rolled as (${upsertRollups(sign, only)}), sets as (${addToSets(only)})
    select 1`.execute(trx)
}

/** After a merge: the merged contacts' ordinals leave the sets of the moved events `where` picks. */
export async function dropMergedFromSets(
  trx: Db,
  where: RawBuilder<unknown>,
  workspaceId: WorkspaceId,
  to: string,
  from: string[],
) {
  await sql`with ev as (${countedEvents(where)}), ${dropOrdinals(workspaceId, to, from)}`.execute(trx)
}

/** Brings the `clicked_human` sets in line with a click that changed class. */
export function recountHumanClicks(trx: Db, eventId: string) {
  return recomputeHumanClicks(trx, EVENT_COLUMNS, eventId)
}

/** Rebuilds leads from their counted clicks, after a change that can move a first or last click. */
export async function recountLeads(
  trx: Db,
  workspaceId: WorkspaceId,
  kind: 'domain' | 'email',
  values: string[],
) {
  if (!values.length) return
  const column = kind === 'domain' ? sql`d.lead_domains` : sql`d.lead_emails`
  await sql`delete from stats_lead where workspace_id = ${workspaceId} and kind = ${kind} and value = any(${values}::text[])`.execute(
    trx,
  )
  await sql`with ev as (
      select e.id, e.workspace_id, e.campaign_id, e.kind, e.occurred_at, e.human,
        ${kind === 'domain' ? sql`array(select unnest(d.lead_domains) intersect select unnest(${values}::text[]))` : sql`'{}'::text[]`} as lead_domains,
        ${kind === 'email' ? sql`array(select unnest(d.lead_emails) intersect select unnest(${values}::text[]))` : sql`'{}'::text[]`} as lead_emails
      from delivery d join tracking_event e on e.delivery_id = d.id
      where d.workspace_id = ${workspaceId} and ${column} && ${values}::text[] and e.kind = 'click'
        and not exists (select 1 from stats_queue q where q.event_id = e.id)
    ) ${UPSERT_LEADS}`.execute(trx)
}

/** Seconds the oldest queued event has waited, and how many wait (in one workspace, or all). */
export async function queueLag(db: Db, workspaceId?: WorkspaceId) {
  const { rows } = await sql<{ waiting: number; seconds: number | null }>`
    select count(*)::int as waiting, extract(epoch from now() - min(q.queued_at))::float8 as seconds
    from stats_queue q
    ${workspaceId ? sql`join tracking_event e on e.id = q.event_id where e.workspace_id = ${workspaceId}` : sql``}`.execute(
    db,
  )
  return rows[0]!
}
