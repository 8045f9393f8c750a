import Papa from 'papaparse'
import { type Delimiter, detectDelimiter, detectNewline, hasHeaderRow } from './dialect.ts'
import { type CsvEncoding, createDecoder, detectEncoding } from './encoding.ts'

export interface CsvDialect {
  encoding: CsvEncoding
  delimiter: Delimiter
  newline: '\r\n' | '\n' | '\r'
  header: boolean
}

export interface CsvRecord {
  /** The record's number as a spreadsheet shows it (the header row is 1). */
  line: number
  cells: string[]
}

const SAMPLE_BYTES = 64 * 1024

/** Reads the head of a file and detects encoding, delimiter, line ends and header row. */
export function detectDialect(head: Uint8Array): CsvDialect {
  const encoding = detectEncoding(head)
  const sample = createDecoder(encoding).decode(head.subarray(0, SAMPLE_BYTES))
  const delimiter = detectDelimiter(sample)
  const newline = detectNewline(sample)
  const preview = Papa.parse<string[]>(sample, {
    delimiter,
    newline,
    preview: 10,
    skipEmptyLines: 'greedy',
  }).data
  return { encoding, delimiter, newline, header: hasHeaderRow(preview) }
}

/**
 * Streams records out of a byte stream in bounded memory: bytes are decoded chunk by chunk and
 * fed to papaparse's stream parser; records are yielded as they complete. Blank lines are skipped
 * but still counted, so line numbers match the file.
 */
export async function* parseCsv(
  source: AsyncIterable<Uint8Array>,
  dialect: CsvDialect,
): AsyncGenerator<CsvRecord> {
  const decoder = createDecoder(dialect.encoding)
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, {
    delimiter: dialect.delimiter,
    newline: dialect.newline,
    skipEmptyLines: false,
  }) as NodeJS.ReadWriteStream
  const queue: string[][] = []
  let stopped = false
  let done = false
  let failure: Error | undefined
  let wake: (() => void) | undefined
  // Bounded memory: the reader pauses while this many parsed records wait for the consumer. Few:
  // records that wait long are moved to V8's old generation and stay there until a full collection.
  const HIGH_WATER = 1000
  let resume: (() => void) | undefined
  parser.on('data', (row: string[]) => {
    queue.push(row)
    wake?.()
  })
  parser.on('end', () => {
    done = true
    wake?.()
  })
  parser.on('error', (error: Error) => {
    failure = error
    wake?.()
  })

  const feed = (async () => {
    for await (const chunk of source) {
      if (stopped) return
      while (queue.length > HIGH_WATER && !stopped) {
        await new Promise<void>((resolve) => {
          resume = resolve
        })
      }
      const text = decoder.decode(chunk, { stream: true })
      if (text && !parser.write(text)) await new Promise((resolve) => parser.once('drain', resolve))
    }
    const rest = decoder.decode()
    if (rest) parser.write(rest)
    parser.end()
  })().catch((error: Error) => {
    failure = error
    wake?.()
  })

  let line = 0
  try {
    while (true) {
      if (failure) throw failure
      const row = queue.shift()
      if (resume && queue.length < HIGH_WATER / 2) {
        resume()
        resume = undefined
      }
      if (row) {
        line++
        if (row.length === 1 && row[0]!.trim() === '') continue
        yield { line, cells: row }
        continue
      }
      if (done) break
      await new Promise<void>((resolve) => {
        wake = resolve
      })
      wake = undefined
    }
  } finally {
    // A consumer that stops early (a preview) stops the reading too, and the file is closed.
    stopped = true
    resume?.()
    parser.removeAllListeners('data')
    await feed
  }
}
