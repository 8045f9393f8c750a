import type { Context } from 'hono'
import type { Selectable } from 'kysely'
import type { ImportJobTable } from '../db/schema.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { parseCsv } from './csv/parse.ts'
import { dialectOf, validateRow } from './run.ts'
import { readImportFile } from './storage.ts'

const MAX_MULTIPART_BYTES = 32 * 1024 * 1024

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

/** Re-reads the file: invalid rows and repeats of an earlier row's key, with the reason. */
export async function* rejectedRows(
  path: string,
  job: Selectable<ImportJobTable>,
): AsyncGenerator<unknown[]> {
  const seen = new Map<string, number>()
  let first = true
  for await (const record of parseCsv(readImportFile(path), dialectOf(job))) {
    if (first && job.has_header) {
      first = false
      continue
    }
    first = false
    const cells = job.headers.map((_, i) => record.cells[i] ?? '')
    const row = validateRow(job.kind, record.cells, job.mapping)
    if (!row.ok) {
      yield [record.line, ...cells, row.field, row.reason]
      continue
    }
    const earlier = seen.get(row.values.key)
    const keyName = job.kind === 'contacts' ? 'email' : 'domain'
    if (earlier !== undefined) yield [record.line, ...cells, keyName, `Same ${keyName} as line ${earlier}.`]
    else seen.set(row.values.key, record.line)
  }
}
