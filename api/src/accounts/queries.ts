import type { DeletedListQuery, ListQuery } from '@signet/shared'
import type { Insertable, Updateable } from 'kysely'
import { type Expression, type SqlBool, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AccountId, AccountTable, WorkspaceId } from '../db/schema.ts'
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
    { column: 'name', type: 'text' },
    { column: 'id', type: 'uuid' },
  ],
  deleted: [
    { column: 'deleted_at', type: 'timestamptz' },
    { column: 'id', type: 'uuid' },
  ],
}

// Must stay identical to the expression of account_search_idx, or the trigram index is not used.
const searchText = sql<string>`(account.domain || ' ' || account.name || ' ' || coalesce(account.website, ''))`

export function findAccountById(db: Db, workspaceId: WorkspaceId, id: string) {
  return db
    .selectFrom('account')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as AccountId)
    .executeTakeFirst()
}

/** The live account owning a domain, as its main domain or as an alias. */
export function findLiveAccountByDomain(db: Db, workspaceId: WorkspaceId, domain: string) {
  return db
    .selectFrom('account')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('domain', '=', domain),
        eb(
          'id',
          'in',
          eb
            .selectFrom('account_alias')
            .select('account_id')
            .where('workspace_id', '=', workspaceId)
            .where('domain', '=', domain),
        ),
      ]),
    )
    .executeTakeFirst()
}

export function listAliasesOf(db: Db, workspaceId: WorkspaceId, accountIds: AccountId[]) {
  if (accountIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('account_alias')
    .select(['account_id', 'domain'])
    .where('workspace_id', '=', workspaceId)
    .where('account_id', 'in', accountIds)
    .orderBy('domain')
    .execute()
}

/** Live accounts whose domain or alias is one of `domains`, except `exceptId`. */
export function findDomainOwners(db: Db, workspaceId: WorkspaceId, domains: string[], exceptId?: AccountId) {
  if (domains.length === 0) return Promise.resolve([])
  let query = db
    .selectFrom('account')
    .leftJoin('account_alias', 'account_alias.account_id', 'account.id')
    .select(['account.id', 'account.domain', 'account_alias.domain as alias'])
    .where('account.workspace_id', '=', workspaceId)
    .where('account.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('account.domain', 'in', domains), eb('account_alias.domain', 'in', domains)]))
  if (exceptId) query = query.where('account.id', '!=', exceptId)
  return query.execute()
}

export type AccountFilter = (eb: any) => Expression<SqlBool>

function filtered(
  db: Db,
  workspaceId: WorkspaceId,
  q: string | undefined,
  deleted: boolean,
  extra?: AccountFilter,
) {
  let query = db
    .selectFrom('account')
    .where('account.workspace_id', '=', workspaceId)
    .where('account.deleted_at', deleted ? 'is not' : 'is', null)
  if (q) {
    query = query.where((eb) => {
      const or = [eb(searchText, 'ilike', containsPattern(q))]
      if (UUID.test(q)) or.push(eb('account.id', '=', q.toLowerCase() as AccountId))
      if (q.includes('.')) {
        or.push(
          eb.exists(
            eb
              .selectFrom('account_alias')
              .select(sql`1`.as('one'))
              .whereRef('account_alias.account_id', '=', 'account.id')
              .where('account_alias.domain', 'ilike', containsPattern(q)),
          ),
        )
      }
      return eb.or(or)
    })
  }
  if (extra) query = query.where(extra)
  return query
}

/** A page of accounts in one sort order, plus the total matching count (estimated when counting a large list takes too long). */
/** The ids of up to `limit` live accounts a search and filter match (a bulk action's "every match"). */
export async function listMatchingAccountIds(
  db: Db,
  workspaceId: WorkspaceId,
  q: string | undefined,
  filter: AccountFilter | undefined,
  limit: number,
) {
  const rows = await filtered(db, workspaceId, q, false, filter).select('account.id').limit(limit).execute()
  return rows.map((r) => r.id)
}

export async function listAccounts(
  db: Db,
  workspaceId: WorkspaceId,
  list: ListQuery | DeletedListQuery,
  options: { deleted?: boolean; filter?: AccountFilter } = {},
) {
  const columns = sorts[list.sort]!
  const base = filtered(db, workspaceId, list.q, options.deleted ?? false, options.filter)
  let page = base.selectAll('account').select(cursorValuesSql('account', columns).as('cursor_values'))
  if (list.cursor)
    page = page.where(afterCursorSql('account', columns, decodeCursor(list.cursor, columns), list.order))
  for (const c of columns) page = page.orderBy(`account.${c.column}` as 'account.id', list.order)
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

/**
 * Every account a list query matches, in its order, `size` at a time (keyset batches, so an
 * export holds one batch in memory whatever the number of rows).
 */
export async function* accountBatches(
  db: Db,
  workspaceId: WorkspaceId,
  list: { q?: string | undefined; sort: keyof typeof sorts; order: 'asc' | 'desc' },
  options: { deleted?: boolean; filter?: AccountFilter } = {},
  size = 1000,
) {
  const columns = sorts[list.sort]!
  let after: unknown[] | undefined
  for (;;) {
    let page = filtered(db, workspaceId, list.q, options.deleted ?? false, options.filter)
      .selectAll('account')
      .select(cursorValuesSql('account', columns).as('cursor_values'))
    if (after) page = page.where(afterCursorSql('account', columns, after, list.order))
    for (const c of columns) page = page.orderBy(`account.${c.column}` as 'account.id', list.order)
    const rows = await page.limit(size).execute()
    if (rows.length) yield rows
    if (rows.length < size) return
    after = rows.at(-1)!.cursor_values as unknown[]
  }
}

/** The custom field names the matching accounts use, sorted: the export's extra columns. */
export async function accountCustomFieldKeys(
  db: Db,
  workspaceId: WorkspaceId,
  q: string | undefined,
  options: { deleted?: boolean; filter?: AccountFilter } = {},
) {
  const rows = await filtered(db, workspaceId, q, options.deleted ?? false, options.filter)
    .select(sql<string>`jsonb_object_keys(account.custom_fields)`.as('key'))
    .distinct()
    .orderBy('key')
    .limit(500)
    .execute()
  return rows.map((r) => r.key)
}

export function insertAccount(db: Db, account: Insertable<AccountTable>) {
  return db.insertInto('account').values(account).returningAll().executeTakeFirstOrThrow()
}

export function updateAccount(
  db: Db,
  workspaceId: WorkspaceId,
  id: AccountId,
  changes: Updateable<AccountTable>,
) {
  return db
    .updateTable('account')
    .set({ ...changes, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function insertAliases(db: Db, workspaceId: WorkspaceId, accountId: AccountId, domains: string[]) {
  if (domains.length === 0) return Promise.resolve()
  return db
    .insertInto('account_alias')
    .values(domains.map((domain) => ({ workspace_id: workspaceId, account_id: accountId, domain })))
    .execute()
}

export function deleteAlias(db: Db, workspaceId: WorkspaceId, accountId: AccountId, domain: string) {
  return db
    .deleteFrom('account_alias')
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
    .where('domain', '=', domain)
    .executeTakeFirst()
}

export function softDeleteAccount(db: Db, workspaceId: WorkspaceId, id: AccountId, reason: string) {
  return updateAccount(db, workspaceId, id, { deleted_at: sql`now()` as never, deleted_reason: reason })
}

/** Erase: the row goes; deliveries keep only the bare id, so statistics stay, anonymised. */
export function eraseAccount(db: Db, workspaceId: WorkspaceId, id: AccountId) {
  return db.deleteFrom('account').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}

/**
 * A contact belongs to the live account of its email domain. Called whenever an account appears
 * (created, restored, domain changed, alias added) so contacts created earlier are linked too.
 */
export function linkContactsOfDomains(
  db: Db,
  workspaceId: WorkspaceId,
  accountId: AccountId,
  domains: string[],
) {
  if (domains.length === 0) return Promise.resolve()
  return db
    .updateTable('contact')
    .set({ account_id: accountId })
    .where('workspace_id', '=', workspaceId)
    .where('domain', 'in', domains)
    .execute()
}

/** Contacts of an account that lost a domain (or was deleted) no longer belong to it. */
export function unlinkContacts(db: Db, workspaceId: WorkspaceId, accountId: AccountId, domains?: string[]) {
  let query = db
    .updateTable('contact')
    .set({ account_id: null })
    .where('workspace_id', '=', workspaceId)
    .where('account_id', '=', accountId)
  if (domains) {
    if (domains.length === 0) return Promise.resolve()
    query = query.where('domain', 'in', domains)
  }
  return query.execute()
}

/** A deleted account gives up its aliases when a live account claims one of them. */
export function releaseAliasesOfDeletedAccounts(
  db: Db,
  workspaceId: WorkspaceId,
  domains: string[],
  exceptId?: AccountId,
) {
  if (domains.length === 0) return Promise.resolve()
  return db
    .deleteFrom('account_alias')
    .where('workspace_id', '=', workspaceId)
    .where('domain', 'in', domains)
    .where('account_id', 'in', (eb) =>
      eb
        .selectFrom('account')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('deleted_at', 'is not', null)
        .where('id', '!=', exceptId ?? ('00000000-0000-0000-0000-000000000000' as AccountId)),
    )
    .execute()
}
