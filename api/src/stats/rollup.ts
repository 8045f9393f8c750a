import type { Db } from '../db/index.ts'
import { markBurstsAcrossProcesses } from './reclassify.ts'
import { rebuildAll, rollUpQueued, tryRollupLock } from './rollup-queries.ts'

const BATCH = 20_000

/**
 * Moves queued tracking events into the rollups, batch by batch, until the queue is empty.
 * Safe with several API processes: the one holding the advisory lock works, the others answer
 * `busy` at once. Tests call it directly to make the rollups current.
 */
export async function refreshRollups(db: Db, options: { batchSize?: number } = {}) {
  const batchSize = options.batchSize ?? BATCH
  let events = 0
  while (true) {
    const done = await db.transaction().execute(async (trx) => {
      if (!(await tryRollupLock(trx))) return undefined
      return rollUpQueued(trx, batchSize, (ids) => markBurstsAcrossProcesses(trx, ids))
    })
    if (done === undefined) return { events, busy: true }
    events += done
    if (done < batchSize) return { events, busy: false }
  }
}

/**
 * Throws the rollups away and builds them again from every event, in bulk — much faster than
 * the job for a long history (a first build, a restore, the benchmark). Writers wait meanwhile.
 */
export function rebuildRollups(db: Db) {
  return rebuildAll(db)
}

/** Runs `refreshRollups` every few seconds until stopped; a failed run is logged and retried. */
export class RollupJob {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<unknown> | undefined

  constructor(
    private readonly db: Db,
    private readonly intervalMs = 2_000,
    private readonly log: (message: string) => void = (m) => console.warn(`[signet] statistics: ${m}`),
  ) {}

  start(): this {
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs)
    this.timer.unref()
    return this
  }

  private tick() {
    this.running ??= refreshRollups(this.db)
      .catch((error) => this.log(`cannot update the rollups, will retry: ${(error as Error).message}`))
      .finally(() => {
        this.running = undefined
      })
    return this.running
  }

  /** Stops the timer and waits for a run in progress; what is queued stays for the next start. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.running
  }
}
