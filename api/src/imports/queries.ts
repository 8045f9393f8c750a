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

/**
 * Imports a stopped process left `applying`: their transaction died with the process, so nothing
 * of them was written; marked failed so they can be applied again. Run once at start, before the
 * API serves (with several API processes, start them before any import is applied).
 */
export function failInterruptedImports(db: Db) {
  return db
    .updateTable('import_job')
    .set({
      status: 'failed',
      error: 'The API stopped during the import. Apply it again.',
      updated_at: sql`now()`,
    })
    .where('status', '=', 'applying')
    .returning('id')
    .execute()
}
