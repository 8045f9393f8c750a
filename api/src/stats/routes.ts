import {
  describeMachineReason,
  EventIdParamsSchema,
  LastClickSchema,
  LastClicksQuerySchema,
  ReclassifySchema,
  StatsBreakdownQuerySchema,
  StatsBreakdownSchema,
  StatsEventPageSchema,
  StatsEventSchema,
  StatsEventsQuerySchema,
  StatsQuerySchema,
  StatsSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import type { UserId } from '../db/schema.ts'
import { COUNT_HEADER, countCells, csvDownload } from '../exports/download.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { isBigint, isInstant } from '../targets/keyset.ts'
import { type EventRow, listEvents, listLastClicks } from './event-queries.ts'
import { resolveRange } from './range.ts'
import { reclassifyEvent } from './reclassify.ts'
import { queueLag } from './rollup-queries.ts'
import { breakdown, statistics, subjectOf } from './service.ts'

export const stats = new Hono<AppEnv>()
const tags = ['statistics']

stats.get(
  '/',
  describe({
    summary: 'Statistics of the workspace, a campaign, variant, account, contact, employee or target group',
    description:
      'Totals (banners sent, views and clicks human and raw, click rates, unique accounts and contacts) and a series — hourly under a week, daily otherwise — in the time zone `tz`. Machine events are in the raw figures only. `format=csv` answers the series as CSV.',
    tags,
    response: StatsSchema,
  }),
  requireRole('marketer'),
  valid('query', StatsQuerySchema),
  async (c) => {
    const query = c.req.valid('query')
    const result = await statistics(c.var.db, c.var.auth.workspaceId, query)
    if (query.format === 'csv')
      return csvDownload(
        c,
        `statistics-${query.scope}.csv`,
        ['from', ...COUNT_HEADER],
        result.series.map((row) => [row.at, ...countCells(row)]),
      )
    return c.json(result)
  },
)

stats.get(
  '/breakdown',
  describe({
    summary: 'Top accounts, contacts, campaigns, variants or employees within a scope',
    description:
      'Ordered by human clicks, then human views, then banners sent. `format=csv` for the table as CSV.',
    tags,
    response: StatsBreakdownSchema,
  }),
  requireRole('marketer'),
  valid('query', StatsBreakdownQuerySchema),
  async (c) => {
    const query = c.req.valid('query')
    const result = await breakdown(c.var.db, c.var.auth.workspaceId, query)
    if (query.format === 'csv')
      return csvDownload(
        c,
        `top-${query.by}.csv`,
        ['id', 'name', ...COUNT_HEADER],
        result.rows.map((row) => [row.id, row.name, ...countCells(row)]),
      )
    return c.json(result)
  },
)

function toEvent(row: EventRow) {
  const reason = row.machine_reason ?? row.original_reason
  return {
    id: row.id,
    kind: row.kind,
    occurredAt: row.occurred_at.toISOString(),
    human: row.human,
    machineReason: row.machine_reason,
    reasonText: reason ? describeMachineReason(reason) : null,
    originalReason: row.original_reason,
    reclassifiedAt: row.reclassified_at?.toISOString() ?? null,
    campaign: { id: row.campaign_id, name: row.campaign_name ?? '(removed)' },
    employee: row.employee_id ? { id: row.employee_id, name: row.employee_name ?? '' } : null,
    userAgent: row.user_agent,
    proxy: row.proxy,
  }
}

const CURSOR = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)_(\d{1,19})$/

/** The instant and event id after which a page of events starts; a 422 when either cannot be one. */
function cursorOf(value: string | undefined) {
  if (value === undefined) return undefined
  const match = CURSOR.exec(value)
  if (!match || !isInstant(match[1]!) || !isBigint(match[2]!))
    throw new ApiError('validation_failed', 'This cursor is not valid.', 'cursor')
  return { at: match[1]!, id: match[2]! }
}

stats.get(
  '/events',
  describe({
    summary: 'The events behind the figures, newest first',
    description:
      'Machine-classified events by default (`classification=machine`), each with its reason; `human` or `all` for the others. Keyset-paged: pass `nextCursor` as `cursor`.',
    tags,
    response: StatsEventPageSchema,
  }),
  requireRole('marketer'),
  valid('query', StatsEventsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const after = cursorOf(query.cursor)
    const subject = await subjectOf(db, auth.workspaceId, query)
    const range = resolveRange(query)
    const limit = query.format === 'csv' ? 10_000 : query.limit
    const rows = await listEvents(db, auth.workspaceId, subject, [{ grain: 'raw', ...range }], {
      classification: query.classification,
      kind: query.kind,
      after,
      limit: limit + 1,
    })
    const items = rows.slice(0, limit).map(toEvent)
    if (query.format === 'csv')
      return csvDownload(
        c,
        'events.csv',
        ['id', 'when', 'kind', 'human', 'reason', 'campaign', 'employee', 'user agent'],
        items.map((e) => [
          e.id,
          e.occurredAt,
          e.kind,
          e.human,
          e.reasonText,
          e.campaign.name,
          e.employee?.name,
          e.userAgent,
        ]),
      )
    const last = items.at(-1)
    return c.json({ items, nextCursor: rows.length > limit && last ? `${last.occurredAt}_${last.id}` : null })
  },
)

stats.post(
  '/events/:id/classification',
  describe({
    summary: 'Re-classify a view or click as human or machine',
    description: 'The statistics follow at once; the classifier’s reason is kept as `originalReason`.',
    tags,
    response: StatsEventSchema,
  }),
  requireRole('marketer'),
  valid('param', EventIdParamsSchema),
  valid('json', ReclassifySchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await reclassifyEvent(
      db,
      auth.workspaceId,
      auth.userId as UserId,
      c.req.valid('param').id,
      c.req.valid('json').human,
    )
    return c.json(toEvent(row))
  },
)

stats.get(
  '/last-clicks',
  describe({
    summary: 'The latest human clicks of an account or contact',
    description: 'When, on which campaign, from whose email. Kept when the target leaves its groups.',
    tags,
    response: z.object({ items: z.array(LastClickSchema) }),
  }),
  requireRole('marketer'),
  valid('query', LastClicksQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    await subjectOf(db, auth.workspaceId, query)
    const rows = await listLastClicks(db, auth.workspaceId, { kind: query.scope, id: query.id }, query.limit)
    return c.json({
      items: rows.map((row) => {
        const e = toEvent(row)
        return { at: e.occurredAt, campaign: e.campaign, employee: e.employee, human: e.human }
      }),
    })
  },
)

stats.get(
  '/status',
  describe({
    summary: 'How far behind the rollups are',
    description: 'Events waiting to be counted and the age of the oldest, in seconds.',
    tags,
    response: z.object({ waiting: z.number().int(), lagSeconds: z.number() }),
  }),
  requireRole('marketer'),
  async (c) => {
    const lag = await queueLag(c.var.db, c.var.auth.workspaceId)
    return c.json({ waiting: lag.waiting, lagSeconds: Math.round((lag.seconds ?? 0) * 10) / 10 })
  },
)
