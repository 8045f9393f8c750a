import { type FilterGroup, registrableDomain } from '@signet/shared'
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, ContactStatus, TargetGroupId, WorkspaceId } from '../db/schema.ts'
import { compileFilter } from '../segments/compile.ts'

export interface RecipientTargets {
  /** The live contact with this address, if any. */
  contact: {
    id: ContactId
    status: ContactStatus
    trackingOptOut: boolean
    accountId: AccountId | null
  } | null
  /** The live account of the address's registrable domain, as main domain or alias, if any. */
  account: { id: AccountId; domain: string } | null
}

/**
 * For resolve: the contact and account of each recipient, keyed by the lower-cased address, in two
 * queries whatever the number of recipients. Deleted contacts and accounts are never matched.
 */
export async function findRecipientTargets(
  db: Db,
  workspaceId: WorkspaceId,
  emails: string[],
): Promise<Map<string, RecipientTargets>> {
  const lower = [...new Set(emails.map((e) => e.trim().toLowerCase()))]
  const domainOf = new Map(lower.map((e) => [e, registrableDomain(e)]))
  const domains = [...new Set([...domainOf.values()].filter((d): d is string => Boolean(d)))]
  const [contacts, accounts] = await Promise.all([
    lower.length === 0
      ? []
      : db
          .selectFrom('contact')
          .select(['id', 'email', 'status', 'tracking_opt_out_at', 'account_id'])
          .where('workspace_id', '=', workspaceId)
          .where('deleted_at', 'is', null)
          .where('email', 'in', lower)
          .execute(),
    domains.length === 0
      ? []
      : db
          .selectFrom('account')
          .leftJoin('account_alias', 'account_alias.account_id', 'account.id')
          .select(['account.id', 'account.domain', 'account_alias.domain as alias'])
          .where('account.workspace_id', '=', workspaceId)
          .where('account.deleted_at', 'is', null)
          .where((eb) =>
            eb.or([eb('account.domain', 'in', domains), eb('account_alias.domain', 'in', domains)]),
          )
          .execute(),
  ])
  const accountByDomain = new Map<string, { id: AccountId; domain: string }>()
  for (const row of accounts) {
    accountByDomain.set(row.domain, { id: row.id, domain: row.domain })
    if (row.alias) accountByDomain.set(row.alias, { id: row.id, domain: row.domain })
  }
  const contactByEmail = new Map(contacts.map((c) => [c.email, c]))
  const result = new Map<string, RecipientTargets>()
  for (const email of lower) {
    const contact = contactByEmail.get(email)
    const domain = domainOf.get(email)
    result.set(email, {
      contact: contact
        ? {
            id: contact.id,
            status: contact.status,
            trackingOptOut: contact.tracking_opt_out_at !== null,
            accountId: contact.account_id,
          }
        : null,
      account: (domain && accountByDomain.get(domain)) || null,
    })
  }
  return result
}

export type GroupMembership =
  | { groupId: TargetGroupId; accountId: AccountId }
  | { groupId: TargetGroupId; contactId: ContactId }

/**
 * For resolve: the target groups, static and dynamic, each of these accounts and contacts is in.
 * One query for static memberships, one for the dynamic groups' segments, and one per kind that
 * tests every dynamic group's filter against only the given ids. Deleted targets never match.
 */
export async function findGroupsOfTargets(
  db: Db,
  workspaceId: WorkspaceId,
  targets: { accountIds: string[]; contactIds: string[] },
): Promise<GroupMembership[]> {
  const accountIds = [...new Set(targets.accountIds)] as AccountId[]
  const contactIds = [...new Set(targets.contactIds)] as ContactId[]
  if (accountIds.length === 0 && contactIds.length === 0) return []
  const staticRows = await sql<{
    group_id: TargetGroupId
    account_id: AccountId | null
    contact_id: ContactId | null
  }>`
    select m.group_id, m.account_id, null::uuid as contact_id
    from target_group_account m
    join target_group g on g.id = m.group_id and g.workspace_id = ${workspaceId} and g.segment_id is null
    join account a on a.id = m.account_id and a.deleted_at is null
    where m.account_id = any(${sql.val(accountIds)}::uuid[])
    union all
    select m.group_id, null::uuid, m.contact_id
    from target_group_contact m
    join target_group g on g.id = m.group_id and g.workspace_id = ${workspaceId} and g.segment_id is null
    join contact c on c.id = m.contact_id and c.deleted_at is null
    where m.contact_id = any(${sql.val(contactIds)}::uuid[])
  `.execute(db)
  const result: GroupMembership[] = staticRows.rows.map((r) =>
    r.account_id
      ? { groupId: r.group_id, accountId: r.account_id }
      : { groupId: r.group_id, contactId: r.contact_id! },
  )

  const dynamic = await db
    .selectFrom('target_group as g')
    .innerJoin('segment as s', 's.id', 'g.segment_id')
    .select(['g.id', 'g.kind', 's.filter'])
    .where('g.workspace_id', '=', workspaceId)
    .execute()
  result.push(...(await findDynamicMemberships(db, workspaceId, dynamic, { accountIds, contactIds })))
  return result
}

/**
 * Which of these accounts and contacts the given dynamic groups' segments match now: one query
 * per kind, each filter tested against only the given ids. Deleted targets never match.
 */
export async function findDynamicMemberships(
  db: Db,
  workspaceId: WorkspaceId,
  dynamic: { id: TargetGroupId; kind: 'account' | 'contact'; filter: unknown }[],
  targets: { accountIds: string[]; contactIds: string[] },
): Promise<GroupMembership[]> {
  const result: GroupMembership[] = []
  const accountIds = [...new Set(targets.accountIds)] as AccountId[]
  const contactIds = [...new Set(targets.contactIds)] as ContactId[]
  for (const kind of ['account', 'contact'] as const) {
    const ids = kind === 'account' ? accountIds : contactIds
    const groups = dynamic.filter((g) => g.kind === kind)
    if (ids.length === 0 || groups.length === 0) continue
    const selects: RawBuilder<unknown>[] = []
    for (const group of groups) {
      const where = await compileFilter(db, workspaceId, kind, group.filter as FilterGroup).catch(
        () => undefined,
      )
      // A group whose segment no longer compiles (e.g. a deleted group inside it) matches nobody.
      if (!where) continue
      selects.push(sql`select ${group.id}::uuid as group_id, ${sql.ref(`${kind}.id`)} as id from ${sql.table(kind)}
        where ${sql.ref(`${kind}.workspace_id`)} = ${workspaceId} and ${sql.ref(`${kind}.deleted_at`)} is null
        and ${sql.ref(`${kind}.id`)} = any(${sql.val(ids)}::uuid[]) and ${where}`)
    }
    if (selects.length === 0) continue
    const rows = await sql<{
      group_id: TargetGroupId
      id: string
    }>`${sql.join(selects, sql` union all `)}`.execute(db)
    for (const row of rows.rows) {
      result.push(
        kind === 'account'
          ? { groupId: row.group_id, accountId: row.id as AccountId }
          : { groupId: row.group_id, contactId: row.id as ContactId },
      )
    }
  }
  return result
}
