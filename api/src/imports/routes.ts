import {
  IdParamsSchema,
  ImportReportSchema,
  ImportSchema,
  RunImportQuerySchema,
  UpdateImportSchema,
  UploadImportQuerySchema,
  z,
} from '@signet/shared'
import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import type { Selectable } from 'kysely'
import { hashToken } from '../auth/crypto.ts'
import type { Config } from '../config.ts'
import { type Db, isSingleSession } from '../db/index.ts'
import type { ImportJobTable, UserId, WorkspaceId } from '../db/schema.ts'
import { csvStream } from '../exports/csv.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { tooManyRequests } from '../http/rate-limit.ts'
import { valid } from '../http/validate.ts'
import { findTargetGroupById } from '../target-groups/queries.ts'
import { mappingProblem, suggestMapping } from './csv/mapping.ts'
import { detectDialect, parseCsv } from './csv/parse.ts'
import { toImport } from './dto.ts'
import { findRejectedLines, readColumns, rejectedRows, uploadedFile } from './files.ts'
import { runConflict } from './jobs.ts'
import { findImportById, findUserNames, insertImport, listImports, updateImport } from './queries.ts'
import { assertRunnable, dialectOf } from './run.ts'
import { importFilePath, readImportFile, removeImportFile, saveUpload } from './storage.ts'
import { findChangedSince, hasLaterAppliedImport, undoImportChanges } from './undo-queries.ts'

export const imports = new Hono<AppEnv>()

const PREVIEW_ROWS = 10

async function readPreview(path: string, row: Selectable<ImportJobTable>): Promise<string[][]> {
  const rows: string[][] = []
  for await (const record of parseCsv(readImportFile(path), dialectOf(row))) {
    rows.push(record.cells)
    if (rows.length > PREVIEW_ROWS) break
  }
  return row.has_header ? rows.slice(1, PREVIEW_ROWS + 1) : rows.slice(0, PREVIEW_ROWS)
}

/** The SHA-256 of the request's bearer token, as tokens are stored. */
function bearerHash(c: Context<AppEnv>) {
  const match = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')
  return match ? hashToken(match[1]!) : undefined
}

/**
 * PGlite is one session: while a run's transaction holds it, every query waits — the token check
 * too. The token that started a run under way in this process may still follow it: answered from
 * the run's memory. Everything else (another token, PostgreSQL) goes through the usual check.
 */
function followedFromMemory(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const hash = isSingleSession(c.var.db) ? bearerHash(c) : undefined
    const running = hash ? c.var.importRuns.followedBy(c.req.param('id') ?? '', hash) : undefined
    if (!running) return next()
    const retryAfter = c.var.limits.api.take(running.tokenId)
    if (retryAfter) throw tooManyRequests(retryAfter, 'requests with this token')
    const { job, answer } = running
    answer.preview ??= await readPreview(importFilePath(c.var.config, job.workspace_id, job.id), job)
    return c.json(toImport(job, answer.preview, answer.names ?? new Map()))
  }
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
  status: 200 | 201 | 202 = 200,
  known?: Map<string, string>,
) {
  // A synchronisation run has no file: its rows came from the CRM.
  const preview =
    row.source === 'file' ? await readPreview(importFilePath(config, row.workspace_id, row.id), row) : []
  const names = known ?? (await findUserNames(c.var.db, row.workspace_id, [row.created_by]))
  return c.json(toImport(row, preview, names), status)
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
    const headers = await readColumns(path, dialect)
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
    const names = await findUserNames(
      c.var.db,
      c.var.auth.workspaceId,
      rows.map((row) => row.created_by),
    )
    return c.json(
      rows.map((row) => {
        const { preview: _, ...rest } = toImport(row, [], names)
        return rest
      }),
    )
  },
)

imports.get(
  '/:id',
  describe({
    summary: 'An import with its preview, mapping, and the progress or report of its runs',
    tags: ['imports'],
    response: ImportSchema,
  }),
  followedFromMemory(),
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
    summary:
      'Choose the column mapping, the mode, whether the first row is a header, and the delimiter and encoding',
    description:
      'A delimiter or encoding other than the detected one reads the columns again; the mapping is then suggested again unless given.',
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
    if (row.status === 'checking' || row.status === 'applying') throw runConflict(row.status)
    if (row.status === 'applied' || row.status === 'undone') {
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
    // Another delimiter or encoding makes other columns: read again, and suggested again unless given.
    let headers = row.headers
    let mapping = input.mapping ?? row.mapping
    const delimiter = input.delimiter ?? row.delimiter
    const encoding = input.encoding ?? row.encoding
    if (delimiter !== row.delimiter || encoding !== row.encoding) {
      const dialect = { ...dialectOf(row), delimiter, encoding, header: input.header ?? row.has_header }
      headers = await readColumns(importFilePath(config, row.workspace_id, row.id), dialect)
      mapping =
        input.mapping ?? (dialect.header ? suggestMapping(row.kind, headers) : headers.map(() => null))
    }
    if (input.mapping) {
      const problem = mappingProblem(row.kind, headers, input.mapping)
      if (problem)
        throw new ApiError(
          'validation_failed',
          problem[0],
          problem[1] === undefined ? 'mapping' : `mapping.${problem[1]}`,
        )
    }
    const updated = await updateImport(db, auth.workspaceId, row.id, {
      mapping: JSON.stringify(mapping),
      headers,
      delimiter,
      encoding,
      mode: input.mode,
      has_header: input.header,
      options: JSON.stringify({
        ...(row.options as object),
        ...(input.restoreDeleted === undefined ? {} : { restoreDeleted: input.restoreDeleted }),
        ...(input.liftSuppressions === undefined ? {} : { liftSuppressions: input.liftSuppressions }),
      }) as never,
      status: 'uploaded',
      error: null,
    })
    return respond(c, config, updated)
  },
)

/** Starts a dry run or an apply in the background (202 with the import), or runs it to the end (`wait`). */
async function startRun(c: Context<AppEnv>, run: 'check' | 'apply', id: string, wait: boolean) {
  const { db, auth, config, importRuns } = c.var
  const job = await getFileImportOrThrow(db, auth.workspaceId, id)
  if (['checking', 'applying', 'applied', 'undone'].includes(job.status)) throw runConflict(job.status)
  assertRunnable(job)
  // Read before the run: on PGlite, its transaction holds the one session until it ends.
  const names = await findUserNames(db, auth.workspaceId, [job.created_by])
  const started = await importRuns.begin(
    db,
    config,
    job,
    run,
    { userId: auth.userId, tokenId: auth.tokenId, tokenHash: bearerHash(c) ?? '' },
    { names },
  )
  if (wait) return c.json(await started.done, 200)
  started.done.catch((error: Error) => console.error(`[signet] import ${id} failed: ${error.message}`))
  return respond(c, config, started.job, 202, names)
}

const RUN_DESCRIPTION =
  'Answers at once with the import, now `checking` (dry run) or `applying`, and runs in the background: ' +
  'poll `GET /api/imports/{id}` for `progress` (rows read, bytes of the file) and, when the status is ' +
  '`checked`, `applied` or `failed`, the `report` or `error`. With `wait=true` it answers only at the end, ' +
  'with the report. One run per import at a time: another one gets 409.'

imports.post(
  '/:id/dry-run',
  describe({
    summary: 'Check an import without changing anything',
    description: `Counts new, updated, unchanged, invalid, duplicate, deleted and leaving rows exactly as applying would. ${RUN_DESCRIPTION}`,
    tags: ['imports'],
    status: 202,
    response: ImportSchema,
    alsoResponds: { status: 200, description: 'With `wait=true`: the report.', response: ImportReportSchema },
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('query', RunImportQuerySchema),
  (c) => startRun(c, 'check', c.req.valid('param').id, c.req.valid('query').wait),
)

imports.post(
  '/:id/apply',
  describe({
    summary: 'Apply an import: all rows or none',
    description: RUN_DESCRIPTION,
    tags: ['imports'],
    status: 202,
    response: ImportSchema,
    alsoResponds: { status: 200, description: 'With `wait=true`: the report.', response: ImportReportSchema },
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('query', RunImportQuerySchema),
  (c) => startRun(c, 'apply', c.req.valid('param').id, c.req.valid('query').wait),
)

imports.post(
  '/:id/undo',
  describe({
    summary: 'Undo an applied import',
    description:
      'Restores every contact, account and membership it touched, except what was changed since (edited, blacklisted, deleted, a membership removed and added again): that stays as it is now and is listed in `undo`. An earlier import can be undone around later ones: what they changed since stays too.',
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
    // Without its write time an undo cannot tell a later import's changes: newest first then.
    if (!job.written_at && (await hasLaterAppliedImport(db, auth.workspaceId, job.id, job.applied_at))) {
      throw new ApiError('conflict', 'A later import was applied; undo that one first.', 'id')
    }
    const updated = await db.transaction().execute(async (trx) => {
      const kept = await findChangedSince(trx, auth.workspaceId, job.id)
      await undoImportChanges(trx, auth.workspaceId, job.id, auth.userId as UserId)
      return updateImport(trx, auth.workspaceId, job.id, {
        status: 'undone',
        undone_at: new Date(),
        undo_report: JSON.stringify({ kept: kept.length, keptTargets: kept.slice(0, 50) }),
      })
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
    const path = importFilePath(config, job.workspace_id, job.id)
    const rows = rejectedRows(path, job, await findRejectedLines(db, path, job))
    const header = ['line', ...job.headers, 'field', 'reason']
    return c.body(csvStream(header, rows), 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="rejected-${job.id}.csv"`,
    })
  },
)
