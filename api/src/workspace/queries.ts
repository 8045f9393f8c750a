import type { Updateable } from 'kysely'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { WorkspaceId, WorkspaceTable } from '../db/schema.ts'

export function getWorkspaceOrThrow(db: Db, workspaceId: WorkspaceId) {
  return db.selectFrom('workspace').selectAll().where('id', '=', workspaceId).executeTakeFirstOrThrow()
}

export function insertWorkspace(db: Db, name: string) {
  return db.insertInto('workspace').values({ name }).returningAll().executeTakeFirstOrThrow()
}

export function updateWorkspace(db: Db, workspaceId: WorkspaceId, changes: Updateable<WorkspaceTable>) {
  return db
    .updateTable('workspace')
    .set({ ...changes, updated_at: sql`now()` })
    .where('id', '=', workspaceId)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function countWorkspaces(db: Db) {
  const row = await db
    .selectFrom('workspace')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow()
  return row.n
}
