import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError, notFound } from '../http/errors.ts'
import {
  findCountedBurstClicks,
  findEventById,
  findEventForUpdate,
  findHumanClicksOfNetwork,
  markQueuedBursts,
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
    await reclassifyCounted(trx, workspaceId, clicks, burst.reason)
  })
}

interface CountedClick {
  id: string | number
  lead_domains: string[] | null
  lead_emails: string[] | null
}

/**
 * Counted human clicks of a workspace become machine with `reason`: moved in every rollup they
 * are in, their human-click sets and their deliveries' leads recounted. Under the rollup lock.
 */
async function reclassifyCounted(trx: Db, workspaceId: WorkspaceId, clicks: CountedClick[], reason: string) {
  if (!clicks.length) return
  const ids = clicks.map((c) => String(c.id))
  const where = sql`e.id = any(${ids}::bigint[])`
  await applyToRollups(trx, where, -1)
  await setEventsMachine(trx, ids, reason)
  await applyToRollups(trx, where, 1)
  for (const id of ids) await recountHumanClicks(trx, id)
  const leads = (pick: (c: CountedClick) => string[] | null) => [
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
}

/**
 * The per-delivery burst (two clicks within a second) across API processes: each process sees
 * only the clicks it served, so the rollup job, before it counts a batch, looks again over all
 * of them. The batch's human clicks in a burst become machine before they are counted; earlier
 * clicks already counted as people's are moved like a re-classification. Under the rollup lock.
 */
export async function markBurstsAcrossProcesses(trx: Db, ids: string[]) {
  await markQueuedBursts(trx, ids)
  const counted = await findCountedBurstClicks(trx, ids)
  for (const workspaceId of new Set(counted.map((c) => c.workspace_id)))
    await reclassifyCounted(
      trx,
      workspaceId,
      counted.filter((c) => c.workspace_id === workspaceId),
      'burst',
    )
}
