import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, SegmentId, TargetGroupId, WorkspaceId } from '../db/schema.ts'

export function findTargetGroupById(db: Db, workspaceId: WorkspaceId, id: string) {
  return db
    .selectFrom('target_group')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as TargetGroupId)
    .executeTakeFirst()
}

export function listTargetGroups(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('target_group')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .orderBy('id')
    .execute()
}

/** Live members of static groups, counted per group in one query. */
export async function countStaticMembers(db: Db, workspaceId: WorkspaceId, groupIds: TargetGroupId[]) {
  if (groupIds.length === 0) return new Map<string, number>()
  const rows = await db
    .selectFrom('target_group_account as m')
    .innerJoin('account', 'account.id', 'm.account_id')
    .select(['m.group_id', sql<number>`count(*)::int`.as('n')])
    .where('m.group_id', 'in', groupIds)
    .where('account.workspace_id', '=', workspaceId)
    .where('account.deleted_at', 'is', null)
    .groupBy('m.group_id')
    .unionAll(
      db
        .selectFrom('target_group_contact as m')
        .innerJoin('contact', 'contact.id', 'm.contact_id')
        .select(['m.group_id', sql<number>`count(*)::int`.as('n')])
        .where('m.group_id', 'in', groupIds)
        .where('contact.workspace_id', '=', workspaceId)
        .where('contact.deleted_at', 'is', null)
        .groupBy('m.group_id'),
    )
    .execute()
  return new Map(rows.map((r) => [r.group_id as string, r.n]))
}

export function insertTargetGroup(
  db: Db,
  group: { workspaceId: WorkspaceId; name: string; kind: 'account' | 'contact'; segmentId: string | null },
) {
  return db
    .insertInto('target_group')
    .values({
      workspace_id: group.workspaceId,
      name: group.name,
      kind: group.kind,
      segment_id: group.segmentId as SegmentId | null,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateTargetGroup(
  db: Db,
  workspaceId: WorkspaceId,
  id: TargetGroupId,
  changes: { name?: string; segment_id?: SegmentId | null },
) {
  return db
    .updateTable('target_group')
    .set({ ...changes, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

/** Deleting a group removes only the memberships; the accounts, contacts and statistics stay. */
export function deleteTargetGroup(db: Db, workspaceId: WorkspaceId, id: TargetGroupId) {
  return db.deleteFrom('target_group').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}

export async function addAccountMembers(db: Db, groupId: TargetGroupId, accountIds: AccountId[]) {
  if (accountIds.length === 0) return 0
  const result = await db
    .insertInto('target_group_account')
    .values(accountIds.map((account_id) => ({ group_id: groupId, account_id })))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0)
}

export async function addContactMembers(db: Db, groupId: TargetGroupId, contactIds: ContactId[]) {
  if (contactIds.length === 0) return 0
  const result = await db
    .insertInto('target_group_contact')
    .values(contactIds.map((contact_id) => ({ group_id: groupId, contact_id })))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst()
  return Number(result.numInsertedOrUpdatedRows ?? 0)
}

export async function removeAccountMembers(db: Db, groupId: TargetGroupId, accountIds: AccountId[]) {
  if (accountIds.length === 0) return 0
  const result = await db
    .deleteFrom('target_group_account')
    .where('group_id', '=', groupId)
    .where('account_id', 'in', accountIds)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

export async function removeContactMembers(db: Db, groupId: TargetGroupId, contactIds: ContactId[]) {
  if (contactIds.length === 0) return 0
  const result = await db
    .deleteFrom('target_group_contact')
    .where('group_id', '=', groupId)
    .where('contact_id', 'in', contactIds)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Which of these ids are live accounts of the workspace. */
export async function findLiveAccountIds(db: Db, workspaceId: WorkspaceId, ids: string[]) {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('account')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where('id', 'in', ids as AccountId[])
    .execute()
  return rows.map((r) => r.id)
}

export async function findLiveContactIds(db: Db, workspaceId: WorkspaceId, ids: string[]) {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('contact')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where('id', 'in', ids as ContactId[])
    .execute()
  return rows.map((r) => r.id)
}

/** Live accounts by main domain or alias. */
export function findLiveAccountsByDomains(db: Db, workspaceId: WorkspaceId, domains: string[]) {
  if (domains.length === 0) return Promise.resolve([])
  return db
    .selectFrom('account')
    .leftJoin('account_alias', 'account_alias.account_id', 'account.id')
    .select(['account.id', 'account.domain', 'account_alias.domain as alias'])
    .where('account.workspace_id', '=', workspaceId)
    .where('account.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('account.domain', 'in', domains), eb('account_alias.domain', 'in', domains)]))
    .execute()
}

export function findLiveContactsByEmails(db: Db, workspaceId: WorkspaceId, emails: string[]) {
  if (emails.length === 0) return Promise.resolve([])
  return db
    .selectFrom('contact')
    .select(['id', 'email'])
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
    .where('email', 'in', emails)
    .execute()
}
