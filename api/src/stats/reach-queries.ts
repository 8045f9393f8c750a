import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import { NIL } from './queries.ts'

/**
 * Writes to the reach sets (migration create_stats_reach): which accounts and contacts the
 * workspace, a campaign, an employee or a target group reached, clicked, or clicked as a human,
 * per bucket, as sets of ordinals. Sets only grow when events are added; a re-classification
 * recomputes the bits it touches. Callers hold the rollup lock (rollup-queries.ts).
 */

/** Ordinals per chunk row; a chunk holds up to SPARSE of them as an array, more as a bitmap. */
export const CHUNK = 8192
const SPARSE = 64
/** A bitmap with only its first bit set; `>> n` sets bit n. */
export const ONE = sql`B'1'::bit(8192)`

/** Gives an ordinal to every account and contact of the deliveries of the events `where` picks (over `e`, `d`). */
export async function assignOrdinals(trx: Db, where: RawBuilder<unknown>) {
  await sql`insert into stats_ordinal (workspace_id, kind, id, ord)
    select n.workspace_id, n.kind, n.id,
      coalesce((select max(o.ord) from stats_ordinal o where o.workspace_id = n.workspace_id and o.kind = n.kind), -1)
        + row_number() over (partition by n.workspace_id, n.kind order by n.id)
    from (
      select distinct d.workspace_id, x.kind, x.id
      from tracking_event e join delivery d on d.id = e.delivery_id
      cross join lateral (
        select 'account' as kind, a as id from unnest(d.account_ids) a
        union all select 'contact', c from unnest(d.contact_ids) c
      ) x
      where ${where}
    ) n
    where not exists (select 1 from stats_ordinal o where o.workspace_id = n.workspace_id and o.kind = n.kind and o.id = n.id)
    on conflict do nothing`.execute(trx)
}

/**
 * Every (aggregate, target) an event of CTE `ev` counts in, with the target's ordinal. A target
 * group counts the other kind of target of its members' deliveries (an account group: their
 * contacts); its own kind is the workspace's set masked by the members.
 */
const KEYS = sql`select e.workspace_id, s.dim, s.dim_id, t.target, t.id, o.ord, e.kind, e.human, e.occurred_at
  from ev e
  cross join lateral (
    select 'account' as target, a as id from unnest(e.account_ids) a
    union all select 'contact', c from unnest(e.contact_ids) c
  ) t
  join stats_ordinal o on o.workspace_id = e.workspace_id and o.kind = t.target and o.id = t.id
  cross join lateral (
    select 'workspace' as dim, ${NIL}::uuid as dim_id
    union all select 'campaign', e.campaign_id
    union all select 'employee', e.employee_id where e.employee_id is not null
    union all (select distinct 'target_group', gm.group_id from stats_group_member gm
      where gm.workspace_id = e.workspace_id and gm.kind = 'account' and t.target = 'contact'
        and gm.member_id = any(e.account_ids))
    union all (select distinct 'target_group', gm.group_id from stats_group_member gm
      where gm.workspace_id = e.workspace_id and gm.kind = 'contact' and t.target = 'account'
        and gm.member_id = any(e.contact_ids))
  ) s`

/** Employees have no hourly sets (too many tiny ones); their edge hours come from the raw events. */
const GRAINS = sql`join (values ('h', 'hour'), ('d', 'day'), ('m', 'month')) as g(grain, unit)
  on g.grain <> 'h' or k.dim <> 'employee'`

/** The set members of CTE `ev`, one row per (set key, ordinal); `only` keeps one target's. */
function reachRows(only?: { dim: 'account' | 'contact'; id: string }, dim?: { dim: string; id: string }) {
  const where: RawBuilder<unknown>[] = [sql`true`]
  if (only) where.push(sql`k.target = ${only.dim} and k.id = ${only.id}::uuid`)
  if (dim) where.push(sql`k.dim = ${dim.dim} and k.dim_id = ${dim.id}::uuid`)
  return sql`select k.workspace_id, k.dim, k.dim_id, k.target, g.grain, date_trunc(g.unit, k.occurred_at, 'UTC') as bucket,
      f.flag, k.ord
    from (${KEYS}) k
    cross join lateral (
      select 'reached' as flag
      union all select 'clicked' where k.kind = 'click'
      union all select 'clicked_human' where k.kind = 'click' and k.human
    ) f
    ${GRAINS}
    where ${sql.join(where, sql` and `)}`
}

const STAY_SPARSE = sql`r.bits is null and excluded.bits is null
  and cardinality(signet_ords_union(r.ords, excluded.ords)) <= ${SPARSE}`

/** Adds rows of (key…, ord) to the sets, chunk by chunk; a chunk turns into a bitmap past SPARSE. */
function upsertSets(rows: RawBuilder<unknown>) {
  return sql`insert into stats_reach as r (workspace_id, dim, dim_id, target, grain, bucket, flag, chunk, bits, ords)
    select workspace_id, dim, dim_id, target, grain, bucket, flag, ord / ${CHUNK},
      case when count(distinct ord) > ${SPARSE} then bit_or(${ONE} >> (ord % ${CHUNK})) end,
      case when count(distinct ord) <= ${SPARSE} then array_agg(distinct (ord % ${CHUNK})::smallint) end
    from (${rows}) x
    group by 1, 2, 3, 4, 5, 6, 7, 8
    order by 1, 2, 3, 4, 5, 6, 7, 8
    on conflict (workspace_id, dim, dim_id, target, grain, bucket, flag, chunk) do update set
      bits = case when ${STAY_SPARSE} then null
        else coalesce(r.bits, signet_bits(r.ords)) | coalesce(excluded.bits, signet_bits(excluded.ords)) end,
      ords = case when ${STAY_SPARSE} then signet_ords_union(r.ords, excluded.ords) end`
}

/** Adds the events of CTE `ev` to the sets (a CTE body: use inside `with ev as (…), x as (…)`). */
export function addToSets(
  only?: { dim: 'account' | 'contact'; id: string },
  dim?: { dim: string; id: string },
) {
  return upsertSets(reachRows(only, dim))
}

/**
 * After a merge moved the deliveries of contacts `from` to the contact `to`: the moved events'
 * sets (CTE `ev`, read after the move, so they name `to`, whose ordinal they already hold) drop
 * the ordinals of `from`, so a person reached as two contacts is counted once.
 */
export function dropOrdinals(workspaceId: string, to: string, from: string[]) {
  return sql`keys as (
      select distinct workspace_id, dim, dim_id, target, grain, bucket, flag
      from (${reachRows({ dim: 'contact', id: to })}) k
    ), gone as (
      select o.ord / ${CHUNK} as chunk, bit_or(${ONE} >> (o.ord % ${CHUNK})) as mask,
        array_agg((o.ord % ${CHUNK})::smallint) as offs
      from stats_ordinal o
      where o.workspace_id = ${workspaceId} and o.kind = 'contact' and o.id = any(${from}::uuid[])
      group by 1
    )
    update stats_reach r set
      bits = case when r.bits is not null then r.bits & ~g.mask end,
      ords = case when r.ords is not null then array(select x from unnest(r.ords) x where x <> all(g.offs)) end
    from keys k, gone g
    where r.workspace_id = k.workspace_id and r.dim = k.dim and r.dim_id = k.dim_id and r.target = k.target
      and r.grain = k.grain and r.bucket = k.bucket and r.flag = k.flag and r.chunk = g.chunk`
}

/**
 * Builds every set from scratch over all events, in bulk: first one row per (set key, ordinal,
 * hour) with its flags, then the hours, days and months from those.
 */
export async function rebuildSets(trx: Db, eventColumns: RawBuilder<unknown>) {
  await sql`delete from stats_reach`.execute(trx)
  await assignOrdinals(trx, sql`true`)
  await sql`create temporary table reach_hour on commit drop as
    with ev as (select ${eventColumns} from tracking_event e join delivery d on d.id = e.delivery_id)
    select k.workspace_id, k.dim, k.dim_id, k.target, k.ord, date_trunc('hour', k.occurred_at, 'UTC') as hour,
      bool_or(k.kind = 'click') as clicked, bool_or(k.kind = 'click' and k.human) as clicked_human
    from (${KEYS}) k group by 1, 2, 3, 4, 5, 6`.execute(trx)
  for (const [grain, unit] of [
    ['h', 'hour'],
    ['d', 'day'],
    ['m', 'month'],
  ] as const)
    await sql`insert into stats_reach (workspace_id, dim, dim_id, target, grain, bucket, flag, chunk, bits, ords)
      select workspace_id, dim, dim_id, target, ${grain}, bucket, flag, ord / ${CHUNK},
        case when count(distinct ord) > ${SPARSE} then bit_or(${ONE} >> (ord % ${CHUNK})) end,
        case when count(distinct ord) <= ${SPARSE} then array_agg(distinct (ord % ${CHUNK})::smallint) end
      from (
        select h.workspace_id, h.dim, h.dim_id, h.target, date_trunc(${unit}, h.hour, 'UTC') as bucket, f.flag, h.ord
        from reach_hour h cross join lateral (
          select 'reached' as flag
          union all select 'clicked' where h.clicked
          union all select 'clicked_human' where h.clicked_human
        ) f
        ${grain === 'h' ? sql`where h.dim <> 'employee'` : sql``}
      ) x
      group by 1, 2, 3, 4, 6, 7, 8`.execute(trx)
}

/**
 * After a click changed class, sets or clears its targets' bits in the `clicked_human` sets:
 * set while any counted human click of that aggregate reaches the target in that bucket.
 */
export async function recomputeHumanClicks(trx: Db, eventColumns: RawBuilder<unknown>, eventId: string) {
  const keys = sql`with ev as (select ${eventColumns} from tracking_event e left join delivery d on d.id = e.delivery_id
      where e.id = ${eventId}::bigint),
    k as (select distinct k.workspace_id, k.dim, k.dim_id, k.target, k.id, k.ord, g.grain,
        date_trunc(g.unit, k.occurred_at, 'UTC') as bucket, ('1 ' || g.unit)::interval as span
      from (${KEYS}) k ${GRAINS}),
    v as materialized (select k.*, exists (
        select 1 from delivery d2 join tracking_event e2 on e2.delivery_id = d2.id
        where d2.workspace_id = k.workspace_id
          and ((k.target = 'account' and d2.account_ids @> array[k.id])
            or (k.target = 'contact' and d2.contact_ids @> array[k.id]))
          and e2.kind = 'click' and e2.human and e2.occurred_at >= k.bucket and e2.occurred_at < k.bucket + k.span
          and case k.dim when 'workspace' then true
            when 'campaign' then e2.campaign_id = k.dim_id
            when 'employee' then e2.employee_id = k.dim_id
            else exists (select 1 from stats_group_member gm where gm.group_id = k.dim_id
              and gm.member_id = any(case when gm.kind = 'account' then d2.account_ids else d2.contact_ids end)) end
          and not exists (select 1 from stats_queue q where q.event_id = e2.id)
      ) as human_click from k)`
  await sql`${keys} ${upsertSets(sql`select workspace_id, dim, dim_id, target, grain, bucket, 'clicked_human' as flag, ord
    from v where human_click`)}`.execute(trx)
  await sql`${keys} update stats_reach r set
      bits = case when r.bits is not null then r.bits & ~c.mask end,
      ords = case when r.ords is not null then array(select x from unnest(r.ords) x where x <> all(c.offs)) end
    from (
      select workspace_id, dim, dim_id, target, grain, bucket, ord / ${CHUNK} as chunk,
        bit_or(${ONE} >> (ord % ${CHUNK})) as mask, array_agg((ord % ${CHUNK})::smallint) as offs
      from v where not human_click group by 1, 2, 3, 4, 5, 6, 7
    ) c
    where r.workspace_id = c.workspace_id and r.dim = c.dim and r.dim_id = c.dim_id and r.target = c.target
      and r.grain = c.grain and r.bucket = c.bucket and r.flag = 'clicked_human' and r.chunk = c.chunk`.execute(
    trx,
  )
}
