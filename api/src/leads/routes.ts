import {
  ConvertDomainLeadSchema,
  ConvertEmailLeadSchema,
  ConvertedLeadSchema,
  displayDomain,
  freeMailDomains,
  LeadListQuerySchema,
  LeadPageSchema,
} from '@signet/shared'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { UserId } from '../db/schema.ts'
import { csvDownload } from '../exports/download.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { assertPersonalTracking } from '../stats/service.ts'
import { isInstant } from '../targets/keyset.ts'
import { type LeadRow, listLeads } from './queries.ts'
import { convertDomainLead, convertEmailLead } from './service.ts'

export const leads = new Hono<AppEnv>()
const tags = ['leads']
const FREE_MAIL = freeMailDomains()

function decodeCursor(cursor: string | undefined) {
  if (cursor === undefined) return undefined
  try {
    const [at, value] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (typeof at === 'string' && typeof value === 'string' && isInstant(at) && !value.includes('\0'))
      return { at, value }
  } catch {}
  throw new ApiError('validation_failed', 'This cursor is not valid.', 'cursor')
}

async function answer(
  c: Context<AppEnv>,
  kind: 'domain' | 'email',
  query: ReturnType<typeof LeadListQuerySchema.parse>,
) {
  const csv = query.format === 'csv'
  const limit = csv ? 100_000 : query.limit
  const rows = await listLeads(c.var.db, c.var.auth.workspaceId, kind, {
    includeMachine: query.includeMachine,
    freeMail: FREE_MAIL,
    after: decodeCursor(query.cursor),
    limit: limit + 1,
  })
  const items = rows.slice(0, limit).map((row: LeadRow) => ({
    value: kind === 'domain' ? displayDomain(row.value) : row.value,
    clicks: { human: row.clicks_human, raw: row.clicks },
    firstClickAt: row.first_click_at.toISOString(),
    lastClickAt: row.last_click_at.toISOString(),
    campaigns: row.campaigns,
  }))
  if (csv)
    return csvDownload(
      c,
      kind === 'domain' ? 'account-leads.csv' : 'contact-leads.csv',
      [kind, 'clicks', 'clicks (raw)', 'first click', 'last click', 'campaigns'],
      items.map((l) => [
        l.value,
        l.clicks.human,
        l.clicks.raw,
        l.firstClickAt,
        l.lastClickAt,
        l.campaigns.map((x) => x.name),
      ]),
    )
  const last = rows.length > limit ? rows[limit - 1] : undefined
  return c.json({
    items,
    nextCursor: last
      ? Buffer.from(JSON.stringify([last.last_click_at.toISOString(), last.value])).toString('base64url')
      : null,
  })
}

leads.get(
  '/accounts',
  describe({
    summary: 'Account leads: domains that clicked and are no account yet',
    description:
      'Latest click first; free-mail domains are never leads. Human clicks only unless `includeMachine=true`. `format=csv` for all of them as CSV.',
    tags,
    response: LeadPageSchema,
  }),
  requireRole('marketer'),
  valid('query', LeadListQuerySchema),
  (c) => answer(c, 'domain', c.req.valid('query')),
)

leads.get(
  '/contacts',
  describe({
    summary: 'Contact leads: email addresses that clicked and are no contact yet',
    description: 'Recorded only in the identified tracking tier.',
    tags,
    response: LeadPageSchema,
  }),
  requireRole('marketer'),
  valid('query', LeadListQuerySchema),
  async (c) => {
    await assertPersonalTracking(c.var.db, c.var.auth.workspaceId, 'kind')
    return answer(c, 'email', c.req.valid('query'))
  },
)

leads.post(
  '/accounts',
  describe({
    summary: 'Add an account lead as an account',
    description:
      'Creates the account (or takes the live one that has the domain by now) and counts the lead’s past clicks in its statistics.',
    tags,
    response: ConvertedLeadSchema,
    status: 201,
  }),
  requireRole('marketer'),
  valid('json', ConvertDomainLeadSchema),
  async (c) => c.json(await convertDomainLead(c.var.db, c.var.auth.workspaceId, c.req.valid('json')), 201),
)

leads.post(
  '/contacts',
  describe({
    summary: 'Add a contact lead as a contact',
    description:
      'Creates the contact (or takes the live one) and counts the lead’s past clicks in its statistics. The clicks become a per-person history, so the contact needs recorded consent: its own, or `consent` (how and, optionally, when) recorded on it; without either the answer is 422 on `consent` and nothing changes.',
    tags,
    response: ConvertedLeadSchema,
    status: 201,
  }),
  requireRole('marketer'),
  valid('json', ConvertEmailLeadSchema),
  async (c) => {
    const { db, auth } = c.var
    await assertPersonalTracking(db, auth.workspaceId, 'email')
    const { email, consent } = c.req.valid('json')
    const result = await convertEmailLead(db, auth.workspaceId, auth.userId as UserId, {
      email: email.email,
      ...(consent && { consent }),
    })
    return c.json(result, 201)
  },
)
