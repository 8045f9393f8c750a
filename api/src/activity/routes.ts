import {
  ContactActivityPageSchema,
  ContactActivityQuerySchema,
  FeedPageSchema,
  FeedQuerySchema,
  IdParamsSchema,
  StreamQuerySchema,
  StreamTicketSchema,
} from '@signet/shared'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { findContactById } from '../contacts/queries.ts'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { csvDownload } from '../exports/download.ts'
import { publicRoute, requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { findTrackingTier } from '../stats/subject-queries.ts'
import { isBigint, isInstant } from '../targets/keyset.ts'
import { type FeedRow, isLiveMarketer, listContactActivity, listFeed } from './queries.ts'
import { issueTicket, verifyTicket } from './ticket.ts'

export const activity = new Hono<AppEnv>()
const tags = ['activity']

/** How often the live feed looks for new events, how far back, and when it makes the browser reconnect. */
export const STREAM = { pollMs: 2_000, lookBackMs: 30_000, maxMs: 10 * 60_000, heartbeatMs: 15_000 }

const FEED_CURSOR = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)_(\d{1,19})$/
const ACTIVITY_CURSOR = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)_([dse][0-9a-f-]{1,40})$/

/** The instant and id a page starts before; a 422 when the instant is no real one or the event id no bigint. */
function cursorOf(value: string | undefined, pattern = FEED_CURSOR) {
  if (value === undefined) return undefined
  const match = pattern.exec(value)
  if (!match || !isInstant(match[1]!) || (pattern === FEED_CURSOR && !isBigint(match[2]!)))
    throw new ApiError('validation_failed', 'This cursor is not valid.', 'cursor')
  return { at: match[1]!, id: match[2]! }
}

async function personal(db: Db, workspaceId: WorkspaceId) {
  return (await findTrackingTier(db, workspaceId)).tracking_tier === 'identified'
}

function toFeedItem(row: FeedRow) {
  return {
    id: row.id,
    kind: row.kind,
    at: row.at.toISOString(),
    human: row.human,
    machineReason: row.machine_reason,
    campaign: { id: row.campaign_id, name: row.campaign_name ?? '(removed)' },
    employee: row.employee_id ? { id: row.employee_id, name: row.employee_name ?? '' } : null,
    accounts: row.accounts,
    contacts: row.contacts,
    leadDomains: row.lead_domains,
  }
}

activity.get(
  '/feed',
  describe({
    summary: 'The performance feed: the latest banners sent, views and clicks, newest first',
    description:
      'Human events only unless `includeMachine=true`. Keyset-paged; `format=csv` for up to 10,000 as CSV.',
    tags,
    response: FeedPageSchema,
  }),
  requireRole('marketer'),
  valid('query', FeedQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const limit = query.format === 'csv' ? 10_000 : query.limit
    const rows = await listFeed(db, auth.workspaceId, {
      includeMachine: query.includeMachine,
      withContacts: await personal(db, auth.workspaceId),
      before: cursorOf(query.cursor),
      limit: limit + 1,
    })
    const items = rows.slice(0, limit).map(toFeedItem)
    if (query.format === 'csv')
      return csvDownload(
        c,
        'activity.csv',
        [
          'when',
          'what',
          'human',
          'reason',
          'campaign',
          'employee',
          'accounts',
          'contacts',
          'unmanaged domains',
        ],
        items.map((i) => [
          i.at,
          i.kind,
          i.human,
          i.machineReason,
          i.campaign.name,
          i.employee?.name,
          i.accounts.map((a) => a.name),
          i.contacts.map((k) => k.name),
          i.leadDomains,
        ]),
      )
    const last = items.at(-1)
    return c.json({ items, nextCursor: rows.length > limit && last ? `${last.at}_${last.id}` : null })
  },
)

activity.post(
  '/stream-ticket',
  describe({
    summary: 'A one-minute ticket to open the live feed',
    description:
      'EventSource cannot send the Authorization header: pass the ticket in the stream URL instead.',
    tags,
    response: StreamTicketSchema,
  }),
  requireRole('marketer'),
  (c) => {
    const { ticket, expiresAt } = issueTicket(c.var.config.secret, c.var.auth.workspaceId, c.var.auth.userId)
    return c.json({ ticket, expiresAt: expiresAt.toISOString() })
  },
)

activity.get(
  '/stream',
  describe({
    summary: 'The live feed (Server-Sent Events)',
    description:
      'Opened with a ticket from `POST /api/activity/stream-ticket`. Sends each new event as an `activity` event (data: a FeedItem). Ends after ten minutes; the client then takes a new ticket.',
    tags,
    response: { contentType: 'text/event-stream', description: 'Server-Sent Events.' },
  }),
  publicRoute(),
  valid('query', StreamQuerySchema),
  async (c) => {
    const { db, config } = c.var
    const query = c.req.valid('query')
    const holder = verifyTicket(config.secret, query.ticket)
    const workspaceId = holder?.workspaceId as WorkspaceId
    if (!holder || !(await isLiveMarketer(db, workspaceId, holder.userId as UserId)))
      throw new ApiError('unauthorized', 'This stream ticket is not valid or has expired; ask for a new one.')
    const withContacts = await personal(db, workspaceId)
    return streamSSE(c, async (stream) => {
      const seen = new Map<string, number>()
      const started = Date.now()
      let lastWrite = Date.now()
      let since = new Date(started - STREAM.lookBackMs)
      await stream.writeSSE({ event: 'ready', data: '{}' })
      while (!stream.aborted && !stream.closed && Date.now() - started < STREAM.maxMs) {
        const rows = await listFeed(db, workspaceId, {
          includeMachine: query.includeMachine,
          withContacts,
          since,
          limit: 200,
        })
        // Events are written in batches shortly after they happen: look back a little each
        // time, and send each event once, oldest first. Beyond 200 events per poll a live view
        // shows the latest; the feed itself lists them all.
        for (const row of rows.reverse()) {
          if (seen.has(row.id)) continue
          seen.set(row.id, row.at.getTime())
          await stream.writeSSE({ event: 'activity', id: row.id, data: JSON.stringify(toFeedItem(row)) })
          lastWrite = Date.now()
        }
        since = new Date(Date.now() - STREAM.lookBackMs)
        for (const [id, at] of seen) if (at < since.getTime()) seen.delete(id)
        if (Date.now() - lastWrite > STREAM.heartbeatMs) {
          await stream.write(': keep-alive\n\n')
          lastWrite = Date.now()
        }
        await stream.sleep(STREAM.pollMs)
      }
    })
  },
)

activity.get(
  '/contacts/:id',
  describe({
    summary: 'A contact’s activity: deliveries, views, clicks and status changes',
    description:
      'Newest first, keyset-paged. Deliveries, views and clicks only in the identified tracking tier (`tracking: false` otherwise). `format=csv` for up to 10,000 rows as CSV.',
    tags,
    response: ContactActivityPageSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('query', ContactActivityQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const contact = await findContactById(db, auth.workspaceId, c.req.valid('param').id)
    if (!contact) throw notFound('Contact')
    const before = cursorOf(query.cursor, ACTIVITY_CURSOR)
    const tracking = await personal(db, auth.workspaceId)
    const limit = query.format === 'csv' ? 10_000 : query.limit
    const rows = await listContactActivity(db, auth.workspaceId, contact.id, {
      tracking,
      before: before && { at: before.at, ref: before.id },
      limit: limit + 1,
    })
    const items = rows.slice(0, limit).map((row) => ({
      type: row.type,
      at: row.at.toISOString(),
      channel: row.channel,
      campaign: row.campaign_id ? { id: row.campaign_id, name: row.campaign_name ?? '(removed)' } : null,
      status: row.status,
      detail: row.detail,
    }))
    if (query.format === 'csv')
      return csvDownload(
        c,
        `contact-activity-${contact.id}.csv`,
        ['when', 'what', 'channel', 'campaign', 'status', 'detail'],
        items.map((i) => [i.at, i.type, i.channel, i.campaign?.name, i.status, i.detail]),
      )
    const last = rows.length > limit ? rows[limit - 1] : undefined
    return c.json({ tracking, items, nextCursor: last ? `${last.at.toISOString()}_${last.ref}` : null })
  },
)
