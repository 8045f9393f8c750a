import { DeletedContactsQuerySchema, duplicateChannels, ListContactsQuerySchema } from './contacts.ts'
import { DeletedListQuerySchema, ListQuerySchema } from './lists.ts'
import { z } from './zod.ts'

/**
 * Exports take the same query as the list they export — search, filters, an unsaved or saved
 * segment, the sort order — without the paging: every match is written, in the list's order.
 */
const noPaging = { limit: true, cursor: true } as const

export const ExportAccountsQuerySchema = ListQuerySchema.omit(noPaging)
export const ExportContactsQuerySchema = ListContactsQuerySchema.omit(noPaging)
export const ExportDeletedQuerySchema = DeletedListQuerySchema.omit(noPaging)
export const ExportDeletedContactsQuerySchema = DeletedContactsQuerySchema.omit(noPaging)
export const ExportMembersQuerySchema = ListQuerySchema.omit(noPaging)
export const ExportDuplicatesQuerySchema = z.object({ channel: z.enum(duplicateChannels).default('email') })

export type ExportAccountsQuery = z.infer<typeof ExportAccountsQuerySchema>
export type ExportContactsQuery = z.infer<typeof ExportContactsQuerySchema>
export type ExportDeletedQuery = z.infer<typeof ExportDeletedQuerySchema>
