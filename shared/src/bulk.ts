import { TimestampSchema } from './common.ts'
import { contactActions, ListContactsQuerySchema } from './contacts.ts'
import { ListQuerySchema } from './lists.ts'
import { z } from './zod.ts'

/**
 * Bulk actions on accounts and contacts: one request, one transaction. The rows are named either
 * by `ids` (at most BULK_MAX_IDS, every one a live record of the workspace, or the whole request
 * is refused with 404 naming the first unknown one) or by `matching` — the query of the list
 * (search, filters, smart-search `filter`, `segmentId`), for "every contact this filter matches".
 */
export const BULK_MAX_IDS = 1000
/** A `matching` selection larger than this is refused: narrow the filter, or run it in parts. */
export const BULK_MAX_MATCHING = 100_000

const ids = z
  .array(z.uuid())
  .min(1, 'Select at least one row.')
  .max(
    BULK_MAX_IDS,
    `Select at most ${BULK_MAX_IDS.toLocaleString('en')} rows, or act on every match of a filter.`,
  )

const listPart = { q: true, filter: true, segmentId: true } as const
export const MatchingAccountsSchema = ListQuerySchema.pick(listPart).strict()
export const MatchingContactsSchema = ListContactsQuerySchema.pick({
  ...listPart,
  status: true,
  label: true,
  accountId: true,
}).strict()

const reason = z.string().trim().max(500).default('')
const targetGroupId = z.uuid()
const label = z.string().trim().min(1).max(50)

/** Exactly one of `ids` and `matching`; the issue names `ids`. */
function oneSelection(value: { ids?: unknown; matching?: unknown }, ctx: z.RefinementCtx) {
  if ((value.ids === undefined) === (value.matching === undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['ids'],
      message:
        value.ids === undefined
          ? 'Give the ids of the selected rows, or `matching` to act on every match of a filter.'
          : 'Give either ids or `matching`, not both.',
    })
  }
}

const accountSelection = { ids: ids.optional(), matching: MatchingAccountsSchema.optional() }
export const BulkAccountsSchema = z
  .discriminatedUnion('action', [
    z.strictObject({
      action: z.enum(['add-to-group', 'remove-from-group']),
      targetGroupId,
      ...accountSelection,
    }),
    z.strictObject({ action: z.literal('delete'), reason, ...accountSelection }),
  ])
  .superRefine(oneSelection)

const contactSelection = { ids: ids.optional(), matching: MatchingContactsSchema.optional() }
export const BulkContactsSchema = z
  .discriminatedUnion('action', [
    z.strictObject({
      action: z.enum(['add-to-group', 'remove-from-group']),
      targetGroupId,
      ...contactSelection,
    }),
    z.strictObject({ action: z.literal('delete'), reason, ...contactSelection }),
    z.strictObject({ action: z.enum(['add-label', 'remove-label']), label, ...contactSelection }),
    // The one-click actions, by the same rules: a contact an action does not apply to stays as it is.
    z.strictObject({ action: z.enum(contactActions), reason, ...contactSelection }),
    // Consent gathered outside Signet (a form, a double opt-in mailing) recorded for many at once;
    // a contact whose consent is already recorded keeps its own date and method.
    z.strictObject({
      action: z.literal('record-consent'),
      method: z
        .string()
        .trim()
        .min(1, 'Say how the consent was given, for the record (a form, a double opt-in).')
        .max(200),
      at: TimestampSchema.refine((at) => Date.parse(at) <= Date.now() + 60_000, {
        message: 'Consent cannot be given in the future.',
      }).optional(),
      ...contactSelection,
    }),
    z.strictObject({ action: z.literal('withdraw-consent'), ...contactSelection }),
  ])
  .superRefine(oneSelection)

export const BulkResultSchema = z
  .object({
    /** The live rows the selection named. */
    matched: z.number().int(),
    /** The rows the action changed; the others already were that way, or the action does not apply to them. */
    changed: z.number().int(),
  })
  .meta({ id: 'BulkResult' })

export type BulkAccounts = z.infer<typeof BulkAccountsSchema>
export type BulkContacts = z.infer<typeof BulkContactsSchema>
export type BulkResult = z.infer<typeof BulkResultSchema>
