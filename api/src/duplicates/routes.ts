import {
  ContactSchema,
  DuplicatesPageSchema,
  ExportDuplicatesQuerySchema,
  ListDuplicatesQuerySchema,
  MergeAllDuplicatesSchema,
  MergeContactsSchema,
  MergedAllSchema,
} from '@signet/shared'
import { Hono } from 'hono'
import { toContact } from '../contacts/dto.ts'
import { csvDownload, exportDuplicates } from '../exports/service.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { encodeCursor } from '../targets/keyset.ts'
import { mergeAllDuplicates, mergeContacts } from './merge.ts'
import { countDuplicateGroups, listContactsByKeys, listDuplicateKeys } from './queries.ts'

export const duplicates = new Hono<AppEnv>()
const tags = ['contacts']

function decodeKey(cursor: string | undefined) {
  if (!cursor) return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    value = undefined
  }
  if (typeof value !== 'string') {
    throw new ApiError(
      'validation_failed',
      'This page cursor is not valid; start from the first page.',
      'cursor',
    )
  }
  return value
}

duplicates.get(
  '/',
  describe({
    summary: 'Contacts sharing a canonical email or a phone number',
    description: 'Grouped by channel, with counts; merge a group with `POST /api/duplicates/merge`.',
    tags,
    response: DuplicatesPageSchema,
  }),
  requireRole('marketer'),
  valid('query', ListDuplicatesQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const [keys, email, phone] = await Promise.all([
      listDuplicateKeys(db, auth.workspaceId, query.channel, query.limit, decodeKey(query.cursor)),
      countDuplicateGroups(db, auth.workspaceId, 'email'),
      countDuplicateGroups(db, auth.workspaceId, 'phone'),
    ])
    const page = keys.slice(0, query.limit)
    const members = await listContactsByKeys(
      db,
      auth.workspaceId,
      query.channel,
      page.map((k) => k.key),
    )
    const keyOf = (m: (typeof members)[number]) => (query.channel === 'email' ? m.canonical_email : m.phone)
    return c.json({
      counts: { email, phone },
      groups: page.map((k) => ({
        channel: query.channel,
        key: k.key,
        count: k.count,
        members: members.filter((m) => keyOf(m) === k.key).map(toContact),
      })),
      nextCursor: keys.length > query.limit ? encodeCursor(page.at(-1)!.key) : null,
    })
  },
)

duplicates.get(
  '/export.csv',
  describe({
    summary: 'Export the duplicate groups of a channel as CSV',
    description: 'One row per contact, with the key its group shares and the group size.',
    tags,
    response: { contentType: 'text/csv', description: 'The duplicate contacts, formula-safe.' },
  }),
  requireRole('marketer'),
  valid('query', ExportDuplicatesQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const { channel } = c.req.valid('query')
    return csvDownload(c, `duplicates-${channel}.csv`, await exportDuplicates(db, auth.workspaceId, channel))
  },
)

duplicates.post(
  '/merge-all',
  describe({
    summary: 'Remove duplicates: merge every group of a channel',
    description:
      'Each group is merged as `POST /api/duplicates/merge` would, into its earlier or later record, one transaction per group.',
    tags,
    response: MergedAllSchema,
  }),
  requireRole('marketer'),
  valid('json', MergeAllDuplicatesSchema),
  async (c) => {
    const { db, auth } = c.var
    return c.json(await mergeAllDuplicates(db, auth.workspaceId, auth.userId, c.req.valid('json')))
  },
)

duplicates.post(
  '/merge',
  describe({
    summary: 'Merge contacts into the earlier or the later one',
    description:
      'Labels, custom fields, group memberships and statistics are united on the survivor; the most restrictive status and any opt-out win; the others are deleted with reason "merged into …".',
    tags,
    response: ContactSchema,
  }),
  requireRole('marketer'),
  valid('json', MergeContactsSchema),
  async (c) => {
    const { db, auth } = c.var
    return c.json(await mergeContacts(db, auth.workspaceId, auth.userId, c.req.valid('json')))
  },
)
