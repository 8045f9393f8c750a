import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError, notFound } from '../http/errors.ts'
import {
  findEventById,
  findEventForUpdate,
  findHumanClicksOfNetwork,
  setEventClass,
  setEventsMachine,
} from './event-queries.ts'
import { applyToRollups, recountHumanClicks, recountLeads, waitForRollupLock } from './rollup-queries.ts'

/** The reason an event gets when a marketer marks it as a machine's. */
export const MARKED_BY_MARKETER = 'marked_by_marketer'

/**
 * A marketer overrules the classifier: the event's counts move between human and machine in
 * every rollup it is in (taken out as it was, put back as it is), the human-click sets it is
 * in are recomputed, and the leads of its delivery are recounted. The classifier's reason is
 * kept, and comes back if the marketer changes their mind.
 */
export async function reclassifyEvent(
  db: Db,
  workspaceId: WorkspaceId,
  userId: UserId,
  id: string,
  human: boolean,
) {
  await db.transaction().execute(async (trx) => {
    await waitForRollupLock(trx)
    const event = await findEventForUpdate(trx, workspaceId, id)
    if (!event) throw notFound('Event')
    if (event.kind === 'sent')
      throw new ApiError('validation_failed', 'Only views and clicks are classified.', 'id')
    if (event.human === human) return
    const where = sql`e.id = ${id}::bigint`
    await applyToRollups(trx, where, -1)
    await setEventClass(trx, id, {
      human,
      machineReason: human ? null : (event.original_reason ?? MARKED_BY_MARKETER),
      originalReason: human ? event.machine_reason : null,
      by: userId,
    })
    await applyToRollups(trx, where, 1)
    if (event.kind === 'click') {
      await recountHumanClicks(trx, id)
      await recountLeads(trx, workspaceId, 'domain', event.lead_domains ?? [])
      await recountLeads(trx, workspaceId, 'email', event.lead_emails ?? [])
    }
  })
  return (await findEventById(db, workspaceId, id))!
}

/**
 * The classifier changes its mind about clicks already written: a network that turned out to be
 * following links on many deliveries at once had its first clicks counted as people's before the
 * burst showed. Those still human (and not decided by a marketer) become machine, moved in every
 * rollup they are in the same way as a marketer's re-classification.
 */
export async function reclassifyNetworkBurst(
  db: Db,
  workspaceId: WorkspaceId,
  burst: { network: string; deliveryIds: string[]; since: Date; reason: string },
) {
  await db.transaction().execute(async (trx) => {
    await waitForRollupLock(trx)
    const clicks = await findHumanClicksOfNetwork(
      trx,
      workspaceId,
      burst.network,
      burst.deliveryIds,
      burst.since,
    )
    if (!clicks.length) return
    const ids = clicks.map((c) => String(c.id))
    const where = sql`e.id = any(${ids}::bigint[])`
    await applyToRollups(trx, where, -1)
    await setEventsMachine(trx, ids, burst.reason)
    await applyToRollups(trx, where, 1)
    for (const id of ids) await recountHumanClicks(trx, id)
    const leads = (pick: (c: (typeof clicks)[number]) => string[] | null) => [
      ...new Set(clicks.flatMap((c) => pick(c) ?? [])),
    ]
    await recountLeads(
      trx,
      workspaceId,
      'domain',
      leads((c) => c.lead_domains),
    )
    await recountLeads(
      trx,
      workspaceId,
      'email',
      leads((c) => c.lead_emails),
    )
  })
}
