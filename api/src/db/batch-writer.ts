import type { Db } from './index.ts'

export interface BatchWriterOptions<T> {
  /** Most rows written by one insert. */
  batchSize?: number
  /** How often the buffer is written when it is not full. */
  intervalMs?: number
  /** Most rows kept while the database is unreachable; beyond it the oldest are dropped. */
  maxBuffered?: number
  /** Longest wait between retries while the database is unreachable. */
  maxBackoffMs?: number
  write: (db: Db, rows: T[]) => Promise<void>
  /** Called with each batch once it is written. */
  written?: (rows: T[]) => void
  /** What a row is, in log messages ("event", "delivery"). */
  noun: string
  log?: (message: string) => void
}

/**
 * Rows a request produces but need not wait for (tracking events, deliveries) are written later:
 * requests push into a memory buffer, and a loop writes it in multi-row inserts. When the database
 * is down the buffer is kept (bounded) and the write retried with backoff; `stop()` writes what
 * is left before shutdown.
 */
export class BatchWriter<T> {
  private buffer: T[] = []
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> | undefined
  private failures = 0
  private retryAt = 0
  private stopped = false
  readonly stats = { written: 0, dropped: 0, failedWrites: 0 }
  private readonly batchSize: number
  private readonly intervalMs: number
  private readonly maxBuffered: number
  private readonly maxBackoffMs: number
  private readonly write: (db: Db, rows: T[]) => Promise<void>
  private readonly written: (rows: T[]) => void
  private readonly noun: string
  private readonly log: (message: string) => void

  constructor(
    private readonly db: Db,
    options: BatchWriterOptions<T>,
  ) {
    this.batchSize = options.batchSize ?? 5000
    this.intervalMs = options.intervalMs ?? 200
    this.maxBuffered = options.maxBuffered ?? 200_000
    this.maxBackoffMs = options.maxBackoffMs ?? 5_000
    this.write = options.write
    this.written = options.written ?? (() => {})
    this.noun = options.noun
    this.log = options.log ?? ((m) => console.warn(`[signet] ${m}`))
  }

  get pending(): number {
    return this.buffer.length
  }

  start(): this {
    this.stopped = false
    this.timer ??= setInterval(() => void this.tick(), this.intervalMs)
    this.timer.unref()
    return this
  }

  /** Never throws and never waits: the request that records is already answered. */
  record(row: T): void {
    this.buffer.push(row)
    if (this.buffer.length > this.maxBuffered) {
      const excess = this.buffer.length - this.maxBuffered
      this.buffer.splice(0, excess)
      this.stats.dropped += excess
      if (this.stats.dropped === excess) this.log(`buffer full, dropping the oldest ${this.noun}s`)
    }
    if (!this.timer && !this.stopped) this.start()
    if (this.buffer.length >= this.batchSize && !this.flushing && Date.now() >= this.retryAt) void this.tick()
  }

  private tick(): Promise<void> {
    if (Date.now() < this.retryAt) return Promise.resolve()
    this.flushing ??= this.drain().finally(() => {
      this.flushing = undefined
    })
    return this.flushing
  }

  /** Writes batches until the buffer is empty or a write fails. */
  private async drain(): Promise<void> {
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, this.batchSize)
      try {
        await this.write(this.db, batch)
        this.stats.written += batch.length
        this.written(batch)
        if (this.failures) this.log(`database reachable again after ${this.failures} failed write(s)`)
        this.failures = 0
        this.retryAt = 0
      } catch (error) {
        // Back to the front, in order, to be retried; newer rows keep queueing behind them.
        this.buffer.unshift(...batch)
        this.failures++
        this.stats.failedWrites++
        this.retryAt = Date.now() + Math.min(this.maxBackoffMs, 100 * 2 ** Math.min(this.failures, 10))
        if (this.failures === 1 || this.failures % 20 === 0) {
          this.log(
            `cannot write ${this.buffer.length} ${this.noun}(s), will retry: ${(error as Error).message}`,
          )
        }
        return
      }
    }
  }

  /** Writes everything buffered now; throws if the database cannot take it. */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing
    this.retryAt = 0
    await this.tick()
    if (this.buffer.length) throw new Error(`${this.buffer.length} ${this.noun}(s) could not be written yet`)
  }

  /** Stops the loop and writes what is left, retrying until `timeoutMs` has passed. */
  async stop(timeoutMs = 8_000): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    const deadline = Date.now() + timeoutMs
    const left = this.buffer.length
    while (true) {
      try {
        await this.flush()
        if (left)
          this.log(
            `wrote ${left} buffered ${this.noun}(s) on shutdown in ${Date.now() + timeoutMs - deadline} ms`,
          )
        return
      } catch (error) {
        if (Date.now() >= deadline) {
          this.log(
            `shutting down with ${this.buffer.length} unwritten ${this.noun}(s): ${(error as Error).message}`,
          )
          return
        }
        await new Promise((r) => setTimeout(r, Math.max(0, Math.min(500, this.retryAt - Date.now()))))
      }
    }
  }
}
