import { AccountDomainInputSchema } from './accounts.ts'
import { ContactEmailInputSchema } from './contacts.ts'
import { ListQuerySchema } from './lists.ts'
import { TargetKindSchema } from './segments.ts'
import { z } from './zod.ts'

export const TargetGroupSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: TargetKindSchema,
    /** Set for a dynamic group: its members are whatever this segment matches now. */
    segmentId: z.uuid().nullable(),
    memberCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'TargetGroup' })

const name = z.string().trim().min(1).max(200)

export const CreateTargetGroupSchema = z.strictObject({
  name,
  kind: TargetKindSchema,
  segmentId: z.uuid().nullable().default(null),
})
export const UpdateTargetGroupSchema = z.strictObject({
  name: name.optional(),
  segmentId: z.uuid().nullable().optional(),
})

/**
 * Members by id, or by domain (account groups) / email (contact groups); a domain or email with
 * no live account or contact yet creates one.
 */
export const ChangeMembersSchema = z.strictObject({
  ids: z.array(z.uuid()).max(10_000).default([]),
  domains: z.array(AccountDomainInputSchema).max(10_000).default([]),
  emails: z.array(ContactEmailInputSchema).max(10_000).default([]),
})
export const MembersChangedSchema = z.object({
  /** How many became (or stopped being) members. */
  changed: z.number().int(),
  /** Accounts or contacts created for unknown domains or emails. */
  created: z.number().int(),
  memberCount: z.number().int(),
})

export const ListMembersQuerySchema = ListQuerySchema

/** The groups, static or dynamic, that one account or one contact is a member of now. */
export const ListTargetGroupsQuerySchema = z.object({
  accountId: z.uuid().optional(),
  contactId: z.uuid().optional(),
})

export type TargetGroup = z.infer<typeof TargetGroupSchema>
export type ChangeMembers = z.infer<typeof ChangeMembersSchema>
