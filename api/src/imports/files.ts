import type { Context } from 'hono'
import type { Selectable } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportJobTable } from '../db/schema.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { type CsvDialect, type CsvRecord, parseCsv } from './csv/parse.ts'
import { checkChunk } from './rows.ts'
import { dialectOf } from './run.ts'
import { createStage, insertStageRows, listDuplicateLines, stageDuplicateLines } from './stage-queries.ts'
import { readImportFile } from './storage.ts'

const MAX_MULTIPART_BYTES = 32 * 1024 * 1024

/** The file's columns read with `dialect`: its first row's cells, or "Column n" without a header row. */
export async function readColumns(path: string, dialect: CsvDialect): Promise<string[]> {
  for await (const record of parseCsv(readImportFile(path), dialect))
    return dialect.header ? record.cells.map((h) => h.trim()) : record.cells.map((_, i) => `Column ${i + 1}`)
  return []
}

/** The uploaded file as a stream: the raw body, or the `file` field of a multipart form. */
export async function uploadedFile(
  c: Context<AppEnv>,
): Promise<{ body: ReadableStream<Uint8Array>; name?: string }> {
  const type = c.req.header('content-type') ?? ''
  if (/^multipart\/form-data/i.test(type)) {
    const length = Number(c.req.header('content-length') ?? 0)
    if (length > MAX_MULTIPART_BYTES) {
      throw new ApiError(
        'payload_too_large',
        'Upload files over 32 MiB as the raw request body (Content-Type: text/csv).',
        'file',
      )
    }
    const form = await c.req.formData()
    const file = form.get('file')
    if (!(file instanceof File))
      throw new ApiError('validation_failed', 'Attach the CSV file as the form field "file".', 'file')
    return { body: file.stream(), name: file.name }
  }
  if (!/^(text\/csv|text\/plain|application\/octet-stream|application\/vnd\.ms-excel)\b/i.test(type)) {
    throw new ApiError(
      'unsupported_media_type',
      'Send the CSV file as the request body (Content-Type: text/csv) or as multipart form field "file".',
      'file',
    )
  }
  if (!c.req.raw.body) throw new ApiError('validation_failed', 'The file is empty.', 'file')
  return { body: c.req.raw.body }
}

/** Lines of a file in order, each with a number: 8 bytes a line, grown by doubling. */
class NumberedLines {
  lines = new Int32Array(256)
  values = new Int32Array(256)
  length = 0

  push(line: number, value: number) {
    if (this.length === this.lines.length) {
      const lines = new Int32Array(this.length * 2)
      const values = new Int32Array(this.length * 2)
      lines.set(this.lines)
      values.set(this.values)
      this.lines = lines
      this.values = values
    }
    this.lines[this.length] = line
    this.values[this.length] = value
    this.length++
  }
}

/** Which lines of an import's file are rejected, and why. */
export interface RejectedLines {
  /** Invalid rows; the value indexes `reasons`. */
  invalid: NumberedLines
  reasons: { field: string; reason: string }[]
  /** Rows whose key an earlier row has; the value is that row's line. */
  duplicates: NumberedLines
}

const CHUNK = 1000
const PAGE = 10_000

/**
 * Reads and checks the file once: invalid rows are noted as they come, valid ones are staged
 * (as an import stages them) and the database finds the repeated keys. Only the rejected lines
 * are kept here, in typed arrays: a million-row file's keys never sit in the process's heap.
 */
export async function findRejectedLines(
  db: Db,
  path: string,
  job: Selectable<ImportJobTable>,
): Promise<RejectedLines> {
  const rejected: RejectedLines = {
    invalid: new NumberedLines(),
    reasons: [],
    duplicates: new NumberedLines(),
  }
  const reasonIds = new Map<string, number>()
  await db.transaction().execute(async (trx) => {
    await createStage(trx)
    let staged: string[] = []
    const check = async (records: CsvRecord[]) => {
      const checked = checkChunk(job.kind, records, job.mapping)
      for (const row of checked.invalid) {
        const key = `${row.field}\u0000${row.reason}`
        let id = reasonIds.get(key)
        if (id === undefined) {
          id = rejected.reasons.push({ field: row.field, reason: row.reason }) - 1
          reasonIds.set(key, id)
        }
        rejected.invalid.push(row.line, id)
      }
      for (const row of checked.rows) staged.push(row)
      if (staged.length >= CHUNK) {
        await insertStageRows(trx, staged)
        staged = []
      }
    }
    let chunk: CsvRecord[] = []
    let first = true
    for await (const record of parseCsv(readImportFile(path), dialectOf(job))) {
      if (first && job.has_header) {
        first = false
        continue
      }
      first = false
      chunk.push(record)
      if (chunk.length < CHUNK) continue
      await check(chunk)
      chunk = []
    }
    await check(chunk)
    await insertStageRows(trx, staged)
    await stageDuplicateLines(trx)
    for (let after = 0; ; ) {
      const page = await listDuplicateLines(trx, after, PAGE)
      for (const d of page) rejected.duplicates.push(d.line, d.first_line)
      if (page.length < PAGE) break
      after = page.at(-1)!.line
    }
  })
  return rejected
}

/** Re-reads the file for its rejected lines (`findRejectedLines`): each row with its reason. */
export async function* rejectedRows(
  path: string,
  job: Selectable<ImportJobTable>,
  { invalid, reasons, duplicates }: RejectedLines,
): AsyncGenerator<unknown[]> {
  const keyName = job.kind === 'contacts' ? 'email' : 'domain'
  let i = 0
  let d = 0
  for await (const record of parseCsv(readImportFile(path), dialectOf(job))) {
    if (i === invalid.length && d === duplicates.length) break
    const cells = () => job.headers.map((_, n) => record.cells[n] ?? '')
    if (i < invalid.length && invalid.lines[i] === record.line) {
      const { field, reason } = reasons[invalid.values[i]!]!
      i++
      yield [record.line, ...cells(), field, reason]
    } else if (d < duplicates.length && duplicates.lines[d] === record.line) {
      const earlier = duplicates.values[d]
      d++
      yield [record.line, ...cells(), keyName, `Same ${keyName} as line ${earlier}.`]
    }
  }
}
