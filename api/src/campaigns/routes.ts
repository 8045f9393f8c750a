import {
  CampaignSchema,
  CreateCampaignSchema,
  IdParamsSchema,
  ListCampaignsQuerySchema,
  UpdateCampaignSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { CampaignId, WorkspaceId } from '../db/schema.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import {
  insertCampaign,
  insertVariant,
  listCampaignRows,
  listVariantsOfCampaigns,
  replaceCampaignDepartments,
  replaceCampaignTargetGroups,
  softDeleteCampaign,
  updateCampaign,
} from './queries.ts'
import { checkAudience, getCampaignOrThrow, getFullCampaign, loadCampaigns } from './service.ts'
import { variants } from './variant-routes.ts'

export const campaigns = new Hono<AppEnv>()

const tags = ['campaigns']

function checkSchedule(startsAt: string | Date | null, endsAt: string | Date | null) {
  if (startsAt && endsAt && new Date(endsAt) <= new Date(startsAt))
    throw new ApiError('validation_failed', 'The end must be after the start.', 'endsAt')
}

/** A published campaign must have a banner to show. */
async function checkPublishable(db: Db, workspaceId: WorkspaceId, id: CampaignId) {
  const rows = await listVariantsOfCampaigns(db, workspaceId, [id])
  if (!rows.some((v) => v.image_id && v.weight > 0))
    throw new ApiError('conflict', 'Upload a banner image before publishing the campaign.', 'draft')
}

campaigns.get(
  '/',
  describe({ summary: 'List campaigns', tags, response: z.array(CampaignSchema) }),
  requireRole('marketer'),
  valid('query', ListCampaignsQuerySchema),
  async (c) => {
    const filter = c.req.valid('query')
    const rows = await listCampaignRows(c.var.db, c.var.auth.workspaceId, filter)
    const list = await loadCampaigns(c.var.db, c.var.auth.workspaceId, rows)
    return c.json(filter.state ? list.filter((x) => x.state === filter.state) : list)
  },
)

campaigns.post(
  '/',
  describe({
    summary: 'Create a campaign',
    description:
      'Creates the campaign with a first banner variant "A" (upload its image next). Campaigns start as drafts; set `draft: false` once a banner is uploaded.',
    tags,
    response: CampaignSchema,
  }),
  requireRole('marketer'),
  valid('json', CreateCampaignSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    checkSchedule(input.startsAt, input.endsAt)
    await checkAudience(db, auth.workspaceId, input)
    if (!input.draft)
      throw new ApiError('conflict', 'Upload a banner image before publishing the campaign.', 'draft')
    const id = await db.transaction().execute(async (trx) => {
      const { id } = await insertCampaign(trx, {
        workspace_id: auth.workspaceId,
        name: input.name,
        kind: input.kind,
        sender_scope: input.senderScope,
        destination_url: input.destinationUrl,
        utm: JSON.stringify(input.utm) as never,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        priority: input.priority,
        is_draft: true,
      })
      await insertVariant(trx, {
        workspaceId: auth.workspaceId,
        campaignId: id,
        name: 'A',
        altText: input.altText,
        weight: 1,
      })
      await replaceCampaignTargetGroups(trx, id, input.targetGroupIds)
      await replaceCampaignDepartments(trx, id, input.departmentIds)
      return id
    })
    return c.json(await getFullCampaign(db, auth.workspaceId, id), 201)
  },
)

campaigns.get(
  '/:id',
  describe({ summary: 'Get a campaign', tags, response: CampaignSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => c.json(await getFullCampaign(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id)),
)

campaigns.patch(
  '/:id',
  describe({
    summary: 'Change a campaign, its schedule, audience or priority; publish it',
    tags,
    response: CampaignSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateCampaignSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getCampaignOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const input = c.req.valid('json')
    checkSchedule(
      input.startsAt === undefined ? row.starts_at : input.startsAt,
      input.endsAt === undefined ? row.ends_at : input.endsAt,
    )
    await checkAudience(db, auth.workspaceId, input)
    if (input.draft === false) await checkPublishable(db, auth.workspaceId, row.id)
    await db.transaction().execute(async (trx) => {
      await updateCampaign(trx, auth.workspaceId, row.id, {
        name: input.name,
        kind: input.kind,
        sender_scope: input.senderScope,
        destination_url: input.destinationUrl,
        utm: input.utm === undefined ? undefined : (JSON.stringify(input.utm) as never),
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        priority: input.priority,
        is_draft: input.draft,
      })
      if (input.targetGroupIds) await replaceCampaignTargetGroups(trx, row.id, input.targetGroupIds)
      if (input.departmentIds) await replaceCampaignDepartments(trx, row.id, input.departmentIds)
    })
    return c.json(await getFullCampaign(db, auth.workspaceId, row.id))
  },
)

campaigns.post(
  '/:id/pause',
  describe({
    summary: 'Pause a campaign: it stops serving until resumed',
    tags,
    response: CampaignSchema,
    status: 200,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getCampaignOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if (!row.paused_at) await updateCampaign(db, auth.workspaceId, row.id, { paused_at: sql`now()` as never })
    return c.json(await getFullCampaign(db, auth.workspaceId, row.id))
  },
)

campaigns.post(
  '/:id/resume',
  describe({ summary: 'Resume a paused campaign', tags, response: CampaignSchema, status: 200 }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getCampaignOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if (row.paused_at) await updateCampaign(db, auth.workspaceId, row.id, { paused_at: null })
    return c.json(await getFullCampaign(db, auth.workspaceId, row.id))
  },
)

campaigns.delete(
  '/:id',
  describe({
    summary: 'Delete a campaign',
    description: 'The campaign stops serving at once; its deliveries and statistics are kept.',
    tags,
    response: null,
    status: 204,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const row = await getCampaignOrThrow(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id)
    await softDeleteCampaign(c.var.db, c.var.auth.workspaceId, row.id)
    return c.body(null, 204)
  },
)

campaigns.route('/', variants)
