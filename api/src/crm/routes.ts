import {
  ConnectHubSpotSchema,
  HUBSPOT_DEFAULT_BASE_URL,
  HubSpotConnectionSchema,
  HubSpotLinkSchema,
  HubSpotListSchema,
  HubSpotListsQuerySchema,
  LinkHubSpotListSchema,
  SyncRunSchema,
  TargetGroupParamsSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { findTargetGroupById } from '../target-groups/queries.ts'
import { HubSpotError, hubspotClient } from './hubspot.ts'
import {
  deleteConnection,
  deleteLink,
  findConnection,
  findLink,
  latestRuns,
  listLinks,
  listRuns,
  upsertConnection,
  upsertLink,
} from './queries.ts'
import { sealToken, tokenHint } from './seal.ts'
import { asApiError, clientFor, toConnection, toLink, toRun } from './service.ts'
import { syncGroup } from './sync.ts'

export const hubspot = new Hono<AppEnv>()
const tags = ['integrations']
const RUNS_SHOWN = 20

async function getConnectionOrThrow(db: Db, workspaceId: WorkspaceId) {
  const connection = await findConnection(db, workspaceId)
  if (!connection) throw new ApiError('conflict', 'Connect HubSpot first.', 'connection')
  return connection
}

async function getLinkOrThrow(db: Db, workspaceId: WorkspaceId, groupId: string) {
  const link = await findLink(db, workspaceId, groupId)
  if (!link) throw notFound('Linked target group')
  return link
}

hubspot.get(
  '/',
  describe({
    summary: 'The HubSpot connection',
    description: 'The token is never returned, only its last four characters.',
    tags,
    response: HubSpotConnectionSchema,
  }),
  requireRole('marketer'),
  async (c) => c.json(toConnection(await findConnection(c.var.db, c.var.auth.workspaceId))),
)

hubspot.put(
  '/',
  describe({
    summary: 'Connect HubSpot with a private-app access token',
    description:
      'The token is checked against HubSpot, then stored encrypted. Connecting again replaces it and resumes scheduled runs stopped by a refused token.',
    tags,
    response: HubSpotConnectionSchema,
  }),
  requireRole('marketer'),
  valid('json', ConnectHubSpotSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const input = c.req.valid('json')
    const baseUrl = input.baseUrl ?? HUBSPOT_DEFAULT_BASE_URL
    try {
      await hubspotClient({ baseUrl, token: input.token, maxAttempts: 2 }).searchContactLists('', 1)
    } catch (error) {
      if (!(error instanceof HubSpotError)) throw error
      if (error.problem === 'auth') throw new ApiError('validation_failed', error.message, 'token')
      throw new ApiError(
        'validation_failed',
        `HubSpot did not answer at ${baseUrl}: ${error.message}`,
        'baseUrl',
      )
    }
    const row = await upsertConnection(db, {
      workspace_id: auth.workspaceId,
      base_url: baseUrl,
      token_sealed: sealToken(config.secret, auth.workspaceId, input.token),
      token_hint: tokenHint(input.token),
      created_by: auth.userId,
    })
    return c.json(toConnection(row))
  },
)

hubspot.delete(
  '/',
  describe({
    summary: 'Disconnect HubSpot',
    description:
      'Forgets the token and unlinks every group; the groups, their members and the run history stay.',
    tags,
    status: 204,
    response: null,
  }),
  requireRole('marketer'),
  async (c) => {
    if (!(await deleteConnection(c.var.db, c.var.auth.workspaceId))) throw notFound('HubSpot connection')
    return c.body(null, 204)
  },
)

hubspot.get(
  '/lists',
  describe({
    summary: "The HubSpot account's contact lists",
    description: 'Lists whose name contains `query`, at most 1000.',
    tags,
    response: z.array(HubSpotListSchema),
  }),
  requireRole('marketer'),
  valid('query', HubSpotListsQuerySchema),
  async (c) => {
    const { db, auth, config } = c.var
    const connection = await getConnectionOrThrow(db, auth.workspaceId)
    try {
      return c.json(await clientFor(config, connection).searchContactLists(c.req.valid('query').query))
    } catch (error) {
      asApiError(error)
    }
  },
)

hubspot.get(
  '/links',
  describe({
    summary: 'Target groups linked to a HubSpot list, with their last run',
    tags,
    response: z.array(HubSpotLinkSchema),
  }),
  requireRole('marketer'),
  async (c) => {
    const { db, auth } = c.var
    const links = await listLinks(db, auth.workspaceId)
    const runs = await latestRuns(
      db,
      auth.workspaceId,
      links.map((l) => l.target_group_id),
    )
    const byGroup = new Map(runs.map((r) => [r.target_group_id, r]))
    return c.json(links.map((l) => toLink(l, byGroup.get(l.target_group_id))))
  },
)

hubspot.put(
  '/links/:targetGroupId',
  describe({
    summary: 'Link a contact target group to a HubSpot list',
    description:
      'The group then mirrors the list: synchronised on a schedule (every 15 minutes unless `intervalMinutes` says otherwise) and on demand, like a CSV import in mode synchronise.',
    tags,
    response: HubSpotLinkSchema,
  }),
  requireRole('marketer'),
  valid('param', TargetGroupParamsSchema),
  valid('json', LinkHubSpotListSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const { targetGroupId } = c.req.valid('param')
    const input = c.req.valid('json')
    const group = await findTargetGroupById(db, auth.workspaceId, targetGroupId)
    if (!group) throw notFound('Target group')
    if (group.kind !== 'contact') {
      throw new ApiError(
        'validation_failed',
        `"${group.name}" is a group of accounts; link a group of contacts.`,
        'targetGroupId',
      )
    }
    if (group.segment_id) {
      throw new ApiError(
        'validation_failed',
        `"${group.name}" takes its members from a segment; link a static group.`,
        'targetGroupId',
      )
    }
    const connection = await getConnectionOrThrow(db, auth.workspaceId)
    let listName: string
    try {
      listName = (await clientFor(config, connection).getContactList(input.listId)).name
    } catch (error) {
      asApiError(error, 'listId')
    }
    await upsertLink(db, {
      workspaceId: auth.workspaceId,
      groupId: group.id,
      listId: input.listId,
      listName,
      intervalMinutes: input.intervalMinutes,
      createdBy: auth.userId,
    })
    return c.json(toLink(await getLinkOrThrow(db, auth.workspaceId, group.id), undefined))
  },
)

hubspot.delete(
  '/links/:targetGroupId',
  describe({
    summary: 'Unlink a target group from its HubSpot list',
    description: 'The group keeps its members; they are no longer synchronised.',
    tags,
    status: 204,
    response: null,
  }),
  requireRole('marketer'),
  valid('param', TargetGroupParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    if (!(await deleteLink(db, auth.workspaceId, c.req.valid('param').targetGroupId)))
      throw notFound('Linked target group')
    return c.body(null, 204)
  },
)

hubspot.post(
  '/links/:targetGroupId/sync',
  describe({
    summary: 'Synchronise a linked group now',
    description:
      'Answers the run: applied with its report, or failed with the reason (a refused token, a missing list). 409 while another run of the group is under way in any API process.',
    tags,
    status: 200,
    response: SyncRunSchema,
  }),
  requireRole('marketer'),
  valid('param', TargetGroupParamsSchema),
  async (c) => {
    const { db, auth, config } = c.var
    const link = await getLinkOrThrow(db, auth.workspaceId, c.req.valid('param').targetGroupId)
    const result = await syncGroup(db, config, auth.workspaceId, link.target_group_id, 'manual', auth.userId)
    if (result.outcome === 'busy') {
      throw new ApiError(
        'conflict',
        'This group is being synchronised right now; try again when that run ends.',
        'targetGroupId',
      )
    }
    if (result.outcome === 'not_linked') throw notFound('Linked target group')
    return c.json(toRun(result.job))
  },
)

hubspot.get(
  '/links/:targetGroupId/runs',
  describe({
    summary: 'The last runs of a linked group, newest first, with their reports',
    tags,
    response: z.array(SyncRunSchema),
  }),
  requireRole('marketer'),
  valid('param', TargetGroupParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const { targetGroupId } = c.req.valid('param')
    const group = await findTargetGroupById(db, auth.workspaceId, targetGroupId)
    if (!group) throw notFound('Target group')
    return c.json((await listRuns(db, auth.workspaceId, group.id, RUNS_SHOWN)).map(toRun))
  },
)
