import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { findEventById, findEventForUpdate, setEventClass } from './event-queries.ts'
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
