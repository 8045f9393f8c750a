import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { CsvRecord } from './csv/parse.ts'
import { type CheckedChunk, checkChunk, type ImportKindName } from './rows.ts'

/**
 * Validates an import's records in chunks, on worker threads when the import is large enough to
 * repay starting one: validation (zod, libphonenumber, the public-suffix list) is most of an
 * import's JavaScript time, and a worker runs it while the main thread parses the file and
 * writes batches. Results come back in the order the chunks went out, whichever thread checked
 * them — each chunk uses the same `checkChunk`, so a row gets the same answer on every path.
 * Workers are started at the second chunk (on machines with 3 cores or more: `workerCount`), and
 * chunks are checked on the main thread until one is ready; a small import (a CRM list of a few
 * hundred contacts) never starts one.
 */
export interface ChunkChecker {
  /** Queues a chunk; the promise settles with its result (chunks settle in order). */
  check(records: CsvRecord[]): Promise<CheckedChunk>
  /** How many chunks workers have checked so far (the rest were checked on the main thread). */
  readonly workerChunks: number
  /** Whether chunks may go to worker threads; if not, each is checked when it is queued. */
  readonly parallel: boolean
  close(): Promise<void>
}

/** Chunks checked on the main thread before workers are started at all. */
const INLINE_CHUNKS = 1
/** Each worker's heap limit: it holds the schemas and one chunk at a time. */
const WORKER_HEAP_MB = 96

export function workerCount(): number {
  // One core stays with the main thread (parsing, the database protocol) and one with
  // PostgreSQL, which writes the batches meanwhile. Measured on 2 cores shared with the database,
  // a worker only competed for them and added its heap, so there are none below 3 cores.
  return Math.max(0, Math.min(2, availableParallelism() - 2))
}

/** The compiled worker beside the compiled API (`scripts/build-api.mjs`); unset under tsx. */
declare const SIGNET_CHECK_WORKER: string | undefined

/**
 * The worker's entry script. Compiled, the API starts the compiled worker. Under tsx (tests,
 * `npm run dev`) a worker thread does not inherit tsx's loader (not even through `execArgv` on
 * Node 20), so it registers it first.
 */
function bootstrap() {
  if (typeof SIGNET_CHECK_WORKER === 'string') return `import(${JSON.stringify(SIGNET_CHECK_WORKER)})`
  const entry = new URL('./check-worker.ts', import.meta.url).href
  const tsx = import.meta.resolve('tsx/esm/api')
  return `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}) })`
}

export function createChunkChecker(
  kind: ImportKindName,
  mapping: (string | null)[],
  options: {
    workers?: number
    inlineChunks?: number
    /** Queue chunks for the workers even before they are ready (for tests). */
    waitForWorkers?: boolean
  } = {},
): ChunkChecker {
  const wanted = options.workers ?? workerCount()
  const inlineChunks = options.inlineChunks ?? INLINE_CHUNKS
  const workers: {
    worker: Worker
    ready: boolean
    waiting: { resolve: (c: CheckedChunk) => void; reject: (e: Error) => void }[]
  }[] = []
  let failure: Error | undefined
  let started = false
  let sent = 0
  let next = 0
  let workerChunks = 0

  function start() {
    started = true
    for (let i = 0; i < wanted; i++) {
      const worker = new Worker(bootstrap(), {
        eval: true,
        resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
      })
      const slot: (typeof workers)[number] = { worker, ready: false, waiting: [] }
      worker.on('message', (message: CheckedChunk | 'ready') => {
        if (message === 'ready') slot.ready = true
        else slot.waiting.shift()?.resolve(message)
      })
      // A worker that fails with chunks in hand fails the import (its transaction rolls back);
      // one that never got a chunk (it could not start) is dropped, and the main thread checks.
      const fail = (error: Error) => {
        const at = workers.indexOf(slot)
        if (at >= 0) workers.splice(at, 1)
        if (!slot.waiting.length) {
          if (!slot.ready)
            console.warn(
              `[signet] import worker did not start (${error.message}); validating on the main thread`,
            )
          return
        }
        failure ??= error
        for (const w of slot.waiting.splice(0)) w.reject(error)
      }
      worker.on('error', fail)
      worker.on('exit', (code) => {
        if (slot.waiting.length) fail(new Error(`An import worker stopped (exit code ${code}).`))
      })
      workers.push(slot)
    }
  }

  return {
    check(records) {
      if (failure) return Promise.reject(failure)
      if (sent++ >= inlineChunks && wanted > 0 && !started) start()
      const ready = options.waitForWorkers ? workers : workers.filter((w) => w.ready)
      if (!ready.length) return Promise.resolve(checkChunk(kind, records, mapping))
      const slot = ready[next++ % ready.length]!
      return new Promise<CheckedChunk>((resolve, reject) => {
        slot.waiting.push({
          resolve: (chunk) => {
            workerChunks++
            resolve(chunk)
          },
          reject,
        })
        slot.worker.postMessage({ kind, mapping, records })
      })
    },
    get workerChunks() {
      return workerChunks
    },
    parallel: wanted > 0,
    async close() {
      await Promise.all(workers.map((w) => w.worker.terminate()))
    },
  }
}
