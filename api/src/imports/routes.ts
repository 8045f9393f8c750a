import {
  IdParamsSchema,
  ImportReportSchema,
  ImportSchema,
  UpdateImportSchema,
  UploadImportQuerySchema,
  z,
} from '@signet/shared'
import type { Context } from 'hono'
import { Hono } from 'hono'
import type { Selectable } from 'kysely'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { ImportJobTable, WorkspaceId } from '../db/schema.ts'
import { csvStream } from '../exports/csv.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { findTargetGroupById } from '../target-groups/queries.ts'
import { mappingProblem, suggestMapping } from './csv/mapping.ts'
import { detectDialect, parseCsv } from './csv/parse.ts'
import { toImport } from './dto.ts'
import { recordApplyFailure } from './failure.ts'
import { findImportById, insertImport, listImports, updateImport } from './queries.ts'
import { assertRunnable, dialectOf, fileRecords, runImport, validateRow } from './run.ts'
import { importFilePath, readImportFile, removeImportFile, saveUpload } from './storage.ts'
import { claimImportForApply, hasLaterAppliedImport, undoImportChanges } from './undo-queries.ts'

export const imports = new Hono<AppEnv>()

const PREVIEW_ROWS = 10
const MAX_MULTIPART_BYTES = 32 * 1024 * 1024

async function readPreview(path: string, row: Selectable<ImportJobTable>): Promise<string[][]> {
  const rows: string[][] = []
  for await (const record of parseCsv(readImportFile(path), dialectOf(row))) {
    rows.push(record.cells)
    if (rows.length > PREVIEW_ROWS) break
  }
  return row.has_header ? rows.slice(1, PREVIEW_ROWS + 1) : rows.slice(0, PREVIEW_ROWS)
}

async function getImportOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const row = await findImportById(db, workspaceId, id)
  if (!row) throw notFound('Import')
  return row
}

/** Changing, checking, applying and re-reading need the uploaded file; a CRM run is rerun instead. */
async function getFileImportOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const row = await getImportOrThrow(db, workspaceId, id)
  if (row.source !== 'file') {
    throw new ApiError(
      'conflict',
      'This import is a HubSpot synchronisation run; run the synchronisation again instead.',
      'id',
    )
  }
  return row
}

async function respond(
  c: Context<AppEnv>,
  config: Config,
  row: Selectable<ImportJobTable>,
  status: 200 | 201 = 200,
) {
  // A synchronisation run has no file: its rows came from the CRM.
  const preview =
    row.source === 'file' ? await readPreview(importFilePath(config, row.workspace_id, row.id), row) : []
  return c.json(toImport(row, preview), status)
}

/** The uploaded file as a stream: the raw body, or the `file` field of a multipart form. */
async function uploadedFile(
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

imports.post(
  '/',
  describe({
    summary: 'Upload a CSV file of accounts or contacts',
    description: 'Detects encoding, delimiter and header row, and suggests which column feeds which field.',
    tags: ['imports'],
    body: {
      contentType: 'text/csv',
      description: 'The CSV file (or multipart/form-data with a "file" field).',
    },
    response: ImportSchema,
  }),
  requireRole('marketer'),
  valid('query', UploadImportQuerySchema),
  async (c) => {
    const { db, auth, config } = c.var
    const query = c.req.valid('query')
    if (query.targetGroupId) {
      const group = await findTargetGroupById(db, auth.workspaceId, query.targetGroupId)
      if (!group) throw notFound('Target group')
      if (`${group.kind}s` !== query.kind) {
        throw new ApiError(
          'validation_failed',
          `"${group.name}" is a group of ${group.kind}s; import ${group.kind}s into it.`,
          'targetGroupId',
        )
      }
    }
    const file = await uploadedFile(c)
    const id = crypto.randomUUID()
    const path = importFilePath(config, auth.workspaceId, id)
    const { size, head } = await saveUpload(file.body, path)
    if (size === 0) {
      await removeImportFile(path)
      throw new ApiError('validation_failed', 'The file is empty.', 'file')
    }
    // A NUL byte never occurs in a UTF-8 or Windows-1252 text: this is an image, archive or spreadsheet.
    if (head.includes(0)) {
      await removeImportFile(path)
      throw new ApiError('unsupported_media_type', 'This file is not a CSV text file.', 'file')
    }
    const dialect = detectDialect(head)
    let headers: string[] = []
    for await (const record of parseCsv(readImportFile(path), dialect)) {
      headers = dialect.header
        ? record.cells.map((h) => h.trim())
        : record.cells.map((_, i) => `Column ${i + 1}`)
      break
    }
    const row = await insertImport(db, {
      id: id as never,
      workspace_id: auth.workspaceId,
      kind: query.kind,
      target_group_id: (query.targetGroupId ?? null) as never,
      file_name: (query.fileName ?? file.name ?? 'upload.csv').slice(0, 255),
      byte_size: size,
      encoding: dialect.encoding,
      delimiter: dialect.delimiter,
      has_header: dialect.header,
      headers,
      mapping: JSON.stringify(dialect.header ? suggestMapping(query.kind, headers) : headers.map(() => null)),
      options: JSON.stringify({ newline: dialect.newline }) as never,
      created_by: auth.userId,
    })
    return respond(c, config, row, 201)
  },
)

imports.get(
  '/',
  describe({
    summary: 'The import history, newest first',
    tags: ['imports'],
    response: z.array(ImportSchema.omit({ preview: true })),
  }),
  requireRole('marketer'),
  async (c) => {
    const rows = await listImports(c.var.db, c.var.auth.workspaceId, 200)
    return c.json(
      rows.map((row) => {
        const { preview: _, ...rest } = toImport(row, [])
        return rest
      }),
    )
  },
)

imports.get(
  '/:id',
  describe({ summary: 'An import with its preview and mapping', tags: ['imports'], response: ImportSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const row = await getImportOrThrow(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id)
    return respond(c, c.var.config, row)
  },
)

imports.patch(
  '/:id',
  describe({
    summary: 'Choose the column mapping, the mode, and whether the first row is a header',
    tags: ['imports'],
    response: ImportSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateImportSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const input = c.req.valid('json')
    const row = await getFileImportOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if (row.status !== 'uploaded' && row.status !== 'checked') {
      throw new ApiError(
        'conflict',
        `This import is ${row.status}; upload the file again to change it.`,
        'id',
      )
    }
    if (input.mode === 'synchronise' && !row.target_group_id) {
      throw new ApiError(
        'validation_failed',
        'Synchronising needs a target group: upload the file into one.',
        'mode',
      )
    }
    const mapping = input.mapping ?? row.mapping
    if (input.mapping) {
      const problem = mappingProblem(row.kind, row.headers, input.mapping)
      if (problem)
        throw new ApiError(
          'validation_failed',
          problem[0],
          problem[1] === undefined ? 'mapping' : `mapping.${problem[1]}`,
        )
    }
    const updated = await updateImport(db, auth.workspaceId, row.id, {
      mapping: JSON.stringify(mapping),
      mode: input.mode,
      has_header: input.header,
      options: JSON.stringify({
        ...(row.options as object),
        ...(input.restoreDeleted === undefined ? {} : { restoreDeleted: input.restoreDeleted }),
      }) as never,
      status: 'uploaded',
    })
    return respond(c, config, updated)
  },
)

imports.post(
  '/:id/dry-run',
  describe({
    summary: 'Check an import without changing anything',
    description:
      'Counts new, updated, unchanged, invalid, duplicate, deleted and leaving rows exactly as applying would.',
    tags: ['imports'],
    status: 200,
    response: ImportReportSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const job = await getFileImportOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if (job.status === 'applied' || job.status === 'undone' || job.status === 'applying') {
      throw new ApiError('conflict', `This import is ${job.status}.`, 'id')
    }
    const report = await runImport(db, job, fileRecords(config, job), auth.userId, true)
    await updateImport(db, auth.workspaceId, job.id, { status: 'checked', report: JSON.stringify(report) })
    return c.json(report)
  },
)

imports.post(
  '/:id/apply',
  describe({
    summary: 'Apply an import: all rows or none',
    tags: ['imports'],
    status: 200,
    response: ImportReportSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const job = await getFileImportOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    assertRunnable(job)
    if (!(await claimImportForApply(db, auth.workspaceId, job.id))) {
      throw new ApiError('conflict', `This import is ${job.status}.`, 'id')
    }
    try {
      const report = await runImport(db, job, fileRecords(config, job), auth.userId, false)
      await updateImport(db, auth.workspaceId, job.id, {
        status: 'applied',
        report: JSON.stringify(report),
        applied_at: new Date(),
        error: null,
      })
      return c.json(report)
    } catch (error) {
      await recordApplyFailure(db, auth.workspaceId, job.id, error)
      throw error
    }
  },
)

imports.post(
  '/:id/undo',
  describe({
    summary: 'Undo an applied import',
    description:
      'Restores every contact and membership it touched. Only the newest applied import can be undone.',
    tags: ['imports'],
    status: 200,
    response: ImportSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const job = await getImportOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if (job.status !== 'applied' || !job.applied_at)
      throw new ApiError('conflict', 'Only an applied import can be undone.', 'id')
    if (await hasLaterAppliedImport(db, auth.workspaceId, job.id, job.applied_at)) {
      throw new ApiError('conflict', 'A later import was applied; undo that one first.', 'id')
    }
    const updated = await db.transaction().execute(async (trx) => {
      await undoImportChanges(trx, auth.workspaceId, job.id)
      return updateImport(trx, auth.workspaceId, job.id, { status: 'undone', undone_at: new Date() })
    })
    return respond(c, config, updated)
  },
)

imports.get(
  '/:id/rejected.csv',
  describe({
    summary: 'The rows an import rejects, as CSV with a reason column',
    tags: ['imports'],
    response: { contentType: 'text/csv', description: 'The rejected rows, formula-safe.' },
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const job = await getFileImportOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const rows = rejectedRows(importFilePath(config, job.workspace_id, job.id), job)
    const header = ['line', ...job.headers, 'field', 'reason']
    return c.body(csvStream(header, rows), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="rejected-${job.id}.csv"`,
    })
  },
)

/** Re-reads the file: invalid rows and repeats of an earlier row's key, with the reason. */
async function* rejectedRows(path: string, job: Selectable<ImportJobTable>): AsyncGenerator<unknown[]> {
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
