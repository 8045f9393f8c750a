import type { ImportProgress } from '@signet/shared'
import type { Selectable } from 'kysely'
import type { Config } from '../config.ts'
import { type Db, isSingleSession } from '../db/index.ts'
import type { ImportJobTable } from '../db/schema.ts'
import { updateRunProgress } from './queries.ts'
import { dialectOf, type ImportProgressEvent } from './run.ts'
import { importFilePath, readImportFile } from './storage.ts'

type Job = Selectable<ImportJobTable>

/** Progress reaches the import's row at most this often; the process itself always knows it. */
const WRITE_EVERY_MS = 500

/**
 * Follows one run: rows read of how many, in memory, and written to the import's row at most
 * every `WRITE_EVERY_MS`, one write at a time, without ever holding the run up. On PGlite nothing
 * is written while the run lasts: its transaction holds the one session, so the write would only
 * wait for the end (the process that runs it answers its starter from memory instead).
 */
export class RunProgress {
  progress: ImportProgress
  private writtenAt = 0
  private writing: Promise<unknown> | undefined

  constructor(
    private readonly db: Db,
    private readonly job: Pick<Job, 'workspace_id' | 'id'>,
    run: ImportProgress['run'],
    /** The rows in all, when known (a CRM list), or estimated (a file: see `estimateRows`). */
    total: { rows: number; estimated: boolean } | null,
  ) {
    const now = new Date().toISOString()
    this.progress = {
      run,
      phase: 'reading',
      rows: 0,
      total: total?.rows ?? null,
      totalIsEstimate: total?.estimated ?? false,
      percent: total ? 0 : null,
      startedAt: now,
      updatedAt: now,
    }
  }

  /** For `runImport`'s last parameter. */
  readonly onProgress = (event: ImportProgressEvent) => {
    this.set(event.phase, event.rows)
    if (isSingleSession(this.db) || this.writing || Date.now() - this.writtenAt < WRITE_EVERY_MS) return
    this.writtenAt = Date.now()
    this.writing = updateRunProgress(this.db, this.job.workspace_id, this.job.id, this.progress)
      .catch(() => {}) // best effort: the run goes on, the next write or the end corrects it
      .finally(() => {
        this.writing = undefined
      })
  }

  /** The run has ended: its last figures, once no progress write is under way any more. */
  async finished(): Promise<ImportProgress> {
    this.set('finished', this.progress.rows)
    await this.writing
    return this.progress
  }

  private set(phase: ImportProgress['phase'], rows: number) {
    const read = phase !== 'reading'
    // Once every row is read the count is exact; an estimate may have been off either way.
    const total = read && this.progress.totalIsEstimate ? rows : this.progress.total
    const percent =
      total === null
        ? null
        : read || total === 0
          ? 100
          : Math.min(this.progress.totalIsEstimate ? 99 : 100, Math.floor((rows / total) * 100))
    this.progress = {
      ...this.progress,
      phase,
      rows,
      total,
      totalIsEstimate: this.progress.totalIsEstimate && !read,
      percent,
      updatedAt: new Date().toISOString(),
    }
  }
}

/**
 * The data rows of an uploaded file, estimated from its size and the length of the lines in its
 * first chunk (exact when the file is that short). The bytes read are no measure: the parser
 * reads ahead of the rows it has handed out, by more than a small file holds.
 */
export async function estimateRows(config: Config, job: Job) {
  const newline = dialectOf(job).newline === '\r' ? 13 : 10
  const size = Number(job.byte_size)
  for await (const chunk of readImportFile(importFilePath(config, job.workspace_id, job.id))) {
    let lines = 0
    for (let i = chunk.indexOf(newline); i !== -1; i = chunk.indexOf(newline, i + 1)) lines++
    const header = job.has_header ? 1 : 0
    if (chunk.length >= size) {
      const unterminated = chunk.at(-1) === newline ? 0 : 1
      return { rows: Math.max(0, lines + unterminated - header), estimated: false }
    }
    if (lines === 0) return null
    return { rows: Math.max(1, Math.round((size / chunk.length) * lines) - header), estimated: true }
  }
  return null
}
