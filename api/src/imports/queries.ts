import type { Insertable, Updateable } from 'kysely'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportJobTable, WorkspaceId } from '../db/schema.ts'

export function insertImport(db: Db, values: Insertable<ImportJobTable>) {
  return db.insertInto('import_job').values(values).returningAll().executeTakeFirstOrThrow()
}

export function findImportById(db: Db, workspaceId: WorkspaceId, id: string) {
  return db
    .selectFrom('import_job')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as never)
    .executeTakeFirst()
}

export function listImports(db: Db, workspaceId: WorkspaceId, limit: number) {
  return db
    .selectFrom('import_job')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute()
}

export function updateImport(
  db: Db,
  workspaceId: WorkspaceId,
  id: string,
  changes: Updateable<ImportJobTable>,
) {
  return db
    .updateTable('import_job')
    .set({ ...changes, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as never)
    .returningAll()
    .executeTakeFirstOrThrow()
}
