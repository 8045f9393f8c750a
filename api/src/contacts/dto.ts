import type { Contact } from '@signet/shared'
import type { ContactRow } from '../db/schema.ts'

export function toContact(row: ContactRow): Contact {
  return {
    id: row.id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    phone: row.phone,
    company: row.company,
    jobTitle: row.job_title,
    language: row.language,
    timeZone: row.time_zone,
    address: row.address,
    labels: row.labels,
    customFields: row.custom_fields,
    source: row.source,
    status: row.status,
    consent: {
      given: row.consent_given_at !== null,
      at: row.consent_given_at?.toISOString() ?? null,
      method: row.consent_method,
    },
    trackingOptOutAt: row.tracking_opt_out_at?.toISOString() ?? null,
    accountId: row.account_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deletedAt: row.deleted_at?.toISOString() ?? null,
    deletedReason: row.deleted_reason,
  }
}
