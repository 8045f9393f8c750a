import { ImportProgressSchema, ImportReportSchema, importStatuses } from './imports.ts'
import { z } from './zod.ts'

/** HubSpot's public API; a connection may point elsewhere (a proxy, a test server). */
export const HUBSPOT_DEFAULT_BASE_URL = 'https://api.hubapi.com'

export const ConnectHubSpotSchema = z.strictObject({
  /** A HubSpot private-app access token with the scopes crm.lists.read and crm.objects.contacts.read. */
  token: z
    .string()
    .trim()
    .min(8, 'Paste the private app’s access token.')
    .max(500, 'The access token is at most 500 characters.')
    .regex(/^[\x21-\x7e]+$/, 'The access token has no spaces or special characters.'),
  baseUrl: z
    .url({ protocol: /^https?$/, error: 'Enter an http or https address such as https://api.hubapi.com.' })
    .max(500)
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
})

export const HubSpotConnectionSchema = z
  .object({
    connected: z.boolean(),
    baseUrl: z.string(),
    /** The last four characters of the token; the token itself is never returned. */
    tokenHint: z.string().nullable(),
    /** `failing` after HubSpot refused the token: scheduled runs stop until a reconnect or a run on demand. */
    status: z.enum(['connected', 'failing']).nullable(),
    error: z.string().nullable(),
    connectedAt: z.string().nullable(),
  })
  .meta({ id: 'HubSpotConnection' })

export const HubSpotListSchema = z
  .object({
    listId: z.string(),
    name: z.string(),
    size: z.number().nullable(),
    processingType: z.string(),
  })
  .meta({ id: 'HubSpotList' })

export const HubSpotListsQuerySchema = z.object({
  query: z.string().trim().max(200, 'Search with at most 200 characters.').default(''),
})

export const TargetGroupParamsSchema = z.object({ targetGroupId: z.uuid() })

export const LinkHubSpotListSchema = z.strictObject({
  listId: z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, 'Choose a HubSpot list by its id (digits).'),
  /** Minutes between scheduled runs. */
  intervalMinutes: z
    .number()
    .int('Use whole minutes.')
    .min(5, 'Synchronise at most every 5 minutes.')
    .max(1440, 'Synchronise at least once a day.')
    .default(15),
})

export const SyncRunSchema = z
  .object({
    /** The import this run is: its report, undo and place in the import history are a CSV import's. */
    importId: z.uuid(),
    trigger: z.enum(['schedule', 'manual']),
    status: z.enum(importStatuses),
    error: z.string().nullable(),
    report: ImportReportSchema.nullable(),
    /** Rows of the list read so far (`unit` rows, `total` the list's length), and after the run. */
    progress: ImportProgressSchema.nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .meta({ id: 'SyncRun' })

export const HubSpotLinkSchema = z
  .object({
    targetGroupId: z.uuid(),
    targetGroupName: z.string(),
    listId: z.string(),
    listName: z.string(),
    intervalMinutes: z.number().int(),
    /** `failing` when the list is gone: scheduled runs stop until it is linked again or run on demand. */
    status: z.enum(['ok', 'failing']),
    error: z.string().nullable(),
    nextRunAt: z.string(),
    lastRunAt: z.string().nullable(),
    lastRun: SyncRunSchema.nullable(),
  })
  .meta({ id: 'HubSpotLink' })

export type ConnectHubSpot = z.infer<typeof ConnectHubSpotSchema>
export type HubSpotConnection = z.infer<typeof HubSpotConnectionSchema>
export type HubSpotList = z.infer<typeof HubSpotListSchema>
export type LinkHubSpotList = z.infer<typeof LinkHubSpotListSchema>
export type SyncRun = z.infer<typeof SyncRunSchema>
export type HubSpotLink = z.infer<typeof HubSpotLinkSchema>
