import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { SegmentId, TargetGroupId, WorkspaceId } from '../db/schema.ts'
import { countWithin } from '../targets/count-queries.ts'

/** A target group as a filter needs it: its kind and, for a dynamic group, its segment's filter. */
export function findGroupDefinition(db: Db, workspaceId: WorkspaceId, groupId: string) {
  return db
    .selectFrom('target_group as g')
    .leftJoin('segment as s', 's.id', 'g.segment_id')
    .select(['g.id', 'g.kind', 'g.segment_id', 's.filter'])
    .where('g.workspace_id', '=', workspaceId)
    .where('g.id', '=', groupId as TargetGroupId)
    .executeTakeFirst()
}

export function findSegmentById(db: Db, workspaceId: WorkspaceId, id: string) {
  return db
    .selectFrom('segment')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as SegmentId)
    .executeTakeFirst()
}

export function listSegments(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('segment')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .execute()
}

export function insertSegment(
  db: Db,
  segment: { workspaceId: WorkspaceId; name: string; kind: 'account' | 'contact'; filter: unknown },
) {
  return db
    .insertInto('segment')
    .values({
      workspace_id: segment.workspaceId,
      name: segment.name,
      kind: segment.kind,
      filter: JSON.stringify(segment.filter),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateSegment(
  db: Db,
  workspaceId: WorkspaceId,
  id: SegmentId,
  changes: { name?: string; filter?: unknown },
) {
  return db
    .updateTable('segment')
    .set({
      name: changes.name,
      filter: changes.filter === undefined ? undefined : JSON.stringify(changes.filter),
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteSegment(db: Db, workspaceId: WorkspaceId, id: SegmentId) {
  return db.deleteFrom('segment').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}

export function countGroupsUsingSegment(db: Db, workspaceId: WorkspaceId, id: SegmentId) {
  return db
    .selectFrom('target_group')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('segment_id', '=', id)
    .executeTakeFirstOrThrow()
}

/** How many live rows of a kind match a compiled filter, estimated when counting takes too long. */
export function countMatchingWithin(
  db: Db,
  workspaceId: WorkspaceId,
  kind: 'account' | 'contact',
  where: ReturnType<typeof sql<boolean>>,
) {
  return countWithin(
    db,
    db
      .selectFrom(kind)
      .where(`${kind}.workspace_id`, '=', workspaceId)
      .where(`${kind}.deleted_at`, 'is', null)
      .where(where),
  )
}

/** How many live rows of a kind match a compiled filter. */
export async function countMatching(
  db: Db,
  workspaceId: WorkspaceId,
  kind: 'account' | 'contact',
  where: ReturnType<typeof sql<boolean>>,
) {
  const row = await db
    .selectFrom(kind)
    .select(sql<number>`count(*)::int`.as('n'))
    .where(`${kind}.workspace_id`, '=', workspaceId)
    .where(`${kind}.deleted_at`, 'is', null)
    .where(where)
    .executeTakeFirstOrThrow()
  return row.n
}
