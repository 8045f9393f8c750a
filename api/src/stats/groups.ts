import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { addGroupMembers, deleteGroupRollups, findGroupDrift } from './group-queries.ts'
import type { Subject } from './queries.ts'
import { waitForRollupLock } from './rollup-queries.ts'

/**
 * A target group's own rollups (group-queries.ts) follow its live members, static or by
 * segment: members that joined are added; when any left, the group's rollups are built anew,
 * since its reach sets cannot take a member out. A group's figures stay its live members'.
 */

/** Members a read adds before it answers; a bigger change is built in the background. */
export const INLINE_MEMBERS = 50

const building = new Map<string, Promise<void>>()

/** Waits for the builds in the background (tests, the benchmark, shutdown). */
export async function groupBuilds(): Promise<void> {
  await Promise.all(building.values())
}

export async function syncGroupRollups(db: Db, workspaceId: WorkspaceId, subject: Subject) {
  if (subject.scope !== 'target_group') return
  await db.transaction().execute(async (trx) => {
    await waitForRollupLock(trx)
    const drift = await findGroupDrift(trx, workspaceId, subject.id, subject.members)
    if (drift.left) await deleteGroupRollups(trx, workspaceId, [subject.id])
    if (drift.left || drift.joined) await addGroupMembers(trx, workspaceId, subject, subject.members)
  })
}

/**
 * The subject, with `fresh` set when the group's own rollups count exactly its live members.
 * A small change is made before answering; a big one (a first read, members leaving a large
 * group) starts a build in the background and this answer sums the members' rows, as the
 * rollups did before groups had their own — slower, equally exact.
 */
export async function prepareGroup(
  db: Db,
  workspaceId: WorkspaceId,
  subject: Subject,
  log: (message: string) => void = (m) => console.warn(`[signet] statistics: ${m}`),
): Promise<Subject> {
  if (subject.scope !== 'target_group') return subject
  const drift = await findGroupDrift(db, workspaceId, subject.id, subject.members)
  if (!drift.joined && !drift.left) return { ...subject, fresh: true }
  const work = drift.left ? drift.live : drift.joined
  if (work <= INLINE_MEMBERS) {
    await syncGroupRollups(db, workspaceId, subject)
    return { ...subject, fresh: true }
  }
  if (!building.has(subject.id)) {
    const build = syncGroupRollups(db, workspaceId, subject)
      .catch((error) => log(`cannot build the rollups of a target group: ${(error as Error).message}`))
      .finally(() => building.delete(subject.id))
    building.set(subject.id, build)
  }
  return subject
}
