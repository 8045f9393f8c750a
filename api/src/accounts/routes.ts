import {
  AccountPageSchema,
  AccountSchema,
  AddAliasSchema,
  AliasParamsSchema,
  BulkAccountsSchema,
  BulkResultSchema,
  CreateAccountSchema,
  DeletedListQuerySchema,
  DeleteQuerySchema,
  ExportAccountsQuerySchema,
  ExportDeletedQuerySchema,
  IdParamsSchema,
  ListAccountsQuerySchema,
  registrableDomain,
  UpdateAccountSchema,
} from '@signet/shared'
import { Hono } from 'hono'
import { bulkAccounts } from '../bulk/service.ts'
import { csvDownload, exportAccounts } from '../exports/service.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { listFilter } from '../segments/from-query.ts'
import { eraseAccount, listAccounts } from './queries.ts'
import {
  addAlias,
  changeAccount,
  createAccount,
  deleteAccount,
  getAccountOrThrow,
  removeAlias,
  restoreAccount,
  withAliases,
} from './service.ts'

export const accounts = new Hono<AppEnv>()
const tags = ['accounts']

accounts.get(
  '/',
  describe({
    summary: 'List, search and filter accounts',
    description: 'Keyset-paged: pass `nextCursor` as `cursor`; `total` counts every match.',
    tags,
    response: AccountPageSchema,
  }),
  requireRole('marketer'),
  valid('query', ListAccountsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const filter = await listFilter(db, auth.workspaceId, 'account', query)
    const page = await listAccounts(db, auth.workspaceId, query, { filter })
    return c.json({ ...page, items: await withAliases(db, auth.workspaceId, page.items) })
  },
)

accounts.post(
  '/',
  describe({ summary: 'Create an account', tags, response: AccountSchema, status: 201 }),
  requireRole('marketer'),
  valid('json', CreateAccountSchema),
  async (c) => c.json(await createAccount(c.var.db, c.var.auth.workspaceId, c.req.valid('json')), 201),
)

accounts.get(
  '/deleted',
  describe({ summary: 'List deleted accounts', tags, response: AccountPageSchema }),
  requireRole('marketer'),
  valid('query', DeletedListQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const page = await listAccounts(db, auth.workspaceId, c.req.valid('query'), { deleted: true })
    return c.json({ ...page, items: await withAliases(db, auth.workspaceId, page.items) })
  },
)

accounts.get(
  '/export.csv',
  describe({
    summary: 'Export accounts as CSV',
    description:
      'Takes the query of the list (search, `filter`, `segmentId`, sort) and streams every match; custom fields become `custom.<name>` columns; spreadsheet formulas are neutralised.',
    tags,
    response: { contentType: 'text/csv', description: 'The matching accounts, formula-safe.' },
  }),
  requireRole('marketer'),
  valid('query', ExportAccountsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const filter = await listFilter(db, auth.workspaceId, 'account', query)
    return csvDownload(c, 'accounts.csv', await exportAccounts(db, auth.workspaceId, query, { filter }))
  },
)

accounts.get(
  '/deleted/export.csv',
  describe({
    summary: 'Export the deleted accounts as CSV',
    tags,
    response: { contentType: 'text/csv', description: 'The deleted accounts, formula-safe.' },
  }),
  requireRole('marketer'),
  valid('query', ExportDeletedQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const file = await exportAccounts(db, auth.workspaceId, c.req.valid('query'), { deleted: true })
    return csvDownload(c, 'deleted-accounts.csv', file)
  },
)

accounts.post(
  '/bulk',
  describe({
    summary: 'One action on many accounts, in one transaction',
    description:
      'Add to or remove from a static target group, or delete (restorable). Name the accounts by `ids` (at most 1,000; an id that is not a live account of this workspace refuses the whole request with 404, `field` naming it) or by `matching` — the list query (`q`, `filter`, `segmentId`) — for every match, at most 100,000. Answers how many were matched and how many changed.',
    tags,
    response: BulkResultSchema,
    status: 200,
  }),
  requireRole('marketer'),
  valid('json', BulkAccountsSchema),
  async (c) => c.json(await bulkAccounts(c.var.db, c.var.auth.workspaceId, c.req.valid('json'))),
)

accounts.get(
  '/:id',
  describe({ summary: 'Get an account', tags, response: AccountSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getAccountOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    return c.json((await withAliases(db, auth.workspaceId, [row]))[0])
  },
)

accounts.patch(
  '/:id',
  describe({ summary: 'Change an account', tags, response: AccountSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateAccountSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getAccountOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    return c.json(await changeAccount(db, auth.workspaceId, row, c.req.valid('json')))
  },
)

accounts.delete(
  '/:id',
  describe({ summary: 'Delete an account (restorable)', tags, status: 204, response: null }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('query', DeleteQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getAccountOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    await deleteAccount(db, auth.workspaceId, row, c.req.valid('query').reason)
    return c.body(null, 204)
  },
)

accounts.post(
  '/:id/restore',
  describe({ summary: 'Restore a deleted account', tags, response: AccountSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getAccountOrThrow(db, auth.workspaceId, c.req.valid('param').id, true)
    return c.json(await restoreAccount(db, auth.workspaceId, row))
  },
)

accounts.post(
  '/:id/erase',
  describe({
    summary: 'Erase a deleted account for good',
    description: 'Irreversible. Statistics keep only the anonymous id.',
    tags,
    status: 204,
    response: null,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getAccountOrThrow(db, auth.workspaceId, c.req.valid('param').id, true)
    await eraseAccount(db, auth.workspaceId, row.id)
    return c.body(null, 204)
  },
)

accounts.post(
  '/:id/aliases',
  describe({ summary: 'Add another domain of the same company', tags, response: AccountSchema, status: 201 }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', AddAliasSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getAccountOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    return c.json(await addAlias(db, auth.workspaceId, row, c.req.valid('json').domain), 201)
  },
)

accounts.delete(
  '/:id/aliases/:domain',
  describe({ summary: 'Remove an alias domain', tags, response: AccountSchema }),
  requireRole('marketer'),
  valid('param', AliasParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const params = c.req.valid('param')
    const row = await getAccountOrThrow(db, auth.workspaceId, params.id)
    const domain = registrableDomain(params.domain)
    if (!domain) throw notFound('Alias')
    return c.json(await removeAlias(db, auth.workspaceId, row, domain))
  },
)
