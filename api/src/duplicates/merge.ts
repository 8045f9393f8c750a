import { type MergeContacts, statusSeverity } from '@signet/shared'
import { sql } from 'kysely'
import { toContact } from '../contacts/dto.ts'
import { recordStatusChange, softDeleteContact, updateContact } from '../contacts/queries.ts'
import type { Db } from '../db/index.ts'
import type { ContactId, ContactRow, UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { deleteGroupRollups, findGroupsCounting } from '../stats/group-queries.ts'
import { applyToRollups, dropMergedFromSets, waitForRollupLock } from '../stats/rollup-queries.ts'
import {
  copyGroupMemberships,
  findDeliveriesNaming,
  findLiveContactsByIds,
  listContactsByKeys,
  listDuplicateKeys,
  moveDeliveries,
} from './queries.ts'

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

/**
 * The merged contacts' deliveries name the survivor instead, and their counted events move in
 * the rollups with them: taken out of every contact's rows (and the account × contact pairs)
 * they counted in, and added to the survivor's, so an email that went to two of the duplicates
 * counts once. Events still queued are counted by the job against the updated deliveries. The
 * target groups counting any of them are rebuilt when next read. The merged contacts stay in the
 * reach sets they were counted in (a set cannot take a member out): "contacts reached" keeps
 * counting them as the people they were.
 */
async function moveStatistics(trx: Db, workspaceId: WorkspaceId, from: ContactId[], to: ContactId) {
  await waitForRollupLock(trx)
  const deliveries = await findDeliveriesNaming(trx, workspaceId, from)
  if (deliveries.length) {
    const ofThem = sql`e.delivery_id = any(${deliveries}::uuid[])`
    for (const id of [to, ...from]) await applyToRollups(trx, ofThem, -1, { dim: 'contact', id })
    await moveDeliveries(trx, workspaceId, from, to)
    await applyToRollups(trx, ofThem, 1, { dim: 'contact', id: to })
    await dropMergedFromSets(trx, ofThem, workspaceId, to, from)
  }
  const groups = new Set<string>()
  for (const id of [to, ...from])
    for (const g of await findGroupsCounting(trx, workspaceId, 'contact', id)) groups.add(g)
  await deleteGroupRollups(trx, workspaceId, [...groups])
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
    return mergeRows(trx, workspaceId, actorId, rows, input.keep)
  })
}

/** Groups merged per pass of `mergeAllDuplicates`, each in its own transaction. */
const GROUPS_PER_PASS = 100

/**
 * "Remove duplicates": every group of a channel merged into its earlier or later record, as one
 * merge each (the seeds' button). Groups merged are gone from the list, so each pass reads the
 * first ones again; a pass that merges nothing ends it.
 */
export async function mergeAllDuplicates(
  db: Db,
  workspaceId: WorkspaceId,
  actorId: UserId,
  input: { channel: 'email' | 'phone'; keep: 'earlier' | 'later' },
) {
  const key = input.channel === 'email' ? 'canonical_email' : 'phone'
  let groups = 0
  let contacts = 0
  for (;;) {
    const keys = (await listDuplicateKeys(db, workspaceId, input.channel, GROUPS_PER_PASS)).map((k) => k.key)
    const members = await listContactsByKeys(db, workspaceId, input.channel, keys.slice(0, GROUPS_PER_PASS))
    let merged = 0
    for (const k of keys.slice(0, GROUPS_PER_PASS)) {
      const ids = members.filter((m) => m[key] === k).map((m) => m.id)
      // Read again in the merge's transaction: a contact changed meanwhile is merged as it is now.
      await db.transaction().execute(async (trx) => {
        const rows = await findLiveContactsByIds(trx, workspaceId, ids)
        if (rows.length < 2) return
        await mergeRows(trx, workspaceId, actorId, rows, input.keep)
        merged++
        contacts += rows.length - 1
      })
    }
    groups += merged
    if (merged === 0 || keys.length <= GROUPS_PER_PASS) return { groups, contacts }
  }
}

async function mergeRows(
  trx: Db,
  workspaceId: WorkspaceId,
  actorId: UserId,
  rows: ContactRow[],
  keep: 'earlier' | 'later',
) {
  const survivor = keep === 'earlier' ? rows[0]! : rows.at(-1)!
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
  await moveStatistics(trx, workspaceId, otherIds, survivor.id)
  for (const other of others) {
    await softDeleteContact(trx, workspaceId, other.id, `merged into ${survivor.email}`)
  }
  return toContact(updated)
}
