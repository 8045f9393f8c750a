import { AccountDomainInputSchema } from './accounts.ts'
import { TimestampSchema } from './common.ts'
import { ContactEmailInputSchema } from './contacts.ts'
import { pageLimit } from './lists.ts'
import { z } from './zod.ts'

/** Leads: recipients who clicked a banner but are not managed as accounts or contacts yet. */

export const LeadListQuerySchema = z.object({
  /** Count machine clicks too (left out by default: a scanner is not a lead). */
  includeMachine: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  limit: pageLimit(200, 50),
  cursor: z.string().max(500).optional(),
  format: z.enum(['json', 'csv']).default('json'),
})

export const LeadSchema = z
  .object({
    /** A registrable domain (account lead) or an email address (contact lead). */
    value: z.string(),
    clicks: z.object({ human: z.number().int(), raw: z.number().int() }),
    firstClickAt: z.string(),
    lastClickAt: z.string(),
    campaigns: z.array(z.object({ id: z.string(), name: z.string() })),
  })
  .meta({ id: 'Lead' })

export const LeadPageSchema = z.object({ items: z.array(LeadSchema), nextCursor: z.string().nullable() })

export const ConvertDomainLeadSchema = z.strictObject({
  domain: AccountDomainInputSchema,
  name: z.string().trim().max(200).default(''),
})

/**
 * The lead's past clicks become the contact's per-person history, which the identified tier keeps
 * only with recorded consent: `consent` records it (a contact that has one keeps its own).
 */
export const ConvertEmailLeadSchema = z.strictObject({
  email: ContactEmailInputSchema,
  consent: z
    .strictObject({
      at: TimestampSchema.optional(),
      method: z.string().trim().min(1, 'Say how the person consented.').max(200),
    })
    .optional(),
})

export const ConvertedLeadSchema = z.object({
  /** The new account or contact, or the existing one the lead's history was added to. */
  id: z.string(),
  created: z.boolean(),
  /** Past deliveries now counted in its statistics. */
  deliveries: z.number().int(),
})

export type Lead = z.infer<typeof LeadSchema>
export type LeadListQuery = z.infer<typeof LeadListQuerySchema>
