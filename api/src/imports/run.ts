import type { Selectable } from 'kysely'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { ImportId, ImportJobTable, UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { accountMerged, insertNewAccounts } from './account-import-queries.ts'
import { createChunkChecker } from './check-pool.ts'
import { contactMerged, insertNewContacts, recordImportedStatuses } from './contact-import-queries.ts'
import { mappingProblem } from './csv/mapping.ts'
import { type CsvDialect, type CsvRecord, parseCsv } from './csv/parse.ts'
import { markImportWritten } from './queries.ts'
import { type CheckedChunk, type RowResult, validateAccountRow, validateContactRow } from './rows.ts'
import {
  countStage,
  createStage,
  insertStageRows,
  joinGroup,
  leaveGroup,
  listDuplicates,
  markChanged,
  markDuplicatesAndMatch,
  restoreDeletedMatches,
  updateChanged,
} from './stage-queries.ts'
import { importFilePath, readImportFile } from './storage.ts'

/** What differs between importing accounts and contacts; everything else is shared. */
const kinds = {
  contacts: {
    validate: validateContactRow,
    merged: (options: ImportOptions) => contactMerged(options.liftSuppressions === true),
    insertNew: (db: Db, ws: WorkspaceId, id: ImportId, actor: UserId) => insertNewContacts(db, ws, id, actor),
    afterUpdate: recordImportedStatuses,
  },
  accounts: {
    validate: validateAccountRow,
    merged: () => accountMerged,
    insertNew: (db: Db, ws: WorkspaceId, id: ImportId) => insertNewAccounts(db, ws, id),
    afterUpdate: undefined,
  },
} satisfies Record<
  string,
  {
    validate: (cells: string[], mapping: (string | null)[]) => RowResult
    /** What the file's values make of a matched row, column by column. */
    merged: (options: ImportOptions) => Record<string, unknown>
    insertNew: unknown
    /** After the matched rows were updated: what a kind records besides (contacts: status history). */
    afterUpdate: ((db: Db, ws: WorkspaceId, id: ImportId, actor: UserId) => Promise<void>) | undefined
  }
>

export interface ImportReport {
  mode: string
  dryRun: boolean
  /** Data rows in the file (blank lines not counted). */
  total: number
  new: number
  updated: number
  unchanged: number
  invalid: number
  /** Rows whose key appeared earlier in the file; the first one counts. */
  duplicates: number
  /** Rows of contacts that were deleted: left alone unless restoring was asked for. */
  deleted: number
  restored: number
  /** Rows the mode leaves out: existing ones in `add`, unknown ones in `update`. */
  skipped: number
  /** Synchronise: members of the group not in the file, who leave it. */
  leaving: number
  /** Targets that became members of the group. */
  joined: number
  invalidRows: { line: number; field: string; reason: string }[]
  duplicateRows: { line: number; firstLine: number; key: string; caseCollision: boolean }[]
}

export interface ImportOptions {
  restoreDeleted?: boolean
  /** The file's status and opt-out columns may lift a suppression or an opt-out (`contactMerged`). */
  liftSuppressions?: boolean
  newline?: '\r\n' | '\n' | '\r'
}

/** Rows staged per insert: one JSON parameter of ~150 KB. */
const BATCH = 1000
/** Records validated together, on a worker thread for large imports. */
const CHUNK = 1000
/** Chunks being validated at once: enough to keep a worker busy, few enough to bound memory. */
const IN_FLIGHT = 4
const LISTED = 1000
/** How often (in data rows) a run tells `onProgress` how far it got. */
const PROGRESS_ROWS = 1000

/** `reading`: rows read so far; `writing`: every row read, now matching and writing them. */
export type ImportProgressEvent = { phase: 'reading' | 'writing'; rows: number }

class DryRunFinished extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run')
  }
}

export function dialectOf(job: Selectable<ImportJobTable>): CsvDialect {
  const options = job.options as ImportOptions
  return {
    encoding: job.encoding,
    delimiter: job.delimiter,
    newline: options.newline ?? '\n',
    header: job.has_header,
  }
}

/** Refuses an import whose mapping cannot work, before a single row is read. */
export function assertRunnable(job: Selectable<ImportJobTable>) {
  const problem = mappingProblem(job.kind, job.headers, job.mapping)
  if (problem)
    throw new ApiError(
      'validation_failed',
      problem[0],
      problem[1] === undefined ? 'mapping' : `mapping.${problem[1]}`,
    )
  if (job.mode === 'synchronise' && !job.target_group_id) {
    throw new ApiError(
      'validation_failed',
      'Synchronising needs a target group: upload the file into one.',
      'mode',
    )
  }
}

/** The rows of an import: its uploaded file, parsed with the job's dialect. */
export function fileRecords(config: Config, job: Selectable<ImportJobTable>): AsyncIterable<CsvRecord> {
  return parseCsv(readImportFile(importFilePath(config, job.workspace_id, job.id)), dialectOf(job))
}

/**
 * Runs an import in one transaction. A dry run does every write and then rolls back, so
 * its counts are exactly what applying would do; an apply commits all of it or nothing.
 * `records` are the rows in the job's column order (the first one skipped when the job has a
 * header row); a CSV upload passes `fileRecords`, other sources (a CRM list) their own rows.
 * `onProgress` hears every `PROGRESS_ROWS` rows read, and once more when the reading is done.
 */
export async function runImport(
  db: Db,
  job: Selectable<ImportJobTable>,
  records: AsyncIterable<CsvRecord>,
  actorId: UserId,
  dryRun: boolean,
  onProgress?: (progress: ImportProgressEvent) => void,
): Promise<ImportReport> {
  assertRunnable(job)
  const options = job.options as ImportOptions
  const kind = kinds[job.kind]
  try {
    return await db.transaction().execute(async (trx) => {
      await createStage(trx)
      const invalidRows: ImportReport['invalidRows'] = []
      let invalid = 0
      let total = 0
      let batch: string[] = []
      // One batch is written while the next is validated: the database and the parser work at
      // once, and no more than two batches are ever held.
      let writing: Promise<void> = Promise.resolve()
      const write = async (rows: string[]) => {
        await writing
        writing = insertStageRows(trx, rows)
        writing.catch(() => {}) // awaited below; not an unhandled rejection meanwhile
      }
      // Records are validated in chunks, on a worker thread once the file is large enough
      // (`check-pool.ts`); a few chunks are in flight, and their results are taken in file order.
      const checking: Promise<CheckedChunk>[] = []
      const take = async () => {
        const chunk = await checking.shift()!
        for (const row of chunk.invalid) {
          invalid++
          if (invalidRows.length < LISTED) invalidRows.push(row)
        }
        for (const row of chunk.rows) batch.push(row)
        if (batch.length >= BATCH) {
          await write(batch)
          batch = []
        }
      }
      const checker = createChunkChecker(job.kind, job.mapping)
      try {
        let chunk: CsvRecord[] = []
        let first = true
        for await (const record of records) {
          if (first && job.has_header) {
            first = false
            continue
          }
          first = false
          total++
          if (onProgress && total % PROGRESS_ROWS === 0) onProgress({ phase: 'reading', rows: total })
          chunk.push(record)
          if (chunk.length < CHUNK) continue
          checking.push(checker.check(chunk))
          chunk = []
          // Checked on this thread, a chunk's result is ready at once: taken at once, it is not
          // held (and aged into the old generation) while later chunks are read.
          if (checking.length >= (checker.parallel ? IN_FLIGHT : 1)) await take()
        }
        if (chunk.length) checking.push(checker.check(chunk))
        while (checking.length) await take()
      } finally {
        // Nothing is left unawaited when the file fails to parse or a chunk fails.
        await Promise.allSettled(checking)
        await checker.close()
      }
      await write(batch)
      await writing
      onProgress?.({ phase: 'writing', rows: total })

      await markDuplicatesAndMatch(trx, job.kind, job.workspace_id)
      const before = await countStage(trx)
      const restored = options.restoreDeleted && job.mode !== 'add' ? before.deleted : 0
      if (restored) await restoreDeletedMatches(trx, job.kind, job.workspace_id, job.id)
      const merged = kind.merged(options)
      await markChanged(trx, job.kind, job.workspace_id, merged)
      const counts = await countStage(trx)

      const adds = job.mode !== 'update'
      const updates = job.mode !== 'add'
      if (adds) await kind.insertNew(trx, job.workspace_id, job.id, actorId)
      if (updates) {
        await updateChanged(trx, job.kind, job.workspace_id, job.id, merged)
        await kind.afterUpdate?.(trx, job.workspace_id, job.id, actorId)
      }
      const groupId = job.target_group_id
      const joined = groupId ? await joinGroup(trx, job.kind, groupId, job.id) : 0
      const leaving =
        groupId && job.mode === 'synchronise' ? await leaveGroup(trx, job.kind, groupId, job.id) : 0

      const report: ImportReport = {
        mode: job.mode,
        dryRun,
        total,
        new: adds ? counts.unmatched : 0,
        updated: updates ? counts.matched_changed : 0,
        unchanged: updates ? counts.matched - counts.matched_changed : 0,
        invalid,
        duplicates: counts.duplicates,
        deleted: before.deleted - restored,
        restored,
        skipped: adds ? (updates ? 0 : counts.matched) : counts.unmatched,
        leaving,
        joined,
        invalidRows,
        duplicateRows: (await listDuplicates(trx, LISTED)).map((d) => ({
          line: d.line,
          firstLine: d.first_line,
          key: d.key,
          caseCollision: d.case_collision,
        })),
      }
      if (dryRun) throw new DryRunFinished(report)
      // Last, so the job's row is locked only for the commit: progress is written beside the run.
      await markImportWritten(trx, job.workspace_id, job.id)
      return report
    })
  } catch (error) {
    if (error instanceof DryRunFinished) return error.report
    throw error
  }
}
