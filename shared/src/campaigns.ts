import { TimestampSchema } from './common.ts'
import { z } from './zod.ts'

export const campaignStates = ['draft', 'scheduled', 'active', 'paused', 'ended'] as const
export const CampaignStateSchema = z.enum(campaignStates)
export type CampaignState = z.infer<typeof CampaignStateSchema>

/** Only http and https; anything else (javascript:, data:, //host) is refused. */
export const DestinationUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      const url = new URL(v)
      return (url.protocol === 'http:' || url.protocol === 'https:') && /^https?:\/\/[^/\\]/i.test(v)
    } catch {
      return false
    }
  }, 'Enter a web address starting with http:// or https://.')

const utmValue = z.string().trim().max(200)
export const UtmSchema = z
  .object({ source: utmValue, medium: utmValue, campaign: utmValue, term: utmValue, content: utmValue })
  .partial()
  .strict()

export const BannerImageSchema = z.object({
  id: z.uuid(),
  contentType: z.enum(['image/png', 'image/jpeg', 'image/gif', 'image/webp']),
  width: z.number().int(),
  height: z.number().int(),
  byteSize: z.number().int(),
  /** Changes whenever the bytes change, so mail clients do not show a cached old banner. */
  version: z.string(),
})

export const VariantSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    altText: z.string(),
    weight: z.number().int(),
    image: BannerImageSchema.nullable(),
  })
  .meta({ id: 'CampaignVariant' })

export const CampaignSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: z.enum(['receiver', 'sender']),
    senderScope: z.enum(['all', 'departments']),
    targetGroupIds: z.array(z.uuid()),
    departmentIds: z.array(z.uuid()),
    destinationUrl: z.string(),
    utm: UtmSchema,
    /** The destination with its UTM parameters: where a click lands. */
    landingUrl: z.string(),
    startsAt: z.string().nullable(),
    endsAt: z.string().nullable(),
    pausedAt: z.string().nullable(),
    priority: z.number().int(),
    draft: z.boolean(),
    state: CampaignStateSchema,
    variants: z.array(VariantSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Campaign' })

const name = z.string().trim().min(1, 'Give the campaign a name.').max(200)
const altText = z.string().trim().min(1, 'Describe the banner in the alt text.').max(300)
const ids = z.array(z.uuid()).max(1000)

const campaignFields = {
  name,
  kind: z.enum(['receiver', 'sender']),
  senderScope: z.enum(['all', 'departments']),
  targetGroupIds: ids,
  departmentIds: ids,
  destinationUrl: DestinationUrlSchema,
  utm: UtmSchema,
  startsAt: TimestampSchema.nullable(),
  endsAt: TimestampSchema.nullable(),
  priority: z.number().int().min(-1000).max(1000),
  /** false publishes the campaign; it then serves while scheduled and not paused. */
  draft: z.boolean(),
}

export const CreateCampaignSchema = z
  .object({
    ...campaignFields,
    kind: campaignFields.kind.default('sender'),
    senderScope: campaignFields.senderScope.default('all'),
    targetGroupIds: ids.default([]),
    departmentIds: ids.default([]),
    utm: UtmSchema.default({}),
    startsAt: campaignFields.startsAt.default(null),
    endsAt: campaignFields.endsAt.default(null),
    priority: campaignFields.priority.default(0),
    draft: z.boolean().default(true),
    /** The alt text of the first banner variant. */
    altText,
  })
  .strict()

export const UpdateCampaignSchema = z.object(campaignFields).partial().strict()

export const CreateVariantSchema = z
  .object({
    name: z.string().trim().min(1).max(40),
    altText,
    weight: z.number().int().min(0).max(1000).default(1),
  })
  .strict()

export const UpdateVariantSchema = z
  .object({ name: z.string().trim().min(1).max(40), altText, weight: z.number().int().min(0).max(1000) })
  .partial()
  .strict()

export const ListCampaignsQuerySchema = z.object({
  state: CampaignStateSchema.optional(),
  kind: z.enum(['receiver', 'sender']).optional(),
})

export const VariantParamsSchema = z.object({ id: z.uuid(), variantId: z.uuid() })

export type Campaign = z.infer<typeof CampaignSchema>
export type CreateCampaign = z.infer<typeof CreateCampaignSchema>
export type UpdateCampaign = z.infer<typeof UpdateCampaignSchema>
