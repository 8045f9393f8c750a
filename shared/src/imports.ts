import { z } from './zod.ts'

export const importKinds = ['accounts', 'contacts'] as const
export const importModes = ['add', 'update', 'add_update', 'synchronise'] as const

export const ImportKindSchema = z.enum(importKinds)
export const ImportModeSchema = z.enum(importModes)

export const UploadImportQuerySchema = z.object({
  kind: ImportKindSchema,
  /** Import into (or, with mode synchronise, mirror) this target group. */
  targetGroupId: z.uuid().optional(),
  fileName: z.string().trim().min(1).max(255).optional(),
})

export const ImportSchema = z
  .object({
    id: z.uuid(),
    kind: ImportKindSchema,
    targetGroupId: z.uuid().nullable(),
    fileName: z.string(),
    byteSize: z.number(),
    dialect: z.object({
      encoding: z.enum(['utf-8', 'utf-8-bom', 'windows-1252']),
      delimiter: z.enum([',', ';', '\t', '|']),
      header: z.boolean(),
    }),
    headers: z.array(z.string()),
    /** For each column: the field it feeds, `custom.<key>` for a custom field, or null to skip. */
    mapping: z.array(z.string().nullable()),
    mode: ImportModeSchema,
    status: z.enum(['uploaded', 'checked', 'applying', 'applied', 'failed', 'undone']),
    /** The first rows of the file, as cells, for the preview. */
    preview: z.array(z.array(z.string())),
    createdAt: z.string(),
  })
  .meta({ id: 'Import' })

export type Import = z.infer<typeof ImportSchema>
