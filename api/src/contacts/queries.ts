import {
  type ContactStatus,
  contactStatuses,
  type DeletedListQuery,
  type ListContactsQuery,
} from '@signet/shared'
import { type Expression, type Insertable, type SqlBool, sql, type Updateable } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, ContactTable, UserId, WorkspaceId } from '../db/schema.ts'
import { countWithin } from '../targets/count-queries.ts'
import {
  afterCursorSql,
  containsPattern,
  cursorValuesSql,
  decodeCursor,
  encodeCursor,
  type SortColumn,
  UUID,
} from '../targets/keyset.ts'

const sorts: Record<string, SortColumn[]> = {
  created: [
    { column: 'created_at', type: 'timestamptz' },
    { column: 'id', type: 'uuid' },
  ],
  updated: [
    { column: 'updated_at', type: 'timestamptz' },
    { column: 'id', type: 'uuid' },
  ],
  name: [
    { column: 'last_name', type: 'text' },
    { column: 'first_name', type: 'text' },
    { column: 'id', type: 'uuid' },
  ],
  deleted: [
    { column: 'deleted_at', type: 'timestamptz' },
    { column: 'id', type: 'uuid' },
  ],
}

// Must stay identical to the expression of contact_search_idx, or the trigram index is not used.
export const contactSearchText = sql<string>`(contact.email || ' ' || contact.first_name || ' ' || contact.last_name || ' ' || coalesce(contact.company, '') || ' ' || coalesce(contact.phone, ''))`

export function findContactById(db: Db, workspaceId: WorkspaceId, id: string) {
  return db
    .selectFrom('contact')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as ContactId)
    .executeTakeFirst()
}

export function findLiveContactByEmail(db: Db, workspaceId: WorkspaceId, email: string) {
  return db
    .selectFrom('contact')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('email', '=', email)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

/** Whether a deleted contact (not erased) has this email address. */
export async function hasDeletedContactWithEmail(db: Db, workspaceId: WorkspaceId, email: string) {
  const row = await db
    .selectFrom('contact')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    // The domain lets the domain index find it (the email index holds only live contacts).
    .where('domain', '=', email.slice(email.lastIndexOf('@') + 1))
    .where('email', '=', email)
    .where('deleted_at', 'is not', null)
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

export type ContactFilter = (eb: any) => Expression<SqlBool>

export interface ContactListOptions {
  deleted?: boolean
  filter?: ContactFilter
  /** A phone number in E.164 the search text may also be. */
  phone?: string
}

function filtered(
  db: Db,
  workspaceId: WorkspaceId,
  list: Partial<Omit<ListContactsQuery, 'sort'>>,
  options: ContactListOptions,
) {
  let query = db
    .selectFrom('contact')
    .where('contact.workspace_id', '=', workspaceId)
    .where('contact.deleted_at', options.deleted ? 'is not' : 'is', null)
  const q = list.q
  if (q) {
    query = query.where((eb) => {
      const or = [eb(contactSearchText, 'ilike', containsPattern(q))]
      if (UUID.test(q)) or.push(eb('contact.id', '=', q.toLowerCase() as ContactId))
      if (options.phone) or.push(eb('contact.phone', '=', options.phone))
      return eb.or(or)
    })
  }
  if (list.status) query = query.where('contact.status', 'in', list.status)
  if (list.label) query = query.where(sql<boolean>`contact.labels @> array[${list.label}]::text[]`)
  if (list.accountId) query = query.where('contact.account_id', '=', list.accountId as AccountId)
  if (options.filter) query = query.where(options.filter)
  return query
}

/** A page of contacts in one sort order, plus the total matching count (estimated when counting a large list takes too long). */
export async function listContacts(
  db: Db,
  workspaceId: WorkspaceId,
  list: DeletedListQuery | ListContactsQuery,
  options: ContactListOptions = {},
) {
  const columns = sorts[list.sort]!
  const base = filtered(db, workspaceId, list, options)
  let page = base.selectAll('contact').select(cursorValuesSql('contact', columns).as('cursor_values'))
  if (list.cursor) {
    page = page.where(afterCursorSql('contact', columns, decodeCursor(list.cursor, columns), list.order))
  }
  for (const c of columns) page = page.orderBy(`contact.${c.column}` as 'contact.id', list.order)
  const [rows, total] = await Promise.all([page.limit(list.limit + 1).execute(), countWithin(db, base)])
  const more = rows.length > list.limit
  const items = more ? rows.slice(0, list.limit) : rows
  const last = items.at(-1)
  return {
    items,
    total: total.count,
    totalIsEstimate: total.estimated,
    nextCursor: more && last ? encodeCursor(last.cursor_values) : null,
  }
}

/** How many live (or deleted) contacts have each status: one pass over the workspace's contacts. */
export async function countByStatus(db: Db, workspaceId: WorkspaceId, deleted: boolean) {
  const rows = await filtered(db, workspaceId, {}, { deleted })
    .select(['contact.status', sql<number>`count(*)::int`.as('count')])
    .groupBy('contact.status')
    .execute()
  return contactStatuses.map((status) => ({
    status,
    count: rows.find((r) => r.status === status)?.count ?? 0,
  }))
}

/** The ids of up to `limit` live contacts a list query matches (a bulk action's "every match"). */
export async function listMatchingContactIds(
  db: Db,
  workspaceId: WorkspaceId,
  list: Partial<Omit<ListContactsQuery, 'sort'>>,
  options: ContactListOptions,
  limit: number,
) {
  const rows = await filtered(db, workspaceId, list, options).select('contact.id').limit(limit).execute()
  return rows.map((r) => r.id)
}

/** The sort of a list or an export, and the direction. */
export interface ContactOrder {
  sort: keyof typeof sorts
  order: 'asc' | 'desc'
}

/**
 * Every contact a list query matches, in its order, `size` at a time: each batch is one keyset
 * query after the last row of the one before, so an export of a million rows holds one batch.
 */
export async function* contactBatches(
  db: Db,
  workspaceId: WorkspaceId,
  list: Partial<Omit<ListContactsQuery, 'sort'>> & ContactOrder,
  options: ContactListOptions = {},
  size = 1000,
) {
  const columns = sorts[list.sort]!
  let after: unknown[] | undefined
  for (;;) {
    let page = filtered(db, workspaceId, list, options)
      .selectAll('contact')
      .select(cursorValuesSql('contact', columns).as('cursor_values'))
    if (after) page = page.where(afterCursorSql('contact', columns, after, list.order))
    for (const c of columns) page = page.orderBy(`contact.${c.column}` as 'contact.id', list.order)
    const rows = await page.limit(size).execute()
    if (rows.length) yield rows
    if (rows.length < size) return
    after = rows.at(-1)!.cursor_values as unknown[]
  }
}

/** The custom field names the matching contacts use, sorted: the export's extra columns. */
export async function contactCustomFieldKeys(
  db: Db,
  workspaceId: WorkspaceId,
  list: Partial<Omit<ListContactsQuery, 'sort'>>,
  options: ContactListOptions = {},
) {
  const rows = await filtered(db, workspaceId, list, options)
    .select(sql<string>`jsonb_object_keys(contact.custom_fields)`.as('key'))
    .distinct()
    .orderBy('key')
    .limit(500)
    .execute()
  return rows.map((r) => r.key)
}

export function insertContact(db: Db, contact: Insertable<ContactTable>) {
  return db.insertInto('contact').values(contact).returningAll().executeTakeFirstOrThrow()
}

export function updateContact(
  db: Db,
  workspaceId: WorkspaceId,
  id: ContactId,
  changes: Updateable<ContactTable>,
) {
  return db
    .updateTable('contact')
    .set({ ...changes, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function softDeleteContact(db: Db, workspaceId: WorkspaceId, id: ContactId, reason: string) {
  return updateContact(db, workspaceId, id, { deleted_at: sql`now()` as never, deleted_reason: reason })
}

export function recordStatusChange(
  db: Db,
  change: {
    workspaceId: WorkspaceId
    contactId: ContactId
    from: ContactStatus | null
    to: ContactStatus
    reason: string
    actorId: UserId | null
  },
) {
  return db
    .insertInto('contact_status_change')
    .values({
      workspace_id: change.workspaceId,
      contact_id: change.contactId,
      from_status: change.from,
      to_status: change.to,
      reason: change.reason,
      actor_id: change.actorId,
    })
    .execute()
}

/** A contact's status changes, newest first, with the name of the user who made each (or null). */
export function listStatusChanges(db: Db, workspaceId: WorkspaceId, contactId: ContactId) {
  return db
    .selectFrom('contact_status_change as s')
    .leftJoin('app_user as u', (j) =>
      j.onRef('u.id', '=', 's.actor_id').on('u.workspace_id', '=', workspaceId),
    )
    .selectAll('s')
    .select(
      sql<string | null>`coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email)`.as(
        'actor_name',
      ),
    )
    .where('s.workspace_id', '=', workspaceId)
    .where('s.contact_id', '=', contactId)
    .orderBy('s.created_at', 'desc')
    .orderBy('s.id', 'desc')
    .execute()
}
