import { z } from './zod.ts'

/** Sorting and keyset paging shared by every account and contact list. */
/**
 * A page size from the query string, in plain decimal digits only: `z.coerce.number()` would
 * read `0x10` as 16, `1e2` as 100 and ` 5` as 5. Too small or too large keeps zod's sentence.
 */
export function pageLimit(max: number, fallback: number) {
  const message = 'Use a whole number written in plain digits, such as 50.'
  return z.preprocess(
    (value) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value),
    z
      .number({ error: (issue) => (issue.code === 'invalid_type' ? message : undefined) })
      .min(1)
      .max(max)
      .int()
      .default(fallback),
  )
}

export const sortKeys = ['created', 'updated', 'name'] as const
export const SortSchema = z.enum(sortKeys)

export const ListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  sort: SortSchema.default('created'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: pageLimit(200, 50),
  /** The `nextCursor` of the previous page; opaque. */
  cursor: z.string().max(1000).optional(),
  /** An unsaved segment filter tree, as JSON ("smart search"). */
  filter: z.string().max(20_000).optional(),
  /** Only the matches of this saved segment. */
  segmentId: z.uuid().optional(),
})

export const DeletedListQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  sort: z.enum(['created', 'deleted']).default('deleted'),
  order: z.enum(['asc', 'desc']).default('desc'),
  limit: pageLimit(200, 50),
  cursor: z.string().max(1000).optional(),
})

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    /** The total is the database's estimate: counting this many rows exactly took too long. */
    totalIsEstimate: z.boolean(),
    nextCursor: z.string().nullable(),
  })
}

export const DeleteQuerySchema = z.object({ reason: z.string().trim().max(500).default('') })

/** Custom fields: any number of named values. */
export const CustomFieldsSchema = z.record(
  z.string().trim().min(1).max(100),
  z.union([z.string().max(5000), z.number(), z.boolean(), z.null()]),
)

export type ListQuery = z.infer<typeof ListQuerySchema>
export type DeletedListQuery = z.infer<typeof DeletedListQuerySchema>
