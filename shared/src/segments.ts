import { ContactStatusSchema } from './contacts.ts'
import { z } from './zod.ts'

/**
 * The segment filter language: a JSON tree of AND/OR groups over conditions. The API compiles it
 * to parameterised SQL; field names come from the allow-lists below, never from free text.
 */
export const contactFilterFields = [
  'email',
  'domain',
  'firstName',
  'lastName',
  'phone',
  'company',
  'jobTitle',
  'language',
  'timeZone',
  'address',
  'source',
  'createdAt',
  'updatedAt',
  'consentGivenAt',
  'trackingOptOutAt',
] as const
export const accountFilterFields = [
  'domain',
  'name',
  'size',
  'industry',
  'contactPerson',
  'website',
  'notes',
  'createdAt',
  'updatedAt',
] as const

export const filterOperators = [
  'equals',
  'not_equals',
  'contains',
  'starts_with',
  'is_empty',
  'is_not_empty',
  'greater_than',
  'less_than',
  'before',
  'after',
] as const

const value = z.union([z.string().max(1000), z.number()]).optional()
const operator = z.enum(filterOperators)
const customKey = z.string().trim().min(1).max(100)

export const FieldConditionSchema = z.strictObject({
  type: z.literal('field'),
  field: z.enum([...new Set([...contactFilterFields, ...accountFilterFields])] as [string, ...string[]]),
  op: operator,
  value,
})
export const CustomFieldConditionSchema = z.strictObject({
  type: z.literal('custom_field'),
  key: customKey,
  op: operator,
  value,
})
/** Contacts only: a condition on the contact's account. */
export const AccountFieldConditionSchema = z.strictObject({
  type: z.literal('account_field'),
  field: z.enum(accountFilterFields),
  op: operator,
  value,
})
export const AccountCustomFieldConditionSchema = z.strictObject({
  type: z.literal('account_custom_field'),
  key: customKey,
  op: operator,
  value,
})
export const LabelsConditionSchema = z.strictObject({
  type: z.literal('labels'),
  op: z.enum(['any', 'all', 'none']),
  values: z.array(z.string().trim().min(1).max(50)).min(1).max(100),
})
export const StatusConditionSchema = z.strictObject({
  type: z.literal('status'),
  values: z.array(ContactStatusSchema).min(1),
})
export const TargetGroupConditionSchema = z.strictObject({
  type: z.literal('target_group'),
  op: z.enum(['in', 'not_in']),
  groupId: z.uuid(),
})
/** Viewed or clicked a campaign (or any) within N days: human events, through the deliveries. */
export const ActivityConditionSchema = z.strictObject({
  type: z.literal('activity'),
  action: z.enum(['viewed', 'clicked']),
  campaignId: z.uuid().nullable().default(null),
  withinDays: z.number().int().min(1).max(3650),
})

export const ConditionSchema = z.discriminatedUnion('type', [
  FieldConditionSchema,
  CustomFieldConditionSchema,
  AccountFieldConditionSchema,
  AccountCustomFieldConditionSchema,
  LabelsConditionSchema,
  StatusConditionSchema,
  TargetGroupConditionSchema,
  ActivityConditionSchema,
])
export type Condition = z.infer<typeof ConditionSchema>

export interface FilterGroup {
  type: 'group'
  combinator: 'and' | 'or'
  conditions: Array<Condition | FilterGroup>
}

export const FilterGroupSchema: z.ZodType<FilterGroup> = z.lazy(() =>
  z.strictObject({
    type: z.literal('group'),
    combinator: z.enum(['and', 'or']),
    conditions: z.array(z.union([FilterGroupSchema, ConditionSchema])).max(100),
  }),
)

export const targetKinds = ['account', 'contact'] as const
export const TargetKindSchema = z.enum(targetKinds)
export type TargetKind = z.infer<typeof TargetKindSchema>

export const SegmentSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    kind: TargetKindSchema,
    filter: FilterGroupSchema,
    /** How many live accounts or contacts match now. */
    count: z.number().int(),
    /** The count is the database's estimate: counting exactly took too long. */
    countIsEstimate: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Segment' })

export const CreateSegmentSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: TargetKindSchema,
  filter: FilterGroupSchema,
})
export const UpdateSegmentSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  filter: FilterGroupSchema.optional(),
})
export const CountSegmentSchema = z.strictObject({ kind: TargetKindSchema, filter: FilterGroupSchema })
export const SegmentCountSchema = z.object({ count: z.number().int(), countIsEstimate: z.boolean() })

export type Segment = z.infer<typeof SegmentSchema>
