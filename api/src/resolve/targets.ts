import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { AccountId, ContactId, ContactStatus, TargetGroupId, WorkspaceId } from '../db/schema.ts'

/**
 * Every read of targeting tables that resolve needs, in one small file: the targets module's
 * `findRecipientTargets` / `findGroupsOfTargets` (which add dynamic segment groups) can replace
 * these two functions without touching the rules.
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

/** Static memberships of the given contacts and accounts. */
export async function findGroupsOfTargets(
  db: Db,
  workspaceId: WorkspaceId,
  targets: { contactIds: ContactId[]; accountIds: AccountId[] },
): Promise<GroupMembership[]> {
  if (targets.contactIds.length === 0 && targets.accountIds.length === 0) return []
  const { rows } = await sql<{
    id: TargetGroupId
    name: string
    contact_id: ContactId | null
    account_id: AccountId | null
  }>`
    select g.id, g.name, m.contact_id, null::uuid as account_id
      from target_group_contact m join target_group g on g.id = m.group_id
     where g.workspace_id = ${workspaceId} and m.contact_id = any(${targets.contactIds}::uuid[])
    union all
    select g.id, g.name, null, m.account_id
      from target_group_account m join target_group g on g.id = m.group_id
     where g.workspace_id = ${workspaceId} and m.account_id = any(${targets.accountIds}::uuid[])`.execute(db)
  return rows.map((r) => ({
    groupId: r.id,
    groupName: r.name,
    contactId: r.contact_id,
    accountId: r.account_id,
  }))
}
