import type { AccountRow, ContactRow } from '../db/schema.ts'

/**
 * The columns of an export. Headers are the API's field names, which the import's mapping
 * recognises, so an exported file imports back as it is; custom fields follow as
 * `custom.<name>` columns, which the import maps back to the same custom field.
 */
export interface Columns<R> {
  header: string[]
  cells: (row: R) => unknown[]
}

const iso = (d: Date | null) => d?.toISOString() ?? null

function customValue(value: unknown) {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value
}

function customCells(fields: Record<string, unknown>, keys: string[]) {
  return keys.map((k) => customValue(fields[k]))
}

export function contactColumns(customKeys: string[], deleted = false): Columns<ContactRow> {
  return {
    header: [
      'id',
      'email',
      'firstName',
      'lastName',
      'phone',
      'company',
      'jobTitle',
      'language',
      'timeZone',
      'address',
      'labels',
      'status',
      'consentGivenAt',
      'consentMethod',
      'trackingOptOutAt',
      'source',
      'domain',
      'accountId',
      'createdAt',
      'updatedAt',
      ...(deleted ? ['deletedAt', 'deletedReason'] : []),
      ...customKeys.map((k) => `custom.${k}`),
    ],
    cells: (r) => [
      r.id,
      r.email,
      r.first_name,
      r.last_name,
      r.phone,
      r.company,
      r.job_title,
      r.language,
      r.time_zone,
      r.address,
      r.labels,
      r.status,
      iso(r.consent_given_at),
      r.consent_method,
      iso(r.tracking_opt_out_at),
      r.source,
      r.domain,
      r.account_id,
      iso(r.created_at),
      iso(r.updated_at),
      ...(deleted ? [iso(r.deleted_at), r.deleted_reason] : []),
      ...customCells(r.custom_fields as Record<string, unknown>, customKeys),
    ],
  }
}

export function accountColumns(
  customKeys: string[],
  deleted = false,
): Columns<AccountRow & { aliases: string[] }> {
  return {
    header: [
      'id',
      'domain',
      'name',
      'size',
      'industry',
      'contactPerson',
      'website',
      'notes',
      'aliases',
      'createdAt',
      'updatedAt',
      ...(deleted ? ['deletedAt', 'deletedReason'] : []),
      ...customKeys.map((k) => `custom.${k}`),
    ],
    cells: (r) => [
      r.id,
      r.domain,
      r.name,
      r.size,
      r.industry,
      r.contact_person,
      r.website,
      r.notes,
      r.aliases,
      iso(r.created_at),
      iso(r.updated_at),
      ...(deleted ? [iso(r.deleted_at), r.deleted_reason] : []),
      ...customCells(r.custom_fields as Record<string, unknown>, customKeys),
    ],
  }
}
