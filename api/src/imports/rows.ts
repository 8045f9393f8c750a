import { CreateAccountSchema, CreateContactSchema, canonicalEmail, contactStatuses } from '@signet/shared'
import type { StageRow } from './stage-queries.ts'
import { consentCell, splitList, statusCell } from './values.ts'

/**
 * A row of the file, validated by the same schema as `POST /api/contacts` or `POST /api/accounts`.
 * `data` holds only the fields the file gives a value for: an empty cell leaves a field as it is.
 */
export type RowValues = Omit<StageRow, 'line'>

export type RowResult = { ok: true; values: RowValues } | { ok: false; field: string; reason: string }

function firstIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): RowResult {
  const issue = error.issues[0]!
  return { ok: false, field: issue.path.map(String).join('.') || 'row', reason: issue.message }
}

/**
 * An export (ours, or a spreadsheet's) guards a cell that starts like a formula with a leading
 * apostrophe; the value is what follows, so `'+4930…` imports as the phone number it was.
 */
function withoutFormulaGuard(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell
}

/** Cells → the field object the schema expects, per the mapping (`custom.<key>` → customFields). */
export function mapCells(cells: string[], mapping: (string | null)[]): Record<string, unknown> {
  const input: Record<string, unknown> = {}
  const custom: Record<string, string> = {}
  for (const [i, field] of mapping.entries()) {
    if (!field) continue
    const cell = withoutFormulaGuard((cells[i] ?? '').trim())
    if (!cell) continue
    if (field.startsWith('custom.')) custom[field.slice(7)] = cell
    else if (field === 'labels') input.labels = splitList(cell)
    else if (field === 'consent' || field === 'trackingOptOut') input[field] = consentCell(cell)
    else if (field === 'status') input.status = statusCell(cell) ?? cell
    else input[field] = cell
  }
  if (Object.keys(custom).length) input.customFields = custom
  // How consent was given belongs to the consent; alone, it says nothing.
  const method = input.consentMethod
  delete input.consentMethod
  const consent = input.consent as { given: boolean } | string | undefined
  if (method && typeof consent === 'object' && consent.given) input.consent = { ...consent, method }
  return input
}

const contactData = [
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
  'consent',
]

const statuses = new Set<string>(contactStatuses)

export function validateContactRow(cells: string[], mapping: (string | null)[]): RowResult {
  const input = mapCells(cells, mapping)
  if (input.email === undefined) return { ok: false, field: 'email', reason: 'The email address is missing.' }
  const consent = input.consent as string | { at?: string } | undefined
  if (typeof consent === 'string')
    return { ok: false, field: 'consent', reason: 'Write yes or no, or the day consent was given.' }
  // A day is taken at noon UTC: today's may still be hours ahead, a later day is refused.
  if (consent?.at && Date.parse(consent.at) > Date.now() + 86_400_000)
    return { ok: false, field: 'consent', reason: 'Consent cannot be given in the future.' }
  // Status and opt-out follow the import's own rules (`contactMerged`), not a new contact's.
  const { status, trackingOptOut, ...fields } = input
  if (typeof status === 'string' && !statuses.has(status))
    return {
      ok: false,
      field: 'status',
      reason: 'Write active, not confirmed, unsubscribed, hard bounce, spam report or blacklisted.',
    }
  if (typeof trackingOptOut === 'string')
    return { ok: false, field: 'trackingOptOut', reason: 'Write yes or no, or the day it was asked for.' }
  const parsed = CreateContactSchema.safeParse(fields)
  if (!parsed.success) return firstIssue(parsed.error)
  const value = parsed.data
  const data: Record<string, unknown> = {}
  for (const key of contactData) {
    if (input[key] !== undefined) data[key] = value[key as keyof typeof value]
  }
  if (status) data.status = status
  // A "yes" (or the day) opts out; a "no" is kept as `false`, which lifts one only when asked.
  const optOut = trackingOptOut as { given: boolean; at?: string } | undefined
  if (optOut) data.trackingOptOut = optOut.given ? (optOut.at ? { at: optOut.at } : {}) : false
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
      key: value.email.email,
      rawKey: /<([^<>]+)>/.exec(rawEmail)?.[1]?.trim() ?? rawEmail,
      extra: canonicalEmail(value.email.email),
      domain: value.email.domain,
      data,
    },
  }
}

const accountData = ['name', 'size', 'industry', 'contactPerson', 'website', 'notes', 'customFields']

export function validateAccountRow(cells: string[], mapping: (string | null)[]): RowResult {
  const input = mapCells(cells, mapping)
  if (input.domain === undefined) return { ok: false, field: 'domain', reason: 'The domain is missing.' }
  const parsed = CreateAccountSchema.safeParse(input)
  if (!parsed.success) return firstIssue(parsed.error)
  const data: Record<string, unknown> = {}
  for (const key of accountData) {
    if (input[key] !== undefined) data[key] = parsed.data[key as keyof typeof parsed.data]
  }
  const domain = parsed.data.domain
  return { ok: true, values: { key: domain, rawKey: String(input.domain), extra: '', domain, data } }
}

export type ImportKindName = 'accounts' | 'contacts'

/**
 * A valid row as the staging table takes it: one JSON text `[line, key, rawKey, extra, domain,
 * data]`. A row waits for its batch's insert, long enough for V8 to move it to the old generation,
 * where everything it holds stays until the next full collection: one flat string per row instead
 * of an object, its strings and the schema's output (about 1 KB) keeps an import's heap small.
 */
export function stagedRow(line: number, values: RowValues): string {
  return JSON.stringify([line, values.key, values.rawKey, values.extra, values.domain, values.data])
}

/** A chunk of records checked: the valid rows to stage (`stagedRow`) and the invalid ones, in file order. */
export interface CheckedChunk {
  rows: string[]
  invalid: { line: number; field: string; reason: string }[]
}

/** Validates a chunk of records (`line` + `cells`) with the kind's schema. */
export function checkChunk(
  kind: ImportKindName,
  records: { line: number; cells: string[] }[],
  mapping: (string | null)[],
): CheckedChunk {
  const validate = kind === 'accounts' ? validateAccountRow : validateContactRow
  const rows: string[] = []
  const invalid: CheckedChunk['invalid'] = []
  for (const record of records) {
    const row = validate(record.cells, mapping)
    if (row.ok) rows.push(stagedRow(record.line, row.values))
    else invalid.push({ line: record.line, field: row.field, reason: row.reason })
  }
  return { rows, invalid }
}
