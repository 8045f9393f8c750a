import { pageLimit } from './lists.ts'
import { z } from './zod.ts'

/** The performance feed (latest events, live) and a contact's activity. */

const Named = z.object({ id: z.string(), name: z.string() })

export const FeedQuerySchema = z.object({
  includeMachine: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  limit: pageLimit(200, 50),
  cursor: z.string().max(200).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})

export const FeedItemSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['view', 'click', 'sent']),
    at: z.string(),
    human: z.boolean(),
    machineReason: z.string().nullable(),
    campaign: Named,
    employee: Named.nullable(),
    accounts: z.array(Named),
    /** Only in the identified tracking tier. */
    contacts: z.array(Named),
    /** Recipient domains that are no account (yet). */
    leadDomains: z.array(z.string()),
  })
  .meta({ id: 'FeedItem' })

export const FeedPageSchema = z.object({ items: z.array(FeedItemSchema), nextCursor: z.string().nullable() })

export const StreamTicketSchema = z.object({
  /** Opens the live feed once within a minute: `GET /api/activity/stream?ticket=…`. */
  ticket: z.string(),
  expiresAt: z.string(),
})

export const StreamQuerySchema = z.object({
  ticket: z.string().max(500),
  includeMachine: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
})

export const ContactActivityQuerySchema = z.object({
  limit: pageLimit(200, 50),
  cursor: z.string().max(200).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})

export const ActivityItemSchema = z
  .object({
    type: z.enum(['delivery', 'view', 'click', 'status']),
    at: z.string(),
    /** `email` for banners; `user` or `system` for a status change. */
    channel: z.string(),
    campaign: Named.nullable(),
    /** sent / not sent (delivery), human / machine (view, click), the new status (status). */
    status: z.string(),
    /** The machine reason, or the reason of a status change. */
    detail: z.string().nullable(),
  })
  .meta({ id: 'ActivityItem' })

export const ContactActivityPageSchema = z.object({
  /** False when the workspace does not record per-person history: only status changes are listed. */
  tracking: z.boolean(),
  items: z.array(ActivityItemSchema),
  nextCursor: z.string().nullable(),
})

export type FeedItem = z.infer<typeof FeedItemSchema>
export type ActivityItem = z.infer<typeof ActivityItemSchema>
