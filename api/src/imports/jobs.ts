import { timingSafeEqual } from 'node:crypto'
import type { ImportProgress } from '@signet/shared'
import type { Selectable } from 'kysely'
import type { Config } from '../config.ts'
import { type Db, isSingleSession } from '../db/index.ts'
import type { ImportJobTable, UserId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { type CsvRecord, parseCsv } from './csv/parse.ts'
import { recordApplyFailure, recordRunEnd } from './failure.ts'
import { estimateRows, RunProgress } from './progress.ts'
import { claimImportRun, findImportById } from './queries.ts'
import { dialectOf, type ImportProgressEvent, type ImportReport, runImport } from './run.ts'
import { importFilePath, readImportFile } from './storage.ts'

type Job = Selectable<ImportJobTable>
type Run = ImportProgress['run']

/** How long a shutdown waits for runs it has stopped to roll back and record their failure. */
const STOP_WAIT_MS = 7000
const YIELD_EVERY_MS = 25
const STOPPED = 'The API was stopped during the run; nothing of it was written. Run it again.'

/** The file's records; they stop (and so the run fails) at the next chunk once `signal` fires. */
function stoppableFileRecords(config: Config, job: Job, signal: AbortSignal): AsyncIterable<CsvRecord> {
  async function* bytes() {
    for await (const chunk of readImportFile(importFilePath(config, job.workspace_id, job.id))) {
      signal.throwIfAborted()
      yield chunk
    }
  }
  return parseCsv(bytes(), dialectOf(job))
}

/**
 * PGlite runs in this thread and answers from microtasks, so a run would keep every timer and
 * request of the process waiting until it ends: this hands the event loop back every
 * `YIELD_EVERY_MS` while rows are read (the process then answers the run's progress, for one).
 */
function yieldingToOthers(records: AsyncIterable<CsvRecord>): AsyncIterable<CsvRecord> {
  return {
    [Symbol.asyncIterator]() {
      const inner = records[Symbol.asyncIterator]()
      let yielded = Date.now()
      return {
        async next() {
          if (Date.now() - yielded >= YIELD_EVERY_MS) {
            await new Promise((resolve) => setImmediate(resolve))
            yielded = Date.now()
          }
          return inner.next()
        },
        async return(value?: unknown) {
          return (await inner.return?.(value)) ?? { done: true, value: undefined }
        },
      }
    },
  }
}

/** Who started a run: the user it acts for, and the token that may follow it from memory. */
export interface Starter {
  userId: UserId
  tokenId: string
  tokenHash: string
}

/** A run followed from memory: the import with its progress, and what answering it may keep. */
export interface Followed {
  job: Job
  tokenId: string
  /**
   * For the route: the file's preview, read once rather than at every poll of a busy thread, and
   * the name of the import's creator, read before the run (on PGlite the run holds the database).
   */
  answer: { preview?: string[][]; names?: Map<string, string> }
}

interface Running {
  answer: Followed['answer']
  job: Job
  starter: Starter
  progress: RunProgress
  abort: AbortController
  done: Promise<ImportReport>
}

/**
 * The dry runs and applies of uploaded files running in this API process, in the background of
 * the request that started them. One run per import at a time, in any process: the run starts
 * by moving the import to `checking` or `applying` from a state that allows it (`claimImportRun`).
 */
export class ImportRuns {
  private readonly running = new Map<string, Running>()
  private stopping = false

  /**
   * Starts a dry run (`check`) or an apply of a file import; `done` settles with the report when
   * it has ended (and the import row says so). Refuses with 409 when a run of it is under way.
   */
  async begin(db: Db, config: Config, job: Job, run: Run, starter: Starter, answer: Followed['answer'] = {}) {
    if (this.stopping) {
      throw new ApiError('unavailable', 'The API is shutting down; run the import again in a moment.')
    }
    const progress = new RunProgress(db, job, run, await estimateRows(config, job))
    const status = run === 'check' ? 'checking' : 'applying'
    const claimed = await claimImportRun(db, job.workspace_id, job.id, status, progress.progress)
    if (!claimed) throw runConflict((await this.statusOf(db, job)) ?? job.status)
    const abort = new AbortController()
    const file = stoppableFileRecords(config, claimed, abort.signal)
    const records = isSingleSession(db) ? yieldingToOthers(file) : file
    const done = this.runToEnd(db, claimed, run, records, starter.userId, progress, abort.signal)
    this.running.set(job.id, { job: claimed, starter, progress, abort, done, answer })
    // The caller awaits `done` (wait=true) or leaves it to run: its failure is on the import.
    done.catch(() => {}).finally(() => this.running.delete(job.id))
    return { job: { ...claimed, progress: progress.progress }, done }
  }

  private async runToEnd(
    db: Db,
    job: Job,
    run: Run,
    records: AsyncIterable<CsvRecord>,
    actorId: UserId,
    progress: RunProgress,
    signal: AbortSignal,
  ): Promise<ImportReport> {
    let report: ImportReport
    try {
      // A stop is heard every 1,000 rows and before the writing starts, as well as at the file's
      // next chunk (the parser may have read the rest of the file already).
      const onProgress = (event: ImportProgressEvent) => {
        signal.throwIfAborted()
        progress.onProgress(event)
      }
      report = await runImport(db, job, records, actorId, run === 'check', onProgress)
    } catch (error) {
      const final = JSON.stringify(await progress.finished())
      await recordApplyFailure(db, job.workspace_id, job.id, signal.aborted ? new Error(STOPPED) : error, {
        progress: final,
      })
      throw error
    }
    const final = JSON.stringify(await progress.finished())
    await recordRunEnd(
      db,
      job.workspace_id,
      job.id,
      run === 'check'
        ? { status: 'checked', report: JSON.stringify(report), progress: final }
        : { status: 'applied', report: JSON.stringify(report), progress: final, applied_at: new Date() },
    )
    return report
  }

  private async statusOf(db: Db, job: Job) {
    return (await findImportById(db, job.workspace_id, job.id))?.status
  }

  /**
   * The import as the run under way in this process sees it, when `tokenHash` is the token that
   * started it. For PGlite, where the run's transaction holds the one session until it ends.
   */
  followedBy(id: string, tokenHash: string): Followed | undefined {
    const running = this.running.get(id)
    if (!running) return undefined
    const mine = Buffer.from(running.starter.tokenHash)
    const theirs = Buffer.from(tokenHash)
    if (mine.length !== theirs.length || !timingSafeEqual(mine, theirs)) return undefined
    return {
      job: { ...running.job, progress: running.progress.progress },
      tokenId: running.starter.tokenId,
      answer: running.answer,
    }
  }

  /**
   * Shutting down: no new runs; the runs under way stop at their next chunk of the file, roll
   * back and are marked failed. Waits for that up to `waitMs`; a run still busy then (a long
   * statement after the reading) is marked failed at the next start. Returns how many were left.
   */
  async stop(waitMs = STOP_WAIT_MS): Promise<number> {
    this.stopping = true
    const runs = [...this.running.values()]
    for (const run of runs) run.abort.abort()
    let timer: NodeJS.Timeout | undefined
    await Promise.race([
      Promise.allSettled(runs.map((run) => run.done)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, waitMs)
      }),
    ])
    clearTimeout(timer)
    return this.running.size
  }
}

export function runConflict(status: Job['status']) {
  const message =
    status === 'checking'
      ? 'A dry run of this import is under way; wait until it has finished.'
      : status === 'applying'
        ? 'This import is being applied; wait until it has finished.'
        : `This import is ${status}.`
  return new ApiError('conflict', message, 'id')
}
