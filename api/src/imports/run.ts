import type { Selectable } from 'kysely'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { ImportJobTable, UserId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import {
  countStage,
  createContactStage,
  insertContactStageRows,
  insertNewContacts,
  joinGroup,
  leaveGroup,
  listDuplicates,
  markChanged,
  markDuplicatesAndMatch,
  restoreDeletedMatches,
  updateChangedContacts,
} from './contact-import-queries.ts'
import { mappingProblem } from './csv/mapping.ts'
import { type CsvDialect, parseCsv } from './csv/parse.ts'
import { type ContactRowValues, validateContactRow } from './rows.ts'
import { importFilePath, readImportFile } from './storage.ts'

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
  duplicateRows: { line: number; firstLine: number; email: string; caseCollision: boolean }[]
}

export interface ImportOptions {
  restoreDeleted?: boolean
  newline?: '\r\n' | '\n' | '\r'
}

const BATCH = 5000
const LISTED = 1000

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
  if (job.kind !== 'contacts') {
    throw new ApiError(
      'validation_failed',
      'Importing accounts from CSV is not available yet; import contacts.',
      'kind',
    )
  }
}

/**
 * Runs a contact import in one transaction. A dry run does every write and then rolls back, so
 * its counts are exactly what applying would do; an apply commits all of it or nothing.
 */
export async function runContactImport(
  db: Db,
  config: Config,
  job: Selectable<ImportJobTable>,
  actorId: UserId,
  dryRun: boolean,
): Promise<ImportReport> {
  assertRunnable(job)
  const options = job.options as ImportOptions
  const path = importFilePath(config, job.workspace_id, job.id)
  try {
    return await db.transaction().execute(async (trx) => {
      await createContactStage(trx)
      const invalidRows: ImportReport['invalidRows'] = []
      let invalid = 0
      let total = 0
      let batch: (ContactRowValues & { line: number })[] = []
      let first = true
      for await (const record of parseCsv(readImportFile(path), dialectOf(job))) {
        if (first && job.has_header) {
          first = false
          continue
        }
        first = false
        total++
        const row = validateContactRow(record.cells, job.mapping)
        if (!row.ok) {
          invalid++
          if (invalidRows.length < LISTED)
            invalidRows.push({ line: record.line, field: row.field, reason: row.reason })
          continue
        }
        batch.push({ ...row.values, line: record.line })
        if (batch.length >= BATCH) {
          await insertContactStageRows(trx, batch)
          batch = []
        }
      }
      await insertContactStageRows(trx, batch)

      await markDuplicatesAndMatch(trx, job.workspace_id)
      const before = await countStage(trx)
      const restored = options.restoreDeleted && job.mode !== 'add' ? before.deleted : 0
      if (restored) await restoreDeletedMatches(trx, job.workspace_id, job.id)
      await markChanged(trx, job.workspace_id, false)
      const counts = await countStage(trx)

      const adds = job.mode !== 'update'
      const updates = job.mode !== 'add'
      if (adds) await insertNewContacts(trx, job.workspace_id, job.id, actorId)
      if (updates) await updateChangedContacts(trx, job.workspace_id, job.id)
      const groupId = job.target_group_id
      const joined = groupId ? await joinGroup(trx, groupId, job.id) : 0
      const leaving = groupId && job.mode === 'synchronise' ? await leaveGroup(trx, groupId, job.id, true) : 0

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
          email: d.email,
          caseCollision: d.case_collision,
        })),
      }
      if (dryRun) throw new DryRunFinished(report)
      return report
    })
  } catch (error) {
    if (error instanceof DryRunFinished) return error.report
    throw error
  }
}
