import type {
  Stats,
  StatsBreakdown,
  StatsBreakdownBy,
  StatsBreakdownQuery,
  StatsCounts,
  StatsQuery,
} from '@signet/shared'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { getTargetGroupOrThrow, membershipFilter } from '../target-groups/service.ts'
import { prepareGroup } from './groups.ts'
import { type CountRow, type Key, type Subject, seriesRows, sumTotals, topRows } from './queries.ts'
import { resolveRange, type StatsRange } from './range.ts'
import { findNames, findTrackingTier, memberIds, subjectExists } from './subject-queries.ts'
import { countUniques } from './unique-queries.ts'

const rate = (clicks: number, base: number) =>
  base > 0 ? Math.round((clicks / base) * 10_000) / 10_000 : null

export function toCounts(row: CountRow): StatsCounts {
  return {
    sent: row.sent,
    views: { human: row.views_human, raw: row.views },
    clicks: { human: row.clicks_human, raw: row.clicks },
    clickRate: { human: rate(row.clicks_human, row.sent), raw: rate(row.clicks, row.sent) },
    viewClickRate: { human: rate(row.clicks_human, row.views_human), raw: rate(row.clicks, row.views) },
  }
}

const ZERO: CountRow = { sent: 0, views: 0, views_human: 0, clicks: 0, clicks_human: 0 }

/** Per-person statistics exist only where the workspace records them. */
export async function assertPersonalTracking(db: Db, workspaceId: WorkspaceId, field: string) {
  const { tracking_tier } = await findTrackingTier(db, workspaceId)
  if (tracking_tier !== 'identified')
    throw new ApiError(
      'forbidden',
      'Per-person statistics need the identified tracking tier; this workspace tracks in aggregate only.',
      field,
    )
}

/** The subject of a query, checked to belong to the workspace (another's is simply not found). */
export async function subjectOf(
  db: Db,
  workspaceId: WorkspaceId,
  query: { scope: StatsQuery['scope']; id?: string },
): Promise<Subject> {
  const { scope, id } = query
  if (scope === 'workspace') return { scope }
  if (scope === 'target_group') {
    const group = await getTargetGroupOrThrow(db, workspaceId, id!)
    const filter = await membershipFilter(db, workspaceId, group)
    const members = memberIds(workspaceId, group.kind, filter)
    return { scope, id: group.id, kind: group.kind, members, fresh: false }
  }
  if (!(await subjectExists(db, workspaceId, scope, id!)))
    throw notFound(scope[0]!.toUpperCase() + scope.slice(1))
  if (scope === 'contact') await assertPersonalTracking(db, workspaceId, 'scope')
  return { scope, id: id! }
}

function rangeOut(range: StatsRange) {
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    tz: range.tz,
    interval: range.interval,
  }
}

export async function statistics(db: Db, workspaceId: WorkspaceId, query: StatsQuery): Promise<Stats> {
  const subject = await prepareGroup(db, workspaceId, await subjectOf(db, workspaceId, query))
  const range = resolveRange(query)
  const uniques = async (key: 'account' | 'contact') => {
    // A variant's unique recipients would need a scan of its raw events; its campaign has them.
    if (subject.scope === key || subject.scope === 'variant') return null
    const u = await countUniques(db, workspaceId, subject, key, range)
    return { reached: u.reached, clicked: { human: u.clicked_human, raw: u.clicked } }
  }
  const [totals, series, accounts, contacts] = await Promise.all([
    sumTotals(db, workspaceId, subject, range),
    seriesRows(db, workspaceId, subject, range),
    uniques('account'),
    uniques('contact'),
  ])
  const byBucket = new Map(series.map((row) => [row.at.getTime(), row]))
  return {
    scope: query.scope,
    id: query.id ?? null,
    range: rangeOut(range),
    totals: { ...toCounts(totals), accounts, contacts },
    series: range.buckets.map((at) => ({
      at: at.toISOString(),
      ...toCounts(byBucket.get(at.getTime()) ?? ZERO),
    })),
  }
}

const keyOf: Record<StatsBreakdownBy, Exclude<Key, 'none'>> = {
  accounts: 'account',
  contacts: 'contact',
  campaigns: 'campaign',
  variants: 'variant',
  employees: 'employee',
}

export async function breakdown(
  db: Db,
  workspaceId: WorkspaceId,
  query: StatsBreakdownQuery,
): Promise<StatsBreakdown> {
  const subject = await subjectOf(db, workspaceId, query)
  const key = keyOf[query.by]
  if (key === 'contact') await assertPersonalTracking(db, workspaceId, 'by')
  const range = resolveRange(query)
  const rows = await topRows(db, workspaceId, subject, key, range, query.limit)
  const names = await findNames(
    db,
    workspaceId,
    key,
    rows.map((r) => r.id),
  )
  return {
    by: query.by,
    range: rangeOut(range),
    rows: rows.map((row) => ({ id: row.id, name: names.get(row.id) ?? '(removed)', ...toCounts(row) })),
  }
}
