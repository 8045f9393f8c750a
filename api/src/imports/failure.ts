import type { Updateable } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, ImportJobTable, WorkspaceId } from '../db/schema.ts'
import { updateImport } from './queries.ts'

const RETRY_MS = 1000
const GIVE_UP_MS = 10 * 60_000

/**
 * Writes how a dry run or an apply ended. When the database is away (often why a run failed),
 * the write is retried in the background until it answers, instead of leaving the import
 * `checking`/`applying` (and so unrunnable) for ever; the first attempt is awaited.
 */
export function recordRunEnd(
  db: Db,
  workspaceId: WorkspaceId,
  id: ImportId,
  values: Updateable<ImportJobTable>,
) {
  const started = Date.now()
  const attempt = () =>
    updateImport(db, workspaceId, id, values).then(
      () => {},
      () => {
        if (Date.now() - started < GIVE_UP_MS) setTimeout(attempt, RETRY_MS).unref()
        else console.error(`[signet] import ${id} could not be marked ${values.status}; see the next start`)
      },
    )
  return attempt()
}

/** Marks a dry run or an apply that failed as `failed`, so it can be run again; `changes` go with it. */
export function recordApplyFailure(
  db: Db,
  workspaceId: WorkspaceId,
  id: ImportId,
  error: unknown,
  changes: Updateable<ImportJobTable> = {},
) {
  const error_ = String((error as Error)?.message).slice(0, 500)
  return recordRunEnd(db, workspaceId, id, { ...changes, status: 'failed', error: error_ })
}
