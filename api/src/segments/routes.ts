import {
  CountSegmentSchema,
  CreateSegmentSchema,
  type FilterGroup,
  IdParamsSchema,
  SegmentCountSchema,
  SegmentSchema,
  UpdateSegmentSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { csvDownload, exportAccounts, exportContacts } from '../exports/service.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { compileFilter } from './compile.ts'
import { toSegment } from './dto.ts'
import {
  countGroupsUsingSegment,
  countMatchingWithin,
  deleteSegment,
  findSegmentById,
  insertSegment,
  listSegments,
  updateSegment,
} from './queries.ts'

export const segments = new Hono<AppEnv>()
const tags = ['segments']

async function liveCount(
  db: Db,
  workspaceId: WorkspaceId,
  kind: 'account' | 'contact',
  filter: FilterGroup,
  segmentId?: string,
) {
  return countMatchingWithin(
    db,
    workspaceId,
    kind,
    await compileFilter(db, workspaceId, kind, filter, 'filter', segmentId),
  )
}

async function getSegmentOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const row = await findSegmentById(db, workspaceId, id)
  if (!row) throw notFound('Segment')
  return row
}

segments.get(
  '/',
  describe({ summary: 'List saved segments with their live counts', tags, response: z.array(SegmentSchema) }),
  requireRole('marketer'),
  async (c) => {
    const { db, auth } = c.var
    const rows = await listSegments(db, auth.workspaceId)
    const result = []
    for (const row of rows) {
      result.push(toSegment(row, await liveCount(db, auth.workspaceId, row.kind, row.filter as FilterGroup)))
    }
    return c.json(result)
  },
)

segments.post(
  '/',
  describe({ summary: 'Save a segment', tags, response: SegmentSchema, status: 201 }),
  requireRole('marketer'),
  valid('json', CreateSegmentSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    const count = await liveCount(db, auth.workspaceId, input.kind, input.filter)
    const row = await insertSegment(db, { workspaceId: auth.workspaceId, ...input })
    return c.json(toSegment(row, count), 201)
  },
)

segments.post(
  '/count',
  describe({
    summary: 'Count the matches of an unsaved filter',
    description: 'Smart search: the same filter is accepted by the account and contact lists as `filter`.',
    tags,
    response: SegmentCountSchema,
  }),
  requireRole('marketer'),
  valid('json', CountSegmentSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    const counted = await liveCount(db, auth.workspaceId, input.kind, input.filter)
    return c.json({ count: counted.count, countIsEstimate: counted.estimated })
  },
)

segments.get(
  '/:id',
  describe({ summary: 'Get a segment with its live count', tags, response: SegmentSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getSegmentOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    return c.json(toSegment(row, await liveCount(db, auth.workspaceId, row.kind, row.filter as FilterGroup)))
  },
)

segments.get(
  '/:id/export.csv',
  describe({
    summary: 'Export the matches of a saved segment as CSV',
    description: 'Its live accounts or contacts as they match now, newest first.',
    tags,
    response: { contentType: 'text/csv', description: 'The matching accounts or contacts, formula-safe.' },
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getSegmentOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const where = await compileFilter(db, auth.workspaceId, row.kind, row.filter as FilterGroup, 'id', row.id)
    const list = { sort: 'created', order: 'desc' } as const
    const file =
      row.kind === 'account'
        ? await exportAccounts(db, auth.workspaceId, list, { filter: () => where })
        : await exportContacts(db, auth.workspaceId, list, { filter: () => where })
    return csvDownload(c, `segment-${row.id}.csv`, file)
  },
)

segments.patch(
  '/:id',
  describe({ summary: 'Rename a segment or change its filter', tags, response: SegmentSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateSegmentSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    const row = await getSegmentOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const filter = input.filter ?? (row.filter as FilterGroup)
    const count = await liveCount(db, auth.workspaceId, row.kind, filter, row.id)
    const updated = await updateSegment(db, auth.workspaceId, row.id, input)
    return c.json(toSegment(updated, count))
  },
)

segments.delete(
  '/:id',
  describe({ summary: 'Delete a segment', tags, status: 204, response: null }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getSegmentOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if ((await countGroupsUsingSegment(db, auth.workspaceId, row.id)).n > 0) {
      throw new ApiError(
        'conflict',
        'A dynamic target group uses this segment; change or delete the group first.',
        'id',
      )
    }
    await deleteSegment(db, auth.workspaceId, row.id)
    return c.body(null, 204)
  },
)
