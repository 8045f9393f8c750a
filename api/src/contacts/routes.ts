import {
  BulkContactsSchema,
  BulkResultSchema,
  ContactActionParamsSchema,
  ContactActionSchema,
  ContactPageSchema,
  ContactSchema,
  CreateContactSchema,
  DeletedContactsQuerySchema,
  DeleteQuerySchema,
  ExportContactsQuerySchema,
  ExportDeletedContactsQuerySchema,
  IdParamsSchema,
  ListContactsQuerySchema,
  phoneToE164,
  StatusChangeSchema,
  StatusCountsQuerySchema,
  StatusCountsSchema,
  UpdateContactSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import { findLiveAccountByDomain } from '../accounts/queries.ts'
import { bulkContacts } from '../bulk/service.ts'
import { csvDownload, exportContacts } from '../exports/service.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { listFilter } from '../segments/from-query.ts'
import { toContact } from './dto.ts'
import { eraseContact } from './erase-queries.ts'
import {
  countByStatus,
  findLiveContactByEmail,
  listContacts,
  listStatusChanges,
  softDeleteContact,
  updateContact,
} from './queries.ts'
import { applyAction, changeContact, createContact, getContactOrThrow } from './service.ts'

export const contacts = new Hono<AppEnv>()
const tags = ['contacts']

contacts.get(
  '/',
  describe({
    summary: 'List, search and filter contacts',
    description:
      'Search by email, phone, name, company, domain or id. Keyset-paged: pass `nextCursor` as `cursor`; `total` counts every match.',
    tags,
    response: ContactPageSchema,
  }),
  requireRole('marketer'),
  valid('query', ListContactsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const phone = query.q && /\d{4}/.test(query.q) ? phoneToE164(query.q) : undefined
    const filter = await listFilter(db, auth.workspaceId, 'contact', query)
    const page = await listContacts(db, auth.workspaceId, query, { phone, filter })
    return c.json({ ...page, items: page.items.map(toContact) })
  },
)

contacts.post(
  '/',
  describe({ summary: 'Create a contact', tags, response: ContactSchema, status: 201 }),
  requireRole('marketer'),
  valid('json', CreateContactSchema),
  async (c) => {
    const { db, auth } = c.var
    return c.json(await createContact(db, auth.workspaceId, auth.userId, c.req.valid('json')), 201)
  },
)

contacts.get(
  '/status-counts',
  describe({
    summary: 'How many contacts have each status',
    description: 'The live contacts, or with `deleted=true` the deleted ones, counted exactly.',
    tags,
    response: StatusCountsSchema,
  }),
  requireRole('marketer'),
  valid('query', StatusCountsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    return c.json(await countByStatus(db, auth.workspaceId, c.req.valid('query').deleted))
  },
)

contacts.get(
  '/deleted',
  describe({
    summary: 'List deleted contacts',
    description: 'Searchable, sortable by creation or deletion, and by `status` (the deleted spam reports).',
    tags,
    response: ContactPageSchema,
  }),
  requireRole('marketer'),
  valid('query', DeletedContactsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const page = await listContacts(db, auth.workspaceId, c.req.valid('query'), { deleted: true })
    return c.json({ ...page, items: page.items.map(toContact) })
  },
)

contacts.get(
  '/export.csv',
  describe({
    summary: 'Export contacts as CSV',
    description:
      'Takes the query of the list (search, status, label, account, `filter`, `segmentId`, sort) and streams every match; custom fields become `custom.<name>` columns; spreadsheet formulas are neutralised.',
    tags,
    response: { contentType: 'text/csv', description: 'The matching contacts, formula-safe.' },
  }),
  requireRole('marketer'),
  valid('query', ExportContactsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const phone = query.q && /\d{4}/.test(query.q) ? phoneToE164(query.q) : undefined
    const filter = await listFilter(db, auth.workspaceId, 'contact', query)
    return csvDownload(
      c,
      'contacts.csv',
      await exportContacts(db, auth.workspaceId, query, { phone, filter }),
    )
  },
)

contacts.get(
  '/deleted/export.csv',
  describe({
    summary: 'Export the deleted contacts as CSV',
    tags,
    response: { contentType: 'text/csv', description: 'The deleted contacts, formula-safe.' },
  }),
  requireRole('marketer'),
  valid('query', ExportDeletedContactsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const file = await exportContacts(db, auth.workspaceId, c.req.valid('query'), { deleted: true })
    return csvDownload(c, 'deleted-contacts.csv', file)
  },
)

contacts.post(
  '/bulk',
  describe({
    summary: 'One action on many contacts, in one transaction',
    description:
      'Add to or remove from a static target group, add or remove a label, delete, or a one-click status action (same rules as one contact: a contact it does not apply to stays as it is). Name the contacts by `ids` (at most 1,000; an id that is not a live contact of this workspace refuses the whole request with 404, `field` naming it) or by `matching` — the list query (`q`, `status`, `label`, `accountId`, `filter`, `segmentId`) — for every match, at most 100,000. Answers how many were matched and how many changed.',
    tags,
    response: BulkResultSchema,
    status: 200,
  }),
  requireRole('marketer'),
  valid('json', BulkContactsSchema),
  async (c) => {
    const { db, auth } = c.var
    return c.json(await bulkContacts(db, auth.workspaceId, auth.userId, c.req.valid('json')))
  },
)

contacts.get(
  '/:id',
  describe({ summary: 'Get a contact', tags, response: ContactSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) =>
    c.json(toContact(await getContactOrThrow(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id))),
)

contacts.patch(
  '/:id',
  describe({
    summary: 'Change a contact',
    description: 'The status changes only through the actions, so its history stays complete.',
    tags,
    response: ContactSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateContactSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getContactOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    return c.json(await changeContact(db, auth.workspaceId, row, c.req.valid('json')))
  },
)

contacts.delete(
  '/:id',
  describe({ summary: 'Delete a contact (restorable)', tags, status: 204, response: null }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('query', DeleteQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getContactOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    await softDeleteContact(db, auth.workspaceId, row.id, c.req.valid('query').reason)
    return c.body(null, 204)
  },
)

contacts.post(
  '/:id/restore',
  describe({ summary: 'Restore a deleted contact', tags, response: ContactSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getContactOrThrow(db, auth.workspaceId, c.req.valid('param').id, true)
    if (await findLiveContactByEmail(db, auth.workspaceId, row.email)) {
      throw new ApiError('conflict', 'Another contact now has this email address.', 'id')
    }
    const account = await findLiveAccountByDomain(db, auth.workspaceId, row.domain)
    const restored = await updateContact(db, auth.workspaceId, row.id, {
      deleted_at: null,
      deleted_reason: null,
      account_id: account?.id ?? null,
    })
    return c.json(toContact(restored))
  },
)

contacts.post(
  '/:id/erase',
  describe({
    summary: 'Erase a deleted contact for good',
    description:
      'Irreversible: personal data and history go — from the contact, the undo records of imports, the email leads and the duplicates imports reported; statistics keep only the anonymous id.',
    tags,
    status: 204,
    response: null,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getContactOrThrow(db, auth.workspaceId, c.req.valid('param').id, true)
    await db.transaction().execute((trx) => eraseContact(trx, auth.workspaceId, row.id, row.email))
    return c.body(null, 204)
  },
)

contacts.post(
  '/:id/actions/:action',
  describe({
    summary: 'Blacklist, unsubscribe, remove a spam report, opt out of tracking or reactivate',
    tags,
    response: ContactSchema,
  }),
  requireRole('marketer'),
  valid('param', ContactActionParamsSchema),
  valid('json', ContactActionSchema),
  async (c) => {
    const { db, auth } = c.var
    const { id, action } = c.req.valid('param')
    const row = await getContactOrThrow(db, auth.workspaceId, id)
    return c.json(
      await applyAction(db, auth.workspaceId, auth.userId, row, action, c.req.valid('json').reason),
    )
  },
)

contacts.get(
  '/:id/status-history',
  describe({ summary: 'The status history of a contact', tags, response: z.array(StatusChangeSchema) }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getContactOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const changes = await listStatusChanges(db, auth.workspaceId, row.id)
    return c.json(
      changes.map((s) => ({
        from: s.from_status,
        to: s.to_status,
        reason: s.reason,
        actorId: s.actor_id,
        actorName: s.actor_name,
        at: s.created_at.toISOString(),
      })),
    )
  },
)
