import type { Insertable, Updateable } from 'kysely'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, ImportJobTable, WorkspaceId } from '../db/schema.ts'

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

/** The names of the users who started imports, by id: "First Last", or the email without a name. */
export async function findUserNames(db: Db, workspaceId: WorkspaceId, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))]
  if (!wanted.length) return new Map<string, string>()
  const rows = await db
    .selectFrom('app_user as u')
    .select([
      'u.id',
      sql<string>`coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email)`.as('name'),
    ])
    .where('u.workspace_id', '=', workspaceId)
    .where('u.id', 'in', wanted as never[])
    .execute()
  return new Map(rows.map((r) => [r.id as string, r.name]))
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

/** Stamps the apply transaction's `now()`, the time everything the import wrote carries (undo). */
export async function markImportWritten(db: Db, workspaceId: WorkspaceId, id: ImportId) {
  await db
    .updateTable('import_job')
    .set({ written_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
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
 * Starts a dry run (`checking`) or an apply (`applying`) unless a run of the import is under way
 * or it is applied: the status changes only from a state that allows the run, so of two requests
 * (in any API process) one gets the row and the other undefined.
 */
export function claimImportRun(
  db: Db,
  workspaceId: WorkspaceId,
  id: ImportId,
  status: 'checking' | 'applying',
  progress: object,
) {
  return db
    .updateTable('import_job')
    .set({ status, progress: JSON.stringify(progress), error: null, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', ['uploaded', 'checked', 'failed'])
    .returningAll()
    .executeTakeFirst()
}

/** The progress of a run under way; a run that has ended keeps its final state. */
export function updateRunProgress(db: Db, workspaceId: WorkspaceId, id: ImportId, progress: object) {
  return db
    .updateTable('import_job')
    .set({ progress: JSON.stringify(progress) })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', 'in', ['checking', 'applying'])
    .execute()
}

/**
 * Imports a stopped process left `checking` or `applying`: their transaction died with the
 * process, so nothing of them was written; marked failed so they can be run again. Run once at
 * start, before the API serves (with several API processes, start them before any import runs).
 */
export function failInterruptedImports(db: Db) {
  return db
    .updateTable('import_job')
    .set({
      status: 'failed',
      error: 'The API stopped during the run; nothing of it was written. Run it again.',
      updated_at: sql`now()`,
    })
    .where('status', 'in', ['checking', 'applying'])
    .returning('id')
    .execute()
}
