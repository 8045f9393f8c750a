import { TimestampSchema } from './common.ts'
import { parseEmail } from './emails.ts'
import {
  CustomFieldsSchema,
  DeletedListQuerySchema,
  ListQuerySchema,
  pageLimit,
  pageSchema,
} from './lists.ts'
import { languageTagOf, timeZoneOf } from './locales.ts'
import { phoneToE164 } from './phones.ts'
import { z } from './zod.ts'

export const contactStatuses = [
  'active',
  'not_confirmed',
  'unsubscribed',
  'hard_bounce',
  'spam_report',
  'blacklisted',
] as const
export const ContactStatusSchema = z.enum(contactStatuses)
export type ContactStatus = z.infer<typeof ContactStatusSchema>

/** Statuses that must never be targeted (PRODUCT.md), even once the contact is deleted. */
export const suppressedStatuses: readonly ContactStatus[] = [
  'unsubscribed',
  'hard_bounce',
  'spam_report',
  'blacklisted',
]

/** How restrictive a status is: when two records merge, the higher one wins. */
export const statusSeverity: Record<ContactStatus, number> = {
  active: 0,
  not_confirmed: 1,
  unsubscribed: 2,
  hard_bounce: 3,
  spam_report: 4,
  blacklisted: 5,
}

export const contactSources = ['manual', 'import', 'api', 'crm'] as const

/** `max@x.de` or `Max Mustermann <max@x.de>`: the address, lower-case, and the name if given. */
export const ContactEmailInputSchema = z
  .string()
  .max(500)
  .transform((value, ctx) => {
    const parsed = parseEmail(value)
    if (parsed) return parsed
    ctx.addIssue({ code: 'custom', message: 'Enter a valid email address, such as max@acme.com.' })
    return z.NEVER
  })

/**
 * Free text made one canonical value by `normalise` (null when it cannot be): an empty value
 * clears the field, anything `normalise` refuses is an issue with `message`.
 */
function normalised(max: number, normalise: (value: string) => string | null | undefined, message: string) {
  return z
    .string()
    .max(max)
    .transform((value, ctx) => {
      if (!value.trim()) return null
      const result = normalise(value.trim())
      if (result) return result
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    })
    .nullable()
}

export const PhoneInputSchema = normalised(
  50,
  (value) => phoneToE164(value),
  'Enter a valid phone number; use the +country code for numbers outside Germany.',
)

export const LabelsSchema = z
  .array(z.string().trim().min(1).max(50))
  .max(100)
  .transform((labels) => [...new Set(labels)])

const text = (max: number) => z.string().trim().max(max).nullable()

export const ConsentInputSchema = z.strictObject({
  given: z.boolean(),
  at: TimestampSchema.optional(),
  method: z.string().trim().max(200).optional(),
})

const contactFields = {
  firstName: z.string().trim().max(100),
  lastName: z.string().trim().max(100),
  phone: PhoneInputSchema,
  company: text(200),
  jobTitle: text(200),
  language: normalised(
    40,
    languageTagOf,
    'Use a language code such as de or en-GB, or a name such as German.',
  ),
  timeZone: normalised(64, timeZoneOf, 'Use a time zone such as Europe/Berlin.'),
  address: text(1000),
  labels: LabelsSchema,
  customFields: CustomFieldsSchema,
  consent: ConsentInputSchema,
  trackingOptOut: z.boolean(),
}

export const CreateContactSchema = z.strictObject({
  email: ContactEmailInputSchema,
  ...contactFields,
  firstName: contactFields.firstName.optional(),
  lastName: contactFields.lastName.optional(),
  phone: contactFields.phone.optional(),
  company: contactFields.company.optional(),
  jobTitle: contactFields.jobTitle.optional(),
  language: contactFields.language.optional(),
  timeZone: contactFields.timeZone.optional(),
  address: contactFields.address.optional(),
  labels: contactFields.labels.default([]),
  customFields: contactFields.customFields.default({}),
  consent: contactFields.consent.optional(),
  trackingOptOut: contactFields.trackingOptOut.default(false),
  source: z.enum(contactSources).default('manual'),
  status: z.enum(['active', 'not_confirmed']).default('active'),
})

export const UpdateContactSchema = z.strictObject({
  email: ContactEmailInputSchema.optional(),
  firstName: contactFields.firstName.optional(),
  lastName: contactFields.lastName.optional(),
  phone: contactFields.phone.optional(),
  company: contactFields.company.optional(),
  jobTitle: contactFields.jobTitle.optional(),
  language: contactFields.language.optional(),
  timeZone: contactFields.timeZone.optional(),
  address: contactFields.address.optional(),
  labels: contactFields.labels.optional(),
  /** Merged into the existing fields; a `null` value removes that field. */
  customFields: contactFields.customFields.optional(),
  consent: contactFields.consent.optional(),
})

export const ContactSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    firstName: z.string(),
    lastName: z.string(),
    phone: z.string().nullable(),
    company: z.string().nullable(),
    jobTitle: z.string().nullable(),
    language: z.string().nullable(),
    timeZone: z.string().nullable(),
    address: z.string().nullable(),
    labels: z.array(z.string()),
    customFields: z.record(z.string(), z.unknown()),
    source: z.enum(contactSources),
    status: ContactStatusSchema,
    consent: z.object({ given: z.boolean(), at: z.string().nullable(), method: z.string().nullable() }),
    trackingOptOutAt: z.string().nullable(),
    accountId: z.uuid().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
    deletedReason: z.string().nullable(),
  })
  .meta({ id: 'Contact' })

export const ContactPageSchema = pageSchema(ContactSchema)

/** One status or several, comma-separated. */
const StatusListSchema = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()))
  .pipe(z.array(ContactStatusSchema))
  .optional()

export const ListContactsQuerySchema = ListQuerySchema.extend({
  status: StatusListSchema,
  label: z.string().trim().min(1).max(50).optional(),
  accountId: z.uuid().optional(),
})

/** How many contacts have each status: the live ones, or with `deleted=true` the deleted ones. */
export const StatusCountsQuerySchema = z.strictObject({
  deleted: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
})
export const StatusCountsSchema = z
  .array(z.object({ status: ContactStatusSchema, count: z.number().int() }))
  .meta({ id: 'StatusCounts' })
export type StatusCounts = z.infer<typeof StatusCountsSchema>

/** Deleted contacts, as the Deleted list shows them: by status too (the deleted spam reports). */
export const DeletedContactsQuerySchema = DeletedListQuerySchema.extend({ status: StatusListSchema })

/** One-click actions: what each does is decided by the API's status rules. */
export const contactActions = [
  'blacklist',
  'unsubscribe',
  'remove-spam-report',
  'opt-out',
  'reactivate',
] as const
export const ContactActionParamsSchema = z.object({ id: z.uuid(), action: z.enum(contactActions) })
export const ContactActionSchema = z.strictObject({ reason: z.string().trim().max(500).default('') })

export const StatusChangeSchema = z
  .object({
    from: ContactStatusSchema.nullable(),
    to: ContactStatusSchema,
    reason: z.string(),
    /** Null for Signet itself (an import, a sync, a bounce). */
    actorId: z.uuid().nullable(),
    /** The user's name, or email when it has none; null for Signet or a user since removed. */
    actorName: z.string().nullable(),
    at: z.string(),
  })
  .meta({ id: 'StatusChange' })

export type Contact = z.infer<typeof ContactSchema>
export type CreateContact = z.infer<typeof CreateContactSchema>
export type UpdateContact = z.infer<typeof UpdateContactSchema>
export type ListContactsQuery = z.infer<typeof ListContactsQuerySchema>
export type ContactAction = (typeof contactActions)[number]

export const duplicateChannels = ['email', 'phone'] as const
export const ListDuplicatesQuerySchema = z.object({
  channel: z.enum(duplicateChannels).default('email'),
  limit: pageLimit(200, 50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(500).optional(),
})
export const DuplicateGroupSchema = z.object({
  channel: z.enum(duplicateChannels),
  /** The canonical email or the E.164 phone number the members share. */
  key: z.string(),
  count: z.number().int(),
  members: z.array(ContactSchema),
})
export const DuplicatesPageSchema = z.object({
  /** How many groups of duplicates each channel has. */
  counts: z.object({ email: z.number().int(), phone: z.number().int() }),
  groups: z.array(DuplicateGroupSchema),
  nextCursor: z.string().nullable(),
})
export const MergeContactsSchema = z.strictObject({
  contactIds: z.array(z.uuid()).min(2).max(50),
  /** Which record survives: the one created first or the one created last. */
  keep: z.enum(['earlier', 'later']),
})
export type MergeContacts = z.infer<typeof MergeContactsSchema>
/** "Remove duplicates": every group of a channel merged, keeping the earlier or later record of each. */
export const MergeAllDuplicatesSchema = z.strictObject({
  channel: z.enum(duplicateChannels),
  keep: z.enum(['earlier', 'later']),
})
export const MergedAllSchema = z.object({
  /** Groups merged. */
  groups: z.number().int(),
  /** Contacts merged into another, now in Deleted with reason "merged into …". */
  contacts: z.number().int(),
})
