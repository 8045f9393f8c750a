import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import { claimDueLinks } from './queries.ts'
import { syncGroup } from './sync.ts'

/** How often an API process looks for due links; each link has its own interval (15 minutes by default). */
const TICK_MS = 30_000
/** Links one tick claims; the rest wait for the next tick or another process. */
const CLAIM = 10

/**
 * Runs the links that are due, one after another. Claiming moves their next run on first, so
 * several API processes share the work without running a link twice; the per-group lock in
 * `syncGroup` also keeps a scheduled run and one on demand apart. Answers how many ran.
 */
export async function runDueSyncs(db: Db, config: Config, signal?: AbortSignal): Promise<number> {
  let ran = 0
  for (const link of await claimDueLinks(db, CLAIM)) {
    if (signal?.aborted) break
    const result = await syncGroup(
      db,
      config,
      link.workspace_id,
      link.target_group_id,
      'schedule',
      null,
      signal,
    )
    if (result.outcome === 'ran') ran++
  }
  return ran
}

export interface CrmScheduler {
  stop(): Promise<void>
}

/** Started by `main.ts`; `stop` aborts a run under way (its group is rescheduled) and waits for it. */
export function startCrmScheduler(db: Db, config: Config, tickMs = TICK_MS): CrmScheduler {
  const controller = new AbortController()
  let current: Promise<unknown> = Promise.resolve()
  let busy = false
  const tick = () => {
    if (busy || controller.signal.aborted) return
    busy = true
    current = runDueSyncs(db, config, controller.signal)
      .catch((error) => {
        if (!controller.signal.aborted) console.error('[signet] CRM synchronisation failed:', error)
      })
      .finally(() => {
        busy = false
      })
  }
  const timer = setInterval(tick, tickMs)
  timer.unref()
  return {
    async stop() {
      clearInterval(timer)
      controller.abort()
      await current
    },
  }
}
