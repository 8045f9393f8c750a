import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import type { StatsDim } from '../db/stats-schema.ts'
import { coverRange, type Part, type RollupGrain, type Span } from './range.ts'

/**
 * Reads of the statistics. Every figure is a sum over rows of one shape — an id and five
 * counts — taken from the rollups where a grain covers the part of the range, and from the raw
 * events (joined to their delivery) where none does. Both sides count the same way, so a
 * figure is exact whichever side answers it.
 */

export const NIL = '00000000-0000-0000-0000-000000000000'

/** What the rows are grouped by: nothing (totals) or a dimension (breakdowns, unique counts). */
export type Key = 'none' | 'account' | 'contact' | 'campaign' | 'variant' | 'employee'

/** The events a statistic is about. `members` selects the ids of a target group's members. */
export type Subject =
  | { scope: 'workspace' }
  | { scope: 'campaign' | 'variant' | 'employee' | 'account' | 'contact'; id: string }
  | {
      scope: 'target_group'
      id: string
      kind: 'account' | 'contact'
      members: RawBuilder<unknown>
      /** Whether the group's own rollups count exactly its live members (`groups.ts`). */
      fresh: boolean
    }

/** Which rollup rows hold a subject's events keyed by `key`, and at which grains. */
interface RollupSource {
  dim: StatsDim
  dimId: string | RawBuilder<unknown> | null
  /** The nil sub-id, any other (each campaign, each contact of an account), or the given ones. */
  sub: 'nil' | 'any' | string | RawBuilder<unknown>
  key: 'const' | 'dim_id' | 'sub_id'
  grains: readonly RollupGrain[]
}

/**
 * The grains of each kind of row (GRAINS in rollup-queries.ts writes them): the rows of a
 * target (account, contact, target group) for all campaigns also by week and quarter, since a
 * breakdown sums one row per target per bucket over long ranges.
 */
const TARGETS: RollupGrain[] = ['h', 'd', 'w', 'm', 'q']
const ALL: RollupGrain[] = ['h', 'd', 'm']
const DAYS: RollupGrain[] = ['d', 'm']

const target = (dim: string) => dim === 'account' || dim === 'contact'

/** The rollup rows for a subject and key; undefined when only the raw events can answer. */
export function rollupSource(subject: Subject, key: Key): RollupSource | undefined {
  const s = subject.scope
  if (s === 'workspace') {
    if (key === 'none') return { dim: 'workspace', dimId: NIL, sub: 'nil', key: 'const', grains: ALL }
    return { dim: key, dimId: null, sub: 'nil', key: 'dim_id', grains: target(key) ? TARGETS : ALL }
  }
  if (s === 'target_group') {
    // The group's own rollups when they count its live members (groups.ts), else its members' rows.
    if (key === 'none' && subject.fresh)
      return { dim: 'target_group', dimId: subject.id, sub: 'nil', key: 'const', grains: TARGETS }
    if (key === subject.kind || key === 'none')
      return {
        dim: subject.kind,
        dimId: subject.members,
        sub: 'nil',
        key: key === 'none' ? 'const' : 'dim_id',
        grains: TARGETS,
      }
    if (key === 'campaign')
      return { dim: subject.kind, dimId: subject.members, sub: 'any', key: 'sub_id', grains: ALL }
    // The other kind of target: the rows of each (account, contact) pair of the members.
    if (key === 'contact')
      return { dim: 'account_contact', dimId: subject.members, sub: 'any', key: 'sub_id', grains: ALL }
    if (key === 'account')
      return { dim: 'account_contact', dimId: null, sub: subject.members, key: 'dim_id', grains: ALL }
    return undefined
  }
  // A variant belongs to one campaign, so a campaign's variants are their own rows; within any
  // other scope the raw events name the variant.
  if (key === 'variant' && s === 'campaign')
    return {
      dim: 'variant',
      dimId: sql`select v.id from campaign_variant v where v.campaign_id = ${subject.id}::uuid`,
      sub: 'nil',
      key: 'dim_id',
      grains: ALL,
    }
  if (key === 'variant' && s !== 'variant') return undefined
  if (key === 'none' || key === s)
    return {
      dim: s,
      dimId: subject.id,
      sub: 'nil',
      key: key === 'none' ? 'const' : 'dim_id',
      grains: target(s) ? TARGETS : ALL,
    }
  // Per-campaign rows of an employee are daily: the raw events of an employee's hour are few.
  if (s === 'campaign')
    return { dim: key, dimId: null, sub: subject.id, key: 'dim_id', grains: key === 'employee' ? DAYS : ALL }
  if (s === 'account' && key === 'contact')
    return { dim: 'account_contact', dimId: subject.id, sub: 'any', key: 'sub_id', grains: ALL }
  if (s === 'contact' && key === 'account')
    return { dim: 'account_contact', dimId: null, sub: subject.id, key: 'dim_id', grains: ALL }
  if ((s === 'employee' || s === 'account' || s === 'contact') && key === 'campaign')
    return {
      dim: s,
      dimId: subject.id,
      sub: 'any',
      key: 'sub_id',
      grains: s === 'employee' ? DAYS : ALL,
    }
  return undefined
}

const COUNTS = sql`sum(sent)::int as sent, sum(views)::int as views, sum(views_human)::int as views_human,
  sum(clicks)::int as clicks, sum(clicks_human)::int as clicks_human`

function timeFilter(column: RawBuilder<unknown>, parts: Part[]) {
  return sql.join(
    parts.map(
      (p) =>
        sql`(${column} >= ${p.from.toISOString()}::timestamptz and ${column} < ${p.to.toISOString()}::timestamptz)`,
    ),
    sql` or `,
  )
}

/** One index range scan per part, so each is a plain range over (dimension, grain, bucket). */
function rollupRows(workspaceId: WorkspaceId, source: RollupSource, parts: Part[]) {
  const keyColumn = source.key === 'const' ? sql`${NIL}::uuid` : sql.ref(`r.${source.key}`)
  const dimId =
    source.dimId === null
      ? sql`true`
      : typeof source.dimId === 'string'
        ? sql`r.dim_id = ${source.dimId}::uuid`
        : sql`r.dim_id in (${source.dimId})`
  const sub =
    source.sub === 'nil'
      ? sql`r.sub_id = ${NIL}::uuid`
      : source.sub === 'any'
        ? sql`r.sub_id <> ${NIL}::uuid`
        : typeof source.sub === 'string'
          ? sql`r.sub_id = ${source.sub}::uuid`
          : sql`r.sub_id in (${source.sub})`
  return sql.join(
    parts.map(
      (
        p,
      ) => sql`select ${keyColumn} as id, r.bucket as at, r.sent, r.views, r.views_human, r.clicks, r.clicks_human
        from stats_rollup r
        where r.workspace_id = ${workspaceId} and r.dim = ${source.dim} and ${dimId} and ${sub}
          and r.grain = ${p.grain} and r.bucket >= ${p.from.toISOString()}::timestamptz
          and r.bucket < ${p.to.toISOString()}::timestamptz`,
    ),
    sql` union all `,
  )
}

/**
 * The events of a subject, over `e` (tracking_event) and `d` (its delivery, joined when the
 * subject needs it). One row per event — except a target group, whose events count once per
 * member they reached (`m.id`), as the members' rollups do.
 */
export function subjectEvents(workspaceId: WorkspaceId, subject: Subject, parts: Part[]) {
  const where: RawBuilder<unknown>[] = [
    sql`e.workspace_id = ${workspaceId}`,
    sql`(${timeFilter(sql`e.occurred_at`, parts)})`,
  ]
  let fanOut = sql``
  const s = subject.scope
  if (s === 'campaign' || s === 'variant' || s === 'employee')
    where.push(sql`${sql.ref(`e.${s}_id`)} = ${subject.id}::uuid`)
  if (s === 'account' || s === 'contact')
    where.push(sql`${sql.ref(`d.${s}_ids`)} @> array[${subject.id}]::uuid[]`)
  if (s === 'target_group') {
    fanOut = sql`cross join unnest(${sql.ref(`d.${subject.kind}_ids`)}) as m(id)`
    where.push(sql`m.id in (${subject.members})`)
  }
  const delivery =
    s === 'workspace' || s === 'campaign' || s === 'variant' || s === 'employee' ? 'left' : 'inner'
  return {
    from: sql`tracking_event e ${sql.raw(delivery)} join delivery d on d.id = e.delivery_id ${fanOut}`,
    where: sql.join(where, sql` and `),
  }
}

/** One row per event (per member of a group, per key value), in the rollups' shape. */
export function rawRows(workspaceId: WorkspaceId, subject: Subject, key: Key, parts: Part[]) {
  const events = subjectEvents(workspaceId, subject, parts)
  let keyColumn: RawBuilder<unknown> = sql`${NIL}::uuid`
  let keyFanOut = sql``
  const s = subject.scope
  if (key === s) keyColumn = sql`${(subject as { id: string }).id}::uuid`
  else if (s === 'target_group' && key === subject.kind) keyColumn = sql`m.id`
  else if (key === 'campaign' || key === 'variant' || key === 'employee') keyColumn = sql.ref(`e.${key}_id`)
  else if (key === 'account' || key === 'contact') {
    keyFanOut = sql`cross join unnest(${sql.ref(`d.${key}_ids`)}) as k(id)`
    keyColumn = sql`k.id`
  }
  return sql`select ${keyColumn} as id, e.occurred_at as at,
      (e.kind = 'sent')::int as sent, (e.kind = 'view')::int as views, (e.kind = 'view' and e.human)::int as views_human,
      (e.kind = 'click')::int as clicks, (e.kind = 'click' and e.human)::int as clicks_human
    from ${events.from} ${keyFanOut}
    where ${events.where}`
}

/** The rows of a subject keyed by `key` over a range, from rollups and raw events. */
function keyedRows(workspaceId: WorkspaceId, subject: Subject, key: Key, span: Span) {
  const source = rollupSource(subject, key)
  const parts = coverRange(span.from, span.to, source?.grains ?? [])
  const fromRollup = parts.filter((p) => p.grain !== 'raw')
  const fromRaw = parts.filter((p) => p.grain === 'raw')
  const selects: RawBuilder<unknown>[] = []
  if (source && fromRollup.length) selects.push(rollupRows(workspaceId, source, fromRollup))
  if (fromRaw.length) selects.push(rawRows(workspaceId, subject, key, fromRaw))
  if (!selects.length)
    selects.push(
      sql`select ${NIL}::uuid as id, now() as at, 0 as sent, 0 as views, 0 as views_human, 0 as clicks, 0 as clicks_human where false`,
    )
  return sql`select id, ${COUNTS} from (${sql.join(selects, sql` union all `)}) s group by id`
}

export interface CountRow {
  sent: number
  views: number
  views_human: number
  clicks: number
  clicks_human: number
}

export async function sumTotals(db: Db, workspaceId: WorkspaceId, subject: Subject, span: Span) {
  const { rows } = await sql<CountRow>`${keyedRows(workspaceId, subject, 'none', span)}`.execute(db)
  return rows[0] ?? { sent: 0, views: 0, views_human: 0, clicks: 0, clicks_human: 0 }
}

/** Unique accounts or contacts by summing their rows (an account's contacts, a contact's accounts). */
export async function countRowUniques(
  db: Db,
  workspaceId: WorkspaceId,
  subject: Subject,
  key: 'account' | 'contact',
  span: Span,
) {
  const { rows } = await sql<{ reached: number; clicked_human: number; clicked: number }>`
    select count(*) filter (where sent + views + clicks > 0)::int as reached,
      count(*) filter (where clicks_human > 0)::int as clicked_human,
      count(*) filter (where clicks > 0)::int as clicked
    from (${keyedRows(workspaceId, subject, key, span)}) k`.execute(db)
  return rows[0]!
}

export async function topRows(
  db: Db,
  workspaceId: WorkspaceId,
  subject: Subject,
  key: Key,
  span: Span,
  limit: number,
) {
  const { rows } = await sql<CountRow & { id: string }>`
    select * from (${keyedRows(workspaceId, subject, key, span)}) k
    where id is not null and sent + views + clicks > 0
    order by clicks_human desc, views_human desc, sent desc, id
    limit ${limit}`.execute(db)
  return rows
}

/**
 * Counts per bucket of the series. From the hourly rollups when the zone's days start on UTC
 * hours; otherwise from the raw events, so a day in Asia/Kolkata is still exact.
 */
export async function seriesRows(
  db: Db,
  workspaceId: WorkspaceId,
  subject: Subject,
  range: { from: Date; to: Date; tz: string; interval: 'hour' | 'day'; wholeHours: boolean },
) {
  const part: Part = { grain: 'h', from: range.from, to: range.to }
  const source = range.wholeHours ? rollupSource(subject, 'none') : undefined
  const base = source
    ? rollupRows(workspaceId, source, [part])
    : rawRows(workspaceId, subject, 'none', [part])
  const { rows } = await sql<CountRow & { at: Date }>`
    select date_trunc(${range.interval}, at, ${range.tz}) as at, ${COUNTS}
    from (${base}) b group by 1 order by 1`.execute(db)
  return rows
}
