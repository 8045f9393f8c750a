import { parentPort } from 'node:worker_threads'
import { checkChunk, type ImportKindName } from './rows.ts'

/**
 * A worker thread that validates chunks of an import's records (see `check-pool.ts`), so the
 * schemas run beside the main thread's parsing and database writes. One message in, one out,
 * in order.
 */
parentPort!.on(
  'message',
  (message: {
    kind: ImportKindName
    mapping: (string | null)[]
    records: { line: number; cells: string[] }[]
  }) => {
    parentPort!.postMessage(checkChunk(message.kind, message.records, message.mapping))
  },
)
parentPort!.postMessage('ready')
