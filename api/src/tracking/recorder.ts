import { BatchWriter, type BatchWriterOptions } from '../db/batch-writer.ts'
import type { Db } from '../db/index.ts'
import { insertTrackingEvents, type NewTrackingEvent } from './queries.ts'

export type RecorderOptions = Partial<BatchWriterOptions<NewTrackingEvent>>

/** Tracking events, answered first and written in batches (see `BatchWriter`). */
export class EventRecorder extends BatchWriter<NewTrackingEvent> {
  constructor(db: Db, options: RecorderOptions = {}) {
    super(db, {
      write: insertTrackingEvents,
      noun: 'tracking event',
      log: (m) => console.warn(`[signet] tracking: ${m}`),
      ...options,
    })
  }
}
