import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, WorkspaceId } from '../db/schema.ts'
import { importIdPrefix } from './ids.ts'

/** What the file's values make of a matched account; an empty cell keeps the stored value. */
export const accountMerged = {
  name: sql`coalesce(s.data->>'name', x.name)`,
  size: sql`coalesce(s.data->>'size', x.size)`,
  industry: sql`coalesce(s.data->>'industry', x.industry)`,
  contact_person: sql`coalesce(s.data->>'contactPerson', x.contact_person)`,
  website: sql`coalesce(s.data->>'website', x.website)`,
  notes: sql`coalesce(s.data->>'notes', x.notes)`,
  custom_fields: sql`x.custom_fields || coalesce(s.data->'customFields', '{}'::jsonb)`,
}

/**
 * New accounts of the file, in key order with ids growing in that order (see `insertNewContacts`);
 * contacts of their domains that had no account now belong to them.
 */
export async function insertNewAccounts(db: Db, workspaceId: WorkspaceId, importId: ImportId) {
  const prefix = importIdPrefix()
  await sql`
    with new_rows as (
      select s.key, s.data, row_number() over (order by s.key) as n
      from import_stage s
      where s.duplicate_of is null and s.target_id is null and s.deleted_id is null
    ), inserted as (
      insert into account (id, workspace_id, domain, name, size, industry, contact_person, website, notes, custom_fields)
      select (${prefix} || lpad(to_hex(r.n), 8, '0') || left(gen_random_uuid()::text, 7))::uuid,
        ${workspaceId}, r.key, coalesce(r.data->>'name', ''), r.data->>'size', r.data->>'industry',
        r.data->>'contactPerson', r.data->>'website', r.data->>'notes', coalesce(r.data->'customFields', '{}'::jsonb)
      from new_rows r
      order by r.n
      returning id, domain
    ), created as (
      insert into import_created (id) select id from inserted
    ), linked as (
      update contact c set account_id = i.id from inserted i
      where c.workspace_id = ${workspaceId} and c.domain = i.domain and c.account_id is null
    )
    insert into import_change (import_id, entity, entity_id, action)
    select ${importId}, 'account', i.id, 'created' from inserted i`.execute(db)
}
