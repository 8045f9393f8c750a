import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, ContactStatus, TargetGroupId, WorkspaceId } from '../db/schema.ts'
import { findGroupsOfTargets as findMemberships } from '../targets/lookup-queries.ts'

/**
 * Every read of targeting tables that resolve needs: the recipients' contacts and accounts in one
 * statement, and their groups (static and dynamic) through the targets module.
 */

export interface ContactTarget {
  id: ContactId
  email: string
  accountId: AccountId | null
  status: ContactStatus
  trackingOptOut: boolean
  consent: boolean
}

export interface AccountTarget {
  id: AccountId
  domain: string
}

export interface RecipientTargets {
  /** By lower-case email; deleted contacts are not there. */
  contacts: Map<string, ContactTarget>
  /** By registrable domain, the account's own or an alias (the value names the account's own domain). */
  accounts: Map<string, AccountTarget>
}

export interface GroupMembership {
  groupId: TargetGroupId
  groupName: string
  contactId: ContactId | null
  accountId: AccountId | null
}

export async function findRecipientTargets(
  db: Db,
  workspaceId: WorkspaceId,
  emails: string[],
  domains: string[],
): Promise<RecipientTargets> {
  const result: RecipientTargets = { contacts: new Map(), accounts: new Map() }
  if (emails.length === 0 && domains.length === 0) return result
  // One statement, so a resolve holds one pooled connection for one round trip: contacts by
  // email, accounts by own domain (rank 0) and by alias (rank 1; the own domain wins).
  const { rows } = await sql<{
    kind: 'contact' | 'account'
    id: string
    key: string
    account_id: string | null
    status: ContactStatus | null
    opted_out: boolean
    consent: boolean
    rank: number
  }>`
    select 'contact' as kind, c.id, c.email as key, c.account_id::text as account_id, c.status,
           c.tracking_opt_out_at is not null as opted_out, c.consent_given_at is not null as consent, 0 as rank
      from contact c
     where c.workspace_id = ${workspaceId} and c.email = any(${emails}::text[]) and c.deleted_at is null
    union all
    select 'account', a.id, a.domain, a.domain, null, false, false, 0
      from account a
     where a.workspace_id = ${workspaceId} and a.domain = any(${domains}::text[]) and a.deleted_at is null
    union all
    select 'account', a.id, al.domain, a.domain, null, false, false, 1
      from account_alias al join account a on a.id = al.account_id
     where al.workspace_id = ${workspaceId} and al.domain = any(${domains}::text[]) and a.deleted_at is null
     order by rank desc`.execute(db)
  for (const r of rows) {
    if (r.kind === 'contact') {
      result.contacts.set(r.key, {
        id: r.id as ContactId,
        email: r.key,
        accountId: r.account_id as AccountId | null,
        status: r.status!,
        trackingOptOut: r.opted_out,
        consent: r.consent,
      })
    } else {
      // account_id carries the account's own domain here.
      result.accounts.set(r.key, { id: r.id as AccountId, domain: r.account_id! })
    }
  }
  return result
}

/**
 * The target groups of the given contacts and accounts — static memberships and dynamic groups
 * whose segment matches them (the targets module evaluates those against just these ids) — with
 * the group names the explanation needs.
 */
export async function findGroupsOfTargets(
  db: Db,
  workspaceId: WorkspaceId,
  targets: { contactIds: ContactId[]; accountIds: AccountId[] },
): Promise<GroupMembership[]> {
  const memberships = await findMemberships(db, workspaceId, targets)
  if (memberships.length === 0) return []
  const names = await db
    .selectFrom('target_group')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(memberships.map((m) => m.groupId))])
    .execute()
  const nameOf = new Map(names.map((g) => [g.id, g.name]))
  return memberships.map((m) => ({
    groupId: m.groupId,
    groupName: nameOf.get(m.groupId) ?? '',
    contactId: 'contactId' in m ? m.contactId : null,
    accountId: 'accountId' in m ? m.accountId : null,
  }))
}
