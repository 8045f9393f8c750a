import { accountDomain } from './domains.ts'
import { CustomFieldsSchema, DeletedListQuerySchema, ListQuerySchema, pageSchema } from './lists.ts'
import { z } from './zod.ts'

/** A domain, URL or address as typed; becomes the registrable domain, free-mail refused. */
export const AccountDomainInputSchema = z
  .string()
  .max(2000)
  .transform((value, ctx) => {
    const result = accountDomain(value)
    if (result.ok) return result.domain
    ctx.addIssue({ code: 'custom', message: result.message })
    return z.NEVER
  })

const text = (max: number) => z.string().trim().max(max)

const accountFields = {
  name: text(200),
  size: text(100).nullable(),
  industry: text(200).nullable(),
  contactPerson: text(200).nullable(),
  website: text(2000).nullable(),
  notes: text(10_000).nullable(),
  customFields: CustomFieldsSchema,
}

export const DomainSchema = z.object({ domain: z.string(), domainDisplay: z.string() })

export const AccountSchema = z
  .object({
    id: z.uuid(),
    domain: z.string(),
    domainDisplay: z.string(),
    name: z.string(),
    size: z.string().nullable(),
    industry: z.string().nullable(),
    contactPerson: z.string().nullable(),
    website: z.string().nullable(),
    notes: z.string().nullable(),
    customFields: z.record(z.string(), z.unknown()),
    aliases: z.array(DomainSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
    deletedReason: z.string().nullable(),
  })
  .meta({ id: 'Account' })

export const CreateAccountSchema = z.strictObject({
  domain: AccountDomainInputSchema,
  name: accountFields.name.default(''),
  size: accountFields.size.default(null),
  industry: accountFields.industry.default(null),
  contactPerson: accountFields.contactPerson.default(null),
  website: accountFields.website.default(null),
  notes: accountFields.notes.default(null),
  customFields: accountFields.customFields.default({}),
  /** Other domains of the same company. */
  aliases: z.array(AccountDomainInputSchema).max(100).default([]),
})

export const UpdateAccountSchema = z.strictObject({
  domain: AccountDomainInputSchema.optional(),
  name: accountFields.name.optional(),
  size: accountFields.size.optional(),
  industry: accountFields.industry.optional(),
  contactPerson: accountFields.contactPerson.optional(),
  website: accountFields.website.optional(),
  notes: accountFields.notes.optional(),
  /** Merged into the existing fields; a `null` value removes that field. */
  customFields: accountFields.customFields.optional(),
})

export const AddAliasSchema = z.strictObject({ domain: AccountDomainInputSchema })
export const AliasParamsSchema = z.object({ id: z.uuid(), domain: z.string().max(2000) })

export const ListAccountsQuerySchema = ListQuerySchema
export const AccountPageSchema = pageSchema(AccountSchema)
export { DeletedListQuerySchema }

export type Account = z.infer<typeof AccountSchema>
export type CreateAccount = z.infer<typeof CreateAccountSchema>
export type UpdateAccount = z.infer<typeof UpdateAccountSchema>
