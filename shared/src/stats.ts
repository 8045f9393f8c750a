import { pageLimit } from './lists.ts'
import { isTimeZone } from './locales.ts'
import { z } from './zod.ts'

/** Statistics, leads, contact activity and the performance feed. */

export const statsScopes = [
  'workspace',
  'campaign',
  'variant',
  'account',
  'contact',
  'employee',
  'target_group',
] as const
export const statsPresets = [
  'today',
  'yesterday',
  'last_7_days',
  'last_30_days',
  'last_90_days',
  'this_month',
  'last_month',
  'this_year',
  'last_12_months',
  'custom',
] as const
export const statsBreakdowns = ['accounts', 'contacts', 'campaigns', 'variants', 'employees'] as const

export type StatsScope = (typeof statsScopes)[number]
export type StatsPreset = (typeof statsPresets)[number]
export type StatsBreakdownBy = (typeof statsBreakdowns)[number]

/**
 * Statistics start with the Unix epoch and end before the year 3000: outside, JavaScript reads
 * years 0–99 as 1900–1999 and PostgreSQL cannot offset the year 10000 into a time zone.
 */
const DateSchema = z.iso
  .date({ error: 'Use a date like 2026-01-31.' })
  .refine((day) => day >= '1970-01-01' && day <= '2999-12-31', 'Choose a date from 1970-01-01 to 2999-12-31.')
const FormatSchema = z.enum(['json', 'csv']).default('json')

const rangeShape = {
  scope: z.enum(statsScopes).default('workspace'),
  /** The campaign, variant, account, contact, employee or target group; not for the workspace. */
  id: z.uuid().optional(),
  preset: z.enum(statsPresets).default('last_30_days'),
  /** First and last day of a custom range, inclusive, in `tz`. */
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  tz: z.string().max(64).default('UTC').refine(isTimeZone, 'Use an IANA time zone such as Europe/Berlin.'),
}

type RangeInput = { scope: StatsScope; id?: string; preset: StatsPreset; from?: string; to?: string }

function checkRange(value: RangeInput, ctx: z.core.$RefinementCtx) {
  if (value.scope !== 'workspace' && !value.id)
    ctx.addIssue({ code: 'custom', path: ['id'], message: `Name the ${value.scope.replace('_', ' ')}.` })
  if (value.scope === 'workspace' && value.id)
    ctx.addIssue({ code: 'custom', path: ['id'], message: 'The workspace scope takes no id.' })
  if (value.preset === 'custom') {
    if (!value.from) ctx.addIssue({ code: 'custom', path: ['from'], message: 'Give the first day.' })
    else if (!value.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'Give the last day.' })
    else if (value.to < value.from)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last day is before the first.' })
    else if (Date.parse(value.to) - Date.parse(value.from) > 3 * 366 * 86_400_000)
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'Choose a range of at most three years.' })
  } else if (value.from || value.to) {
    ctx.addIssue({
      code: 'custom',
      path: [value.from ? 'from' : 'to'],
      message: 'Dates go with the custom preset.',
    })
  }
}

export const StatsQuerySchema = z.object({ ...rangeShape, format: FormatSchema }).superRefine(checkRange)

export const StatsBreakdownQuerySchema = z
  .object({
    ...rangeShape,
    by: z.enum(statsBreakdowns),
    limit: pageLimit(10_000, 10),
    format: FormatSchema,
  })
  .superRefine(checkRange)

export type StatsQuery = z.infer<typeof StatsQuerySchema>
export type StatsBreakdownQuery = z.infer<typeof StatsBreakdownQuerySchema>

const HumanRaw = z.object({ human: z.number(), raw: z.number() })
const Rate = z.object({ human: z.number().nullable(), raw: z.number().nullable() })

export const StatsCountsSchema = z.object({
  sent: z.number().int(),
  views: HumanRaw,
  clicks: HumanRaw,
  /** Clicks per banner sent; null when nothing was sent. */
  clickRate: Rate,
  /** Clicks per view, a secondary figure (image loads are a lower bound). */
  viewClickRate: Rate,
})

const Uniques = z.object({ reached: z.number().int(), clicked: HumanRaw }).nullable()

export const StatsRangeSchema = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  interval: z.enum(['hour', 'day']),
})

export const StatsSchema = z
  .object({
    scope: z.enum(statsScopes),
    id: z.string().nullable(),
    range: StatsRangeSchema,
    totals: StatsCountsSchema.extend({ accounts: Uniques, contacts: Uniques }),
    series: z.array(StatsCountsSchema.extend({ at: z.string() })),
  })
  .meta({ id: 'Statistics' })

export const StatsBreakdownSchema = z
  .object({
    by: z.enum(statsBreakdowns),
    range: StatsRangeSchema,
    rows: z.array(StatsCountsSchema.extend({ id: z.string(), name: z.string() })),
  })
  .meta({ id: 'StatisticsBreakdown' })

export const LastClicksQuerySchema = z.object({
  scope: z.enum(['account', 'contact']),
  id: z.uuid(),
  limit: pageLimit(100, 10),
})

export const EventClassSchema = z.enum(['human', 'machine', 'all'])

export const StatsEventsQuerySchema = z
  .object({
    ...rangeShape,
    classification: EventClassSchema.default('machine'),
    kind: z.enum(['view', 'click', 'sent']).optional(),
    limit: pageLimit(200, 50),
    cursor: z.string().max(200).optional(),
    format: FormatSchema,
  })
  .superRefine(checkRange)

export const StatsEventSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['view', 'click', 'sent']),
    occurredAt: z.string(),
    human: z.boolean(),
    machineReason: z.string().nullable(),
    /** The sentence for `machineReason`, or for the classifier's reason a marketer overruled. */
    reasonText: z.string().nullable(),
    originalReason: z.string().nullable(),
    reclassifiedAt: z.string().nullable(),
    campaign: z.object({ id: z.string(), name: z.string() }),
    employee: z.object({ id: z.string(), name: z.string() }).nullable(),
    userAgent: z.string().nullable(),
    proxy: z.string().nullable(),
  })
  .meta({ id: 'StatisticsEvent' })

export const StatsEventPageSchema = z.object({
  items: z.array(StatsEventSchema),
  nextCursor: z.string().nullable(),
})

export const ReclassifySchema = z.strictObject({ human: z.boolean() })
export const EventIdParamsSchema = z.object({
  id: z.string().regex(/^[1-9]\d{0,17}$/, 'An event id is a positive whole number.'),
})

export const LastClickSchema = z.object({
  at: z.string(),
  campaign: z.object({ id: z.string(), name: z.string() }),
  employee: z.object({ id: z.string(), name: z.string() }).nullable(),
  human: z.boolean(),
})

export type StatsCounts = z.infer<typeof StatsCountsSchema>
export type Stats = z.infer<typeof StatsSchema>
export type StatsBreakdown = z.infer<typeof StatsBreakdownSchema>
export type StatsEvent = z.infer<typeof StatsEventSchema>
export type LastClick = z.infer<typeof LastClickSchema>
