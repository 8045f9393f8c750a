import { z } from './zod.ts'

/**
 * The contract between the extension and the API for choosing a banner. The extension sends the
 * compose window's recipients as the mail client shows them; the API decides.
 */
const recipientList = z.array(z.string().max(400)).max(500).default([])

export const ResolveRequestSchema = z.strictObject({
  to: recipientList,
  cc: recipientList,
  bcc: recipientList,
  /** Which mail client asked, for health statistics. */
  client: z.enum(['gmail', 'outlook', 'dashboard', 'other']).default('other'),
})

export const SimulateRequestSchema = ResolveRequestSchema.extend({
  employeeId: z.uuid(),
})

export const RecipientDecisionSchema = z.object({
  /** The address as sent, normalised (lower-case). */
  email: z.string(),
  /** Why a recipient does not count: internal domain, not an email address, duplicate. */
  ignored: z.enum(['internal', 'invalid', 'duplicate']).nullable(),
  accountId: z.uuid().nullable(),
  contactId: z.uuid().nullable(),
  /** A recipient who opted out of tracking makes the whole banner untracked. */
  optedOut: z.boolean(),
  /** Target groups this recipient is in, and the campaigns they run now. */
  matches: z.array(
    z.object({
      level: z.enum(['contact', 'account']),
      targetGroup: z.object({ id: z.uuid(), name: z.string() }),
      campaigns: z.array(z.object({ id: z.uuid(), name: z.string() })),
    }),
  ),
})

export const ResolveResponseSchema = z
  .object({
    /** The whole signature block to insert, banner included (or not). */
    signatureHtml: z.string(),
    campaign: z
      .object({
        id: z.uuid(),
        name: z.string(),
        variantId: z.uuid(),
        kind: z.enum(['receiver', 'sender']),
      })
      .nullable(),
    /** Whether the banner carries a view pixel and a tracked link. */
    tracked: z.boolean(),
    /** Set when a tracked banner was chosen; the extension reports "sent" with it. */
    deliveryId: z.uuid().nullable(),
    /** For people: "acme.com is in target group Key accounts, which runs Webinar Q4." */
    explanation: z.string(),
    recipients: z.array(RecipientDecisionSchema),
  })
  .meta({ id: 'ResolveResult' })

export type ResolveRequest = z.infer<typeof ResolveRequestSchema>
export type ResolveResponse = z.infer<typeof ResolveResponseSchema>
