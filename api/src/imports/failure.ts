import type { Db } from '../db/index.ts'
import type { ImportId, WorkspaceId } from '../db/schema.ts'
import { updateImport } from './queries.ts'

const RETRY_MS = 1000
const GIVE_UP_MS = 10 * 60_000

/**
 * Marks an apply that failed as `failed`, so it can be applied again. When the failure was the
 * database going away, that write fails too: it is retried in the background until the database
 * answers, instead of leaving the import `applying` (and so unretryable) for ever.
 */
export function recordApplyFailure(db: Db, workspaceId: WorkspaceId, id: ImportId, error: unknown) {
  const values = { status: 'failed' as const, error: String((error as Error)?.message).slice(0, 500) }
  const started = Date.now()
  const attempt = () =>
    updateImport(db, workspaceId, id, values).catch(() => {
      if (Date.now() - started < GIVE_UP_MS) setTimeout(attempt, RETRY_MS).unref()
      else console.error(`[signet] import ${id} could not be marked failed; it is marked at the next start`)
    })
  return attempt()
}
