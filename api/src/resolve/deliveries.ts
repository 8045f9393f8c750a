import { BatchWriter } from '../db/batch-writer.ts'
import type { Db } from '../db/index.ts'
import { insertDeliveries, type NewDelivery } from './queries.ts'

/**
 * Deliveries are written off the request path, in batches: resolve makes the id itself (the
 * banner's token only needs the id), answers, and the row follows within a fraction of a second.
 * Whatever needs the row at once — a click or a "sent" report racing the batch — asks for it
 * with `ensureWritten(id)` first.
 */
export class DeliveryWriter extends BatchWriter<NewDelivery> {
  private readonly unwritten = new Set<string>()

  constructor(db: Db) {
    super(db, {
      write: insertDeliveries,
      written: (rows) => {
        for (const row of rows) this.unwritten.delete(row.id)
      },
      noun: 'delivery',
      intervalMs: 100,
      log: (m) => console.warn(`[signet] deliveries: ${m}`),
    })
  }

  override record(row: NewDelivery): void {
    this.unwritten.add(row.id)
    super.record(row)
  }

  /** Resolves once the delivery (if this process made it) is in the database. */
  async ensureWritten(id: string): Promise<void> {
    if (this.unwritten.has(id)) await this.flush()
  }
}

const writers = new WeakMap<Db, DeliveryWriter>()

export function deliveryWriter(db: Db): DeliveryWriter {
  let writer = writers.get(db)
  if (!writer) {
    writer = new DeliveryWriter(db).start()
    writers.set(db, writer)
  }
  return writer
}

/** Writes every buffered delivery; on graceful shutdown, before the database closes. */
export async function stopDeliveries(db: Db, timeoutMs?: number): Promise<void> {
  await writers.get(db)?.stop(timeoutMs)
}
