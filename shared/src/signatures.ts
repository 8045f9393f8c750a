import { z } from './zod.ts'

/** The placeholders a signature template may use; `{{custom.<name>}}` reads a custom field. */
export const signaturePlaceholders = [
  'firstName',
  'lastName',
  'jobTitle',
  'department',
  'phone',
  'mobile',
  'email',
  'photoUrl',
  'banner',
] as const

export const SignatureTemplateSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    /** Sanitised HTML as stored. */
    html: z.string(),
    isDefault: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SignatureTemplate' })

const html = z.string().max(100_000, 'Keep the template under 100,000 characters.')

/** `{{ name }}` as the renderer reads it. */
const PLACEHOLDER = /\{\{\s*([A-Za-z]+(?:\.[A-Za-z0-9_]+)?)\s*\}\}/g
const known = new Set<string>(signaturePlaceholders)

/** A template to save: a misspelt placeholder (`{{fristName}}`) would render as nothing, unnoticed. */
const templateHtml = html.superRefine((value, ctx) => {
  for (const [, key] of value.matchAll(PLACEHOLDER)) {
    if (known.has(key!) || key!.startsWith('custom.')) continue
    ctx.addIssue({
      code: 'custom',
      message: `{{${key}}} is not a placeholder: use ${signaturePlaceholders.map((p) => `{{${p}}}`).join(', ')} or {{custom.<name>}}.`,
    })
    return
  }
})

export const CreateSignatureTemplateSchema = z.strictObject({
  name: z.string().trim().min(1, 'Give the template a name.').max(100),
  html: templateHtml,
  isDefault: z.boolean().default(false),
})

export const UpdateSignatureTemplateSchema = CreateSignatureTemplateSchema.partial().strict()

/** Preview stored or unsaved HTML as a given employee would get it (the caller by default). */
export const PreviewSignatureSchema = z
  .object({
    templateId: z.uuid().optional(),
    html: html.optional(),
    employeeId: z.uuid().optional(),
  })
  .strict()

export const PreviewSignatureResultSchema = z.object({
  html: z.string(),
  templateId: z.uuid().nullable(),
})

export type SignatureTemplate = z.infer<typeof SignatureTemplateSchema>
