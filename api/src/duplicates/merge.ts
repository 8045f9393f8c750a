import { type MergeContacts, statusSeverity } from '@signet/shared'
import { toContact } from '../contacts/dto.ts'
import { recordStatusChange, softDeleteContact, updateContact } from '../contacts/queries.ts'
import type { Db } from '../db/index.ts'
import type { ContactRow, UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { copyGroupMemberships, findLiveContactsByIds, moveDeliveries } from './queries.ts'

const fillable = [
  'first_name',
  'last_name',
  'phone',
  'company',
  'job_title',
  'language',
  'time_zone',
  'address',
] as const

/**
 * What the survivor of a merge looks like: its own values first, gaps filled from the others;
 * labels, custom fields and memberships united; the most restrictive status; an opt-out is kept.
 */
export function mergedValues(survivor: ContactRow, others: ContactRow[]) {
  const all = [survivor, ...others]
  const fill: Partial<Record<(typeof fillable)[number], string>> = {}
  for (const column of fillable) {
    if (survivor[column]) continue
    const value = others.find((o) => o[column])?.[column]
    if (value) fill[column] = value
  }
  const status = all.map((c) => c.status).reduce((a, b) => (statusSeverity[b] > statusSeverity[a] ? b : a))
  const optOuts = all.map((c) => c.tracking_opt_out_at).filter((d): d is Date => d !== null)
  const consent = survivor.consent_given_at ? survivor : others.find((o) => o.consent_given_at)
  const customFields: Record<string, unknown> = {}
  for (const c of [...others].reverse()) Object.assign(customFields, c.custom_fields)
  Object.assign(customFields, survivor.custom_fields)
  return {
    ...fill,
    labels: [...new Set(all.flatMap((c) => c.labels))],
    custom_fields: customFields,
    status,
    tracking_opt_out_at: optOuts.length ? new Date(Math.min(...optOuts.map((d) => d.getTime()))) : null,
    consent_given_at: consent?.consent_given_at ?? null,
    consent_method: consent?.consent_method ?? null,
  }
}

export function mergeContacts(db: Db, workspaceId: WorkspaceId, actorId: UserId, input: MergeContacts) {
  return db.transaction().execute(async (trx) => {
    const ids = [...new Set(input.contactIds)]
    const rows = await findLiveContactsByIds(trx, workspaceId, ids)
    const found = new Set<string>(rows.map((r) => r.id))
    const missing = ids.findIndex((id) => !found.has(id))
    if (missing >= 0) {
      throw new ApiError('validation_failed', 'There is no contact with this id.', `contactIds.${missing}`)
    }
    if (rows.length < 2)
      throw new ApiError('validation_failed', 'Choose at least two contacts.', 'contactIds')
    const survivor = input.keep === 'earlier' ? rows[0]! : rows.at(-1)!
    const others = rows.filter((r) => r.id !== survivor.id)
    const merged = mergedValues(survivor, others)
    const updated = await updateContact(trx, workspaceId, survivor.id, {
      ...merged,
      custom_fields: JSON.stringify(merged.custom_fields) as never,
    })
    if (merged.status !== survivor.status) {
      await recordStatusChange(trx, {
        workspaceId,
        contactId: survivor.id,
        from: survivor.status,
        to: merged.status,
        reason: `Merged with ${others.map((o) => o.email).join(', ')}`,
        actorId,
      })
    }
    const otherIds = others.map((o) => o.id)
    await copyGroupMemberships(trx, otherIds, survivor.id)
    await moveDeliveries(trx, workspaceId, otherIds, survivor.id)
    for (const other of others) {
      await softDeleteContact(trx, workspaceId, other.id, `merged into ${survivor.email}`)
    }
    return toContact(updated)
  })
}
