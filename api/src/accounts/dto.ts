import { type Account, displayDomain } from '@signet/shared'
import type { AccountRow } from '../db/schema.ts'

export function toAccount(row: AccountRow, aliases: string[]): Account {
  return {
    id: row.id,
    domain: row.domain,
    domainDisplay: displayDomain(row.domain),
    name: row.name,
    size: row.size,
    industry: row.industry,
    contactPerson: row.contact_person,
    website: row.website,
    notes: row.notes,
    customFields: row.custom_fields,
    aliases: aliases.map((domain) => ({ domain, domainDisplay: displayDomain(domain) })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deletedAt: row.deleted_at?.toISOString() ?? null,
    deletedReason: row.deleted_reason,
  }
}
