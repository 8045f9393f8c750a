import { CreateAccountSchema, CreateContactSchema, UpdateContactSchema } from '@signet/shared'
import { sql } from 'kysely'
import { findLiveAccountByDomain } from '../accounts/queries.ts'
import { createAccount } from '../accounts/service.ts'
import { findLiveContactByEmail } from '../contacts/queries.ts'
import { changeContact, createContact } from '../contacts/service.ts'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { parseOrThrow } from '../http/validate.ts'
import { deleteGroupRollups, findGroupsCounting } from '../stats/group-queries.ts'
import { applyToRollups, waitForRollupLock } from '../stats/rollup-queries.ts'
import { attachDomainDeliveries, attachEmailDeliveries, deleteLead } from './queries.ts'

/**
 * Turns a lead into a managed target in one transaction: the account or contact (created, or
 * the live one that has the domain or email by now), its past deliveries re-pointed to it, and
 * their counted events added to its rollups — so its statistics start with the clicks that made
 * it a lead. Events still queued are counted by the rollup job against the updated deliveries.
 */
async function attach(
  trx: Db,
  workspaceId: WorkspaceId,
  target: { dim: 'account' | 'contact'; id: string },
  deliveryIds: string[],
) {
  if (!deliveryIds.length) return
  await applyToRollups(trx, sql`e.delivery_id = any(${deliveryIds}::uuid[])`, 1, target)
  // Target groups that already count this target are built anew with its new deliveries.
  await deleteGroupRollups(
    trx,
    workspaceId,
    await findGroupsCounting(trx, workspaceId, target.dim, target.id),
  )
}

export function convertDomainLead(db: Db, workspaceId: WorkspaceId, input: { domain: string; name: string }) {
  return db.transaction().execute(async (trx) => {
    const existing = await findLiveAccountByDomain(trx, workspaceId, input.domain)
    const id =
      existing?.id ?? (await createAccount(trx, workspaceId, parseOrThrow(CreateAccountSchema, input))).id
    await waitForRollupLock(trx)
    const deliveries = await attachDomainDeliveries(trx, workspaceId, input.domain, id)
    await attach(trx, workspaceId, { dim: 'account', id }, deliveries)
    await deleteLead(trx, workspaceId, 'domain', input.domain)
    return { id, created: !existing, deliveries: deliveries.length }
  })
}

/**
 * The lead's clicks become a person's history, so the contact must have recorded consent: its
 * own, or the `consent` given here (recorded on it). Without either nothing changes (422).
 */
export function convertEmailLead(
  db: Db,
  workspaceId: WorkspaceId,
  actorId: UserId,
  input: { email: string; consent?: { at?: string; method: string } },
) {
  const { email } = input
  return db.transaction().execute(async (trx) => {
    const existing = await findLiveContactByEmail(trx, workspaceId, email)
    if (!existing?.consent_given_at && !input.consent)
      throw new ApiError(
        'validation_failed',
        'A person’s past clicks are kept only with their consent: say how they consented to be tracked.',
        'consent',
      )
    const consent = input.consent && { given: true, ...input.consent }
    let id: string
    if (!existing) {
      const create = parseOrThrow(CreateContactSchema, { email, consent })
      id = (await createContact(trx, workspaceId, actorId, create)).id
    } else {
      id = existing.id
      if (!existing.consent_given_at)
        await changeContact(trx, workspaceId, existing, parseOrThrow(UpdateContactSchema, { consent }))
    }
    await waitForRollupLock(trx)
    const deliveries = await attachEmailDeliveries(trx, workspaceId, email, id)
    await attach(trx, workspaceId, { dim: 'contact', id }, deliveries)
    await deleteLead(trx, workspaceId, 'email', email)
    return { id, created: !existing, deliveries: deliveries.length }
  })
}
