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
  const [contacts, accounts, aliases] = await Promise.all([
    emails.length
      ? db
          .selectFrom('contact')
          .select(['id', 'email', 'account_id', 'status', 'tracking_opt_out_at', 'consent_given_at'])
          .where('workspace_id', '=', workspaceId)
          .where('email', 'in', emails)
          .where('deleted_at', 'is', null)
          .execute()
      : [],
    domains.length
      ? db
          .selectFrom('account')
          .select(['id', 'domain'])
          .where('workspace_id', '=', workspaceId)
          .where('domain', 'in', domains)
          .where('deleted_at', 'is', null)
          .execute()
      : [],
    domains.length
      ? db
          .selectFrom('account_alias as al')
          .innerJoin('account as a', 'a.id', 'al.account_id')
          .select(['a.id', 'a.domain as account_domain', 'al.domain'])
          .where('al.workspace_id', '=', workspaceId)
          .where('al.domain', 'in', domains)
          .where('a.deleted_at', 'is', null)
          .execute()
      : [],
  ])
  const result: RecipientTargets = { contacts: new Map(), accounts: new Map() }
  for (const c of contacts) {
    result.contacts.set(c.email, {
      id: c.id,
      email: c.email,
      accountId: c.account_id,
      status: c.status,
      trackingOptOut: c.tracking_opt_out_at !== null,
      consent: c.consent_given_at !== null,
    })
  }
  // An account's own domain wins over another account's alias of the same domain.
  for (const a of aliases) result.accounts.set(a.domain, { id: a.id, domain: a.account_domain })
  for (const a of accounts) result.accounts.set(a.domain, { id: a.id, domain: a.domain })
  return result
}

/** Static memberships of the given contacts and accounts. */
export async function findGroupsOfTargets(
  db: Db,
  workspaceId: WorkspaceId,
  targets: { contactIds: ContactId[]; accountIds: AccountId[] },
): Promise<GroupMembership[]> {
  const [byContact, byAccount] = await Promise.all([
    targets.contactIds.length
      ? db
          .selectFrom('target_group_contact as m')
          .innerJoin('target_group as g', 'g.id', 'm.group_id')
          .select(['g.id', 'g.name', 'm.contact_id'])
          .where('g.workspace_id', '=', workspaceId)
          .where('m.contact_id', 'in', targets.contactIds)
          .execute()
      : [],
    targets.accountIds.length
      ? db
          .selectFrom('target_group_account as m')
          .innerJoin('target_group as g', 'g.id', 'm.group_id')
          .select(['g.id', 'g.name', 'm.account_id'])
          .where('g.workspace_id', '=', workspaceId)
          .where('m.account_id', 'in', targets.accountIds)
          .execute()
      : [],
  ])
  return [
    ...byContact.map((r) => ({ groupId: r.id, groupName: r.name, contactId: r.contact_id, accountId: null })),
    ...byAccount.map((r) => ({ groupId: r.id, groupName: r.name, contactId: null, accountId: r.account_id })),
  ]
}
