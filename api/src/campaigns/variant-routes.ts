import { createHash } from 'node:crypto'
import {
  CampaignSchema,
  CreateVariantSchema,
  IdParamsSchema,
  UpdateVariantSchema,
  VariantParamsSchema,
} from '@signet/shared'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Db } from '../db/index.ts'
import type { CampaignId, VariantId, WorkspaceId } from '../db/schema.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { sniffImage } from './image.ts'
import {
  countVariantDeliveries,
  deleteVariant,
  findVariant,
  insertBannerImage,
  insertVariant,
  listVariantsOfCampaigns,
  updateVariant,
} from './queries.ts'
import { getCampaignOrThrow, getFullCampaign } from './service.ts'

/** Banner variants (A/B) of a campaign and their images. Mounted under /api/campaigns. */
export const variants = new Hono<AppEnv>()

export const MAX_BANNER_BYTES = 2 * 1024 * 1024
const tags = ['campaigns']

async function getVariantOrThrow(db: Db, workspaceId: WorkspaceId, campaignId: CampaignId, id: string) {
  const row = await findVariant(db, workspaceId, campaignId, id)
  if (!row) throw notFound('Banner variant')
  return row
}

variants.post(
  '/:id/variants',
  describe({ summary: 'Add a banner variant for A/B testing', tags, response: CampaignSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', CreateVariantSchema),
  async (c) => {
    const { db, auth } = c.var
    const campaign = await getCampaignOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const input = c.req.valid('json')
    const existing = await listVariantsOfCampaigns(db, auth.workspaceId, [campaign.id])
    if (existing.some((v) => v.name === input.name))
      throw new ApiError('conflict', 'This campaign already has a variant with this name.', 'name')
    if (existing.length >= 10) throw new ApiError('conflict', 'A campaign can have at most 10 variants.')
    await insertVariant(db, { workspaceId: auth.workspaceId, campaignId: campaign.id, ...input })
    return c.json(await getFullCampaign(db, auth.workspaceId, campaign.id), 201)
  },
)

variants.patch(
  '/:id/variants/:variantId',
  describe({ summary: 'Change a variant’s name, alt text or weight', tags, response: CampaignSchema }),
  requireRole('marketer'),
  valid('param', VariantParamsSchema),
  valid('json', UpdateVariantSchema),
  async (c) => {
    const { db, auth } = c.var
    const { id, variantId } = c.req.valid('param')
    const campaign = await getCampaignOrThrow(db, auth.workspaceId, id)
    const variant = await getVariantOrThrow(db, auth.workspaceId, campaign.id, variantId)
    await updateVariant(db, auth.workspaceId, variant.id, c.req.valid('json'))
    return c.json(await getFullCampaign(db, auth.workspaceId, campaign.id))
  },
)

variants.delete(
  '/:id/variants/:variantId',
  describe({
    summary: 'Delete a variant that was never delivered',
    description: 'A variant with deliveries keeps its statistics: set its weight to 0 instead.',
    tags,
    response: CampaignSchema,
    status: 200,
  }),
  requireRole('marketer'),
  valid('param', VariantParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const { id, variantId } = c.req.valid('param')
    const campaign = await getCampaignOrThrow(db, auth.workspaceId, id)
    const variant = await getVariantOrThrow(db, auth.workspaceId, campaign.id, variantId)
    const all = await listVariantsOfCampaigns(db, auth.workspaceId, [campaign.id])
    if (all.length <= 1) throw new ApiError('conflict', 'A campaign needs at least one banner variant.')
    if ((await countVariantDeliveries(db, auth.workspaceId, variant.id)) > 0)
      throw new ApiError(
        'conflict',
        'This variant has been delivered; set its weight to 0 to stop showing it.',
      )
    await deleteVariant(db, auth.workspaceId, variant.id as VariantId)
    return c.json(await getFullCampaign(db, auth.workspaceId, campaign.id))
  },
)

variants.put(
  '/:id/variants/:variantId/image',
  describe({
    summary: 'Upload a variant’s banner image',
    description:
      'Send the image bytes as the request body (PNG, JPEG, GIF or WebP, recognised by content; at most 2 MiB). A new image gets a new URL, so mail clients do not show a cached old banner.',
    tags,
    response: CampaignSchema,
    status: 200,
    body: { contentType: 'image/*', description: 'The image file.' },
  }),
  requireRole('marketer'),
  valid('param', VariantParamsSchema),
  bodyLimit({
    maxSize: MAX_BANNER_BYTES,
    onError: () => {
      throw new ApiError('payload_too_large', 'The banner image is larger than 2 MiB.', 'body')
    },
  }),
  async (c) => {
    const { db, auth } = c.var
    const { id, variantId } = c.req.valid('param')
    const campaign = await getCampaignOrThrow(db, auth.workspaceId, id)
    const variant = await getVariantOrThrow(db, auth.workspaceId, campaign.id, variantId)
    const bytes = Buffer.from(await c.req.arrayBuffer())
    if (bytes.length > MAX_BANNER_BYTES)
      throw new ApiError('payload_too_large', 'The banner image is larger than 2 MiB.', 'body')
    const info = sniffImage(bytes)
    if (!info) throw new ApiError('unsupported_media_type', 'Upload a PNG, JPEG, GIF or WebP image.', 'body')
    if (info.width > 4000 || info.height > 4000)
      throw new ApiError('validation_failed', 'Use an image at most 4000 pixels wide and high.', 'body')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    await db.transaction().execute(async (trx) => {
      const image = await insertBannerImage(trx, { workspaceId: auth.workspaceId, sha256, ...info, bytes })
      await updateVariant(trx, auth.workspaceId, variant.id, { imageId: image.id })
    })
    return c.json(await getFullCampaign(db, auth.workspaceId, campaign.id))
  },
)
