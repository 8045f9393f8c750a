import {
  type ContactAction,
  type ContactStatus,
  type CreateContact,
  statusSeverity,
  type UpdateContact,
} from '@signet/shared'
import { sql } from 'kysely'
import { findLiveAccountByDomain } from '../accounts/queries.ts'
import type { Db } from '../db/index.ts'
import type { ContactRow, UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { inTransaction } from '../targets/transaction.ts'
import { toContact } from './dto.ts'
import {
  findContactById,
  findLiveContactByEmail,
  hasDeletedContactWithEmail,
  insertContact,
  recordStatusChange,
  updateContact,
} from './queries.ts'

export async function getContactOrThrow(db: Db, workspaceId: WorkspaceId, id: string, deleted = false) {
  const row = await findContactById(db, workspaceId, id)
  if (!row || (row.deleted_at !== null) !== deleted) throw notFound(deleted ? 'Deleted contact' : 'Contact')
  return row
}

/**
 * A new or changed address must be nobody else's: not a live contact's, and not a deleted one's,
 * whose opt-out and status would otherwise be bypassed by a fresh record (restore it instead).
 */
async function assertEmailFree(db: Db, workspaceId: WorkspaceId, email: string) {
  if (await findLiveContactByEmail(db, workspaceId, email)) {
    throw new ApiError('conflict', 'A contact with this email already exists.', 'email')
  }
  if (await hasDeletedContactWithEmail(db, workspaceId, email)) {
    throw new ApiError(
      'conflict',
      'A deleted contact has this email address. Restore it from Deleted instead.',
      'email',
    )
  }
}

function splitName(name: string | undefined) {
  if (!name) return {}
  const comma = /^([^,]+),\s*(.+)$/.exec(name) // "Mustermann, Max"
  if (comma) return { firstName: comma[2]!, lastName: comma[1]! }
  const parts = name.split(/\s+/)
  return parts.length === 1
    ? { firstName: name }
    : { firstName: parts.slice(0, -1).join(' '), lastName: parts.at(-1)! }
}

function consentColumns(consent: CreateContact['consent']) {
  if (!consent) return {}
  if (!consent.given) return { consent_given_at: null, consent_method: null }
  return { consent_given_at: consent.at ?? (sql`now()` as never), consent_method: consent.method ?? null }
}

export function createContact(db: Db, workspaceId: WorkspaceId, actorId: UserId, input: CreateContact) {
  return inTransaction(db, async (trx) => {
    await assertEmailFree(trx, workspaceId, input.email.email)
    const account = await findLiveAccountByDomain(trx, workspaceId, input.email.domain)
    const name = splitName(input.email.name)
    const row = await insertContact(trx, {
      workspace_id: workspaceId,
      email: input.email.email,
      domain: input.email.domain,
      account_id: account?.id ?? null,
      first_name: input.firstName ?? name.firstName ?? '',
      last_name: input.lastName ?? name.lastName ?? '',
      phone: input.phone ?? null,
      company: input.company ?? null,
      job_title: input.jobTitle ?? null,
      language: input.language ?? null,
      time_zone: input.timeZone ?? null,
      address: input.address ?? null,
      labels: input.labels,
      custom_fields: JSON.stringify(input.customFields) as never,
      source: input.source,
      status: input.status,
      tracking_opt_out_at: input.trackingOptOut ? (sql`now()` as never) : null,
      ...consentColumns(input.consent),
    })
    await recordStatusChange(trx, {
      workspaceId,
      contactId: row.id,
      from: null,
      to: row.status,
      reason: 'Created',
      actorId,
    })
    return toContact(row)
  })
}

export function changeContact(db: Db, workspaceId: WorkspaceId, contact: ContactRow, input: UpdateContact) {
  return inTransaction(db, async (trx) => {
    let emailColumns = {}
    if (input.email && input.email.email !== contact.email) {
      await assertEmailFree(trx, workspaceId, input.email.email)
      const account = await findLiveAccountByDomain(trx, workspaceId, input.email.domain)
      emailColumns = {
        email: input.email.email,
        domain: input.email.domain,
        account_id: account?.id ?? null,
      }
    }
    const customFields = input.customFields
      ? Object.fromEntries(
          Object.entries({ ...contact.custom_fields, ...input.customFields }).filter(([, v]) => v !== null),
        )
      : undefined
    const row = await updateContact(trx, workspaceId, contact.id, {
      ...emailColumns,
      first_name: input.firstName,
      last_name: input.lastName,
      phone: input.phone,
      company: input.company,
      job_title: input.jobTitle,
      language: input.language,
      time_zone: input.timeZone,
      address: input.address,
      labels: input.labels,
      custom_fields: customFields ? (JSON.stringify(customFields) as never) : undefined,
      ...consentColumns(input.consent),
    })
    return toContact(row)
  })
}

const statusName: Record<ContactStatus, string> = {
  active: 'active',
  not_confirmed: 'not confirmed',
  unsubscribed: 'unsubscribed',
  hard_bounce: 'hard-bounced',
  spam_report: 'reported as spam',
  blacklisted: 'blacklisted',
}

/**
 * The status a one-click action leads to, or why it is not allowed. An action never makes a
 * contact less restricted than the recipient's own choice: only the recipient can undo an
 * unsubscribe, and a spam report is cleared by its own action.
 */
export function statusAfter(action: Exclude<ContactAction, 'opt-out'>, status: ContactStatus): ContactStatus {
  const refuse = (message: string): never => {
    throw new ApiError('conflict', message, 'action')
  }
  switch (action) {
    case 'blacklist':
      return status === 'blacklisted' ? refuse('This contact is already blacklisted.') : 'blacklisted'
    case 'unsubscribe':
      if (status === 'unsubscribed') return refuse('This contact is already unsubscribed.')
      if (statusSeverity[status] > statusSeverity.unsubscribed) {
        return refuse(`This contact is ${statusName[status]}, which already stops more than an unsubscribe.`)
      }
      return 'unsubscribed'
    case 'remove-spam-report':
      return status === 'spam_report' ? 'active' : refuse('This contact has no spam report to remove.')
    case 'reactivate':
      if (status === 'active') return refuse('This contact is already active.')
      if (status === 'unsubscribed') return refuse('Only the contact can undo an unsubscribe.')
      if (status === 'spam_report') return refuse('Remove the spam report to make this contact active again.')
      return 'active'
  }
}

/** The status history's line for an opt-out of tracking, which changes no status. */
export const optOutReason = (reason: string) =>
  reason ? `Opted out of tracking: ${reason}` : 'Opted out of tracking'

export function applyAction(
  db: Db,
  workspaceId: WorkspaceId,
  actorId: UserId,
  contact: ContactRow,
  action: ContactAction,
  reason: string,
) {
  return inTransaction(db, async (trx) => {
    if (action === 'opt-out') {
      if (contact.tracking_opt_out_at) {
        throw new ApiError('conflict', 'This contact has already opted out of tracking.', 'action')
      }
      const row = await updateContact(trx, workspaceId, contact.id, {
        tracking_opt_out_at: sql`now()` as never,
      })
      // The status stays; the history keeps who opted the contact out of tracking, when and why.
      await recordStatusChange(trx, {
        workspaceId,
        contactId: contact.id,
        from: contact.status,
        to: contact.status,
        reason: optOutReason(reason),
        actorId,
      })
      return toContact(row)
    }
    const to = statusAfter(action, contact.status)
    const row = await updateContact(trx, workspaceId, contact.id, { status: to })
    await recordStatusChange(trx, {
      workspaceId,
      contactId: contact.id,
      from: contact.status,
      to,
      reason,
      actorId,
    })
    return toContact(row)
  })
}
