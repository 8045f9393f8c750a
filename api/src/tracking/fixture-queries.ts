import { createHash } from 'node:crypto'
import type { Db } from '../db/index.ts'
import type { CampaignId, DeliveryId, UserId, VariantId, WorkspaceId } from '../db/schema.ts'

/** Test data for tracking, inserted directly: a campaign with one banner variant, and deliveries. */

// A real 1×1 PNG, so content-type checks see an image.
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

export interface CampaignFixture {
  campaignId: CampaignId
  variantId: VariantId
  imageSha: string
}

export async function insertCampaignFixture(
  db: Db,
  workspaceId: WorkspaceId,
  options: { destinationUrl?: string; utm?: Record<string, string> } = {},
): Promise<CampaignFixture> {
  const sha256 = createHash('sha256').update(PNG).digest('hex')
  const image = await db
    .insertInto('banner_image')
    .values({
      workspace_id: workspaceId,
      sha256,
      content_type: 'image/png',
      width: 1,
      height: 1,
      byte_size: PNG.length,
      bytes: PNG,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const campaign = await db
    .insertInto('campaign')
    .values({
      workspace_id: workspaceId,
      name: 'Webinar Q4',
      kind: 'receiver',
      destination_url: options.destinationUrl ?? 'https://acme.example/webinar?ref=sig',
      utm: JSON.stringify(options.utm ?? { utm_source: 'signet', utm_medium: 'email' }) as never,
      is_draft: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const variant = await db
    .insertInto('campaign_variant')
    .values({ workspace_id: workspaceId, campaign_id: campaign.id, image_id: image.id, alt_text: 'Join us' })
    .returning('id')
    .executeTakeFirstOrThrow()
  return { campaignId: campaign.id, variantId: variant.id, imageSha: sha256 }
}

/** A delivery by `employeeId`, created `ageMs` ago (old enough by default not to look "too soon"). */
export async function insertDeliveryFixture(
  db: Db,
  workspaceId: WorkspaceId,
  campaign: CampaignFixture,
  employeeId: UserId,
  ageMs = 3_600_000,
): Promise<DeliveryId> {
  const row = await db
    .insertInto('delivery')
    .values({
      workspace_id: workspaceId,
      campaign_id: campaign.campaignId,
      variant_id: campaign.variantId,
      employee_id: employeeId,
      created_at: new Date(Date.now() - ageMs),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

export function listEventsOfDelivery(db: Db, deliveryId: DeliveryId) {
  return db
    .selectFrom('tracking_event')
    .selectAll()
    .where('delivery_id', '=', deliveryId)
    .orderBy('id')
    .execute()
}

/** A person's browser, as the click tests send it. */
export const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'
