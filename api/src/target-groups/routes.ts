import {
  AccountPageSchema,
  ChangeMembersSchema,
  ContactPageSchema,
  CreateTargetGroupSchema,
  ExportMembersQuerySchema,
  IdParamsSchema,
  ListMembersQuerySchema,
  ListTargetGroupsQuerySchema,
  MembersChangedSchema,
  TargetGroupSchema,
  UpdateTargetGroupSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import { listAccounts } from '../accounts/queries.ts'
import { getAccountOrThrow, withAliases } from '../accounts/service.ts'
import { toContact } from '../contacts/dto.ts'
import { listContacts } from '../contacts/queries.ts'
import { getContactOrThrow } from '../contacts/service.ts'
import type { Db } from '../db/index.ts'
import type { SegmentId, WorkspaceId } from '../db/schema.ts'
import { csvDownload, exportAccounts, exportContacts } from '../exports/service.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { allOf } from '../segments/compile.ts'
import { listFilter } from '../segments/from-query.ts'
import { findSegmentById } from '../segments/queries.ts'
import { deleteGroupRollups } from '../stats/group-queries.ts'
import { findGroupsOfTargets } from '../targets/lookup-queries.ts'
import { deleteTargetGroup, insertTargetGroup, listTargetGroups, updateTargetGroup } from './queries.ts'
import {
  addMembers,
  getTargetGroupOrThrow,
  memberCounts,
  membershipFilter,
  removeMembers,
  toTargetGroup,
} from './service.ts'

export const targetGroups = new Hono<AppEnv>()
const tags = ['target groups']

async function assertSegmentFits(
  db: Db,
  workspaceId: WorkspaceId,
  segmentId: string,
  kind: 'account' | 'contact',
) {
  const segment = await findSegmentById(db, workspaceId, segmentId)
  if (!segment) throw new ApiError('validation_failed', 'This segment does not exist.', 'segmentId')
  if (segment.kind !== kind) {
    throw new ApiError(
      'validation_failed',
      `This is a segment of ${segment.kind}s, not of ${kind}s.`,
      'segmentId',
    )
  }
}

/** The ids of the groups one account or contact is in, static or dynamic; undefined for "all groups". */
async function groupsOf(db: Db, workspaceId: WorkspaceId, query: { accountId?: string; contactId?: string }) {
  if (query.accountId && query.contactId) {
    throw new ApiError(
      'validation_failed',
      'Ask for the groups of an account or of a contact, not both.',
      'contactId',
    )
  }
  if (query.accountId) {
    const account = await getAccountOrThrow(db, workspaceId, query.accountId)
    const found = await findGroupsOfTargets(db, workspaceId, { accountIds: [account.id], contactIds: [] })
    return new Set<string>(found.map((m) => m.groupId))
  }
  if (query.contactId) {
    const contact = await getContactOrThrow(db, workspaceId, query.contactId)
    const found = await findGroupsOfTargets(db, workspaceId, { accountIds: [], contactIds: [contact.id] })
    return new Set<string>(found.map((m) => m.groupId))
  }
  return undefined
}

targetGroups.get(
  '/',
  describe({
    summary: 'List target groups with member counts',
    description: 'With `accountId` or `contactId`: only the groups, static or dynamic, it is a member of.',
    tags,
    response: z.array(TargetGroupSchema),
  }),
  requireRole('marketer'),
  valid('query', ListTargetGroupsQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const only = await groupsOf(db, auth.workspaceId, c.req.valid('query'))
    const rows = (await listTargetGroups(db, auth.workspaceId)).filter((row) => !only || only.has(row.id))
    const counts = await memberCounts(db, auth.workspaceId, rows)
    return c.json(rows.map((row) => toTargetGroup(row, counts.get(row.id) ?? 0)))
  },
)

targetGroups.post(
  '/',
  describe({
    summary: 'Create a target group of accounts or of contacts',
    description: 'With `segmentId` the group is dynamic: its members are whatever the segment matches now.',
    tags,
    response: TargetGroupSchema,
    status: 201,
  }),
  requireRole('marketer'),
  valid('json', CreateTargetGroupSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    if (input.segmentId) await assertSegmentFits(db, auth.workspaceId, input.segmentId, input.kind)
    const row = await insertTargetGroup(db, { workspaceId: auth.workspaceId, ...input })
    const counts = await memberCounts(db, auth.workspaceId, [row])
    return c.json(toTargetGroup(row, counts.get(row.id) ?? 0), 201)
  },
)

targetGroups.get(
  '/:id',
  describe({ summary: 'Get a target group', tags, response: TargetGroupSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getTargetGroupOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const counts = await memberCounts(db, auth.workspaceId, [row])
    return c.json(toTargetGroup(row, counts.get(row.id) ?? 0))
  },
)

targetGroups.patch(
  '/:id',
  describe({ summary: 'Rename a target group or change its segment', tags, response: TargetGroupSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateTargetGroupSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    const row = await getTargetGroupOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if (input.segmentId) await assertSegmentFits(db, auth.workspaceId, input.segmentId, row.kind)
    const updated = await updateTargetGroup(db, auth.workspaceId, row.id, {
      name: input.name,
      segment_id: input.segmentId as SegmentId | null | undefined,
    })
    // A group that now refers to itself through its segment would never answer.
    await membershipFilter(db, auth.workspaceId, updated).catch(async (error) => {
      await updateTargetGroup(db, auth.workspaceId, row.id, { segment_id: row.segment_id })
      throw error
    })
    const counts = await memberCounts(db, auth.workspaceId, [updated])
    return c.json(toTargetGroup(updated, counts.get(updated.id) ?? 0))
  },
)

targetGroups.delete(
  '/:id',
  describe({
    summary: 'Delete a target group',
    description: 'Its accounts or contacts and their statistics stay.',
    tags,
    status: 204,
    response: null,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getTargetGroupOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    await deleteTargetGroup(db, auth.workspaceId, row.id)
    // The group's own rollups were only a sum of its members'; theirs stay.
    await deleteGroupRollups(db, auth.workspaceId, [row.id])
    return c.body(null, 204)
  },
)

targetGroups.get(
  '/:id/members',
  describe({
    summary: 'List, search and page the members of a target group',
    description: 'Accounts for an account group, contacts for a contact group.',
    tags,
    response: z.union([AccountPageSchema, ContactPageSchema]),
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('query', ListMembersQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const group = await getTargetGroupOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const member = await membershipFilter(db, auth.workspaceId, group)
    const extra = await listFilter(db, auth.workspaceId, group.kind, query)
    const filter = () => allOf(member, extra?.())
    if (group.kind === 'account') {
      const page = await listAccounts(db, auth.workspaceId, query, { filter })
      return c.json({ ...page, items: await withAliases(db, auth.workspaceId, page.items) })
    }
    const page = await listContacts(db, auth.workspaceId, query, { filter })
    return c.json({ ...page, items: page.items.map(toContact) })
  },
)

targetGroups.get(
  '/:id/members/export.csv',
  describe({
    summary: 'Export the members of a target group as CSV',
    description:
      'Takes the query of the member list (search, `filter`, `segmentId`, sort) and streams every match.',
    tags,
    response: { contentType: 'text/csv', description: 'The members, formula-safe.' },
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('query', ExportMembersQuerySchema),
  async (c) => {
    const { db, auth } = c.var
    const query = c.req.valid('query')
    const group = await getTargetGroupOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const member = await membershipFilter(db, auth.workspaceId, group)
    const extra = await listFilter(db, auth.workspaceId, group.kind, query)
    const filter = () => allOf(member, extra?.())
    const file =
      group.kind === 'account'
        ? await exportAccounts(db, auth.workspaceId, query, { filter })
        : await exportContacts(db, auth.workspaceId, query, { filter })
    return csvDownload(c, `target-group-${group.id}.csv`, file)
  },
)

for (const [verb, change] of [
  ['add', addMembers],
  ['remove', removeMembers],
] as const) {
  targetGroups.post(
    `/:id/members/${verb}`,
    describe({
      summary:
        verb === 'add'
          ? 'Add members by id, domain or email (creating missing accounts or contacts)'
          : 'Remove members by id, domain or email',
      tags,
      response: MembersChangedSchema,
    }),
    requireRole('marketer'),
    valid('param', IdParamsSchema),
    valid('json', ChangeMembersSchema),
    async (c) => {
      const { db, auth } = c.var
      const group = await getTargetGroupOrThrow(db, auth.workspaceId, c.req.valid('param').id)
      return c.json(await change(db, auth.workspaceId, auth.userId, group, c.req.valid('json')))
    },
  )
}
