import { CreateContactSchema, canonicalEmail } from '@signet/shared'
import { splitList } from './values.ts'

/** A contact row of the file, validated by the same schema as `POST /api/contacts`. */
export interface ContactRowValues {
  email: string
  rawEmail: string
  canonical: string
  domain: string
  /** Only the fields the file gives a value for; an empty cell leaves a field as it is. */
  data: Record<string, unknown>
}

export type RowResult<T> = { ok: true; values: T } | { ok: false; field: string; reason: string }

/** Cells → the field object the schema expects, per the mapping (`custom.<key>` → customFields). */
export function mapCells(cells: string[], mapping: (string | null)[]): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  const custom: Record<string, string> = {}
  for (const [i, field] of mapping.entries()) {
    if (!field) continue
    const cell = (cells[i] ?? '').trim()
    if (!cell) continue
    if (field.startsWith('custom.')) custom[field.slice(7)] = cell
    else if (field === 'labels') input.labels = splitList(cell)
    else input[field] = cell
  }
  if (Object.keys(custom).length) input.customFields = custom
  return input
}

const fieldsOfData = [
  'firstName',
  'lastName',
  'phone',
  'company',
  'jobTitle',
  'language',
  'timeZone',
  'address',
  'labels',
  'customFields',
]

export function validateContactRow(cells: string[], mapping: (string | null)[]): RowResult<ContactRowValues> {
  const input = mapCells(cells, mapping)
  if (input.email === undefined) return { ok: false, field: 'email', reason: 'The email address is missing.' }
  const parsed = CreateContactSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return { ok: false, field: issue.path.map(String).join('.') || 'row', reason: issue.message }
  }
  const value = parsed.data
  const data: Record<string, unknown> = {}
  for (const key of fieldsOfData) {
    if (input[key] !== undefined) data[key] = value[key as keyof typeof value]
  }
  // `Max Mustermann <max@x.de>` gives the name when no name column does.
  if (value.email.name && data.firstName === undefined && data.lastName === undefined) {
    const parts = value.email.name.split(/\s+/)
    data.firstName = parts.length > 1 ? parts.slice(0, -1).join(' ') : parts[0]
    if (parts.length > 1) data.lastName = parts.at(-1)
  }
  const rawEmail = String(input.email)
  return {
    ok: true,
    values: {
      email: value.email.email,
      rawEmail: /<([^<>]+)>/.exec(rawEmail)?.[1]?.trim() ?? rawEmail,
      canonical: canonicalEmail(value.email.email),
      domain: value.email.domain,
      data,
    },
  }
}
