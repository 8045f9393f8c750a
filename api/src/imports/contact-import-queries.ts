import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, UserId, WorkspaceId } from '../db/schema.ts'

/** What the file's values make of a matched contact; an empty cell keeps the stored value. */
export const contactMerged = {
  first_name: sql`coalesce(s.data->>'firstName', x.first_name)`,
  last_name: sql`coalesce(s.data->>'lastName', x.last_name)`,
  phone: sql`coalesce(s.data->>'phone', x.phone)`,
  company: sql`coalesce(s.data->>'company', x.company)`,
  job_title: sql`coalesce(s.data->>'jobTitle', x.job_title)`,
  language: sql`coalesce(s.data->>'language', x.language)`,
  time_zone: sql`coalesce(s.data->>'timeZone', x.time_zone)`,
  address: sql`coalesce(s.data->>'address', x.address)`,
  labels: sql`x.labels || array(select l from jsonb_array_elements_text(coalesce(s.data->'labels', '[]')) l where not l = any(x.labels))`,
  custom_fields: sql`x.custom_fields || coalesce(s.data->'customFields', '{}'::jsonb)`,
}

/** New contacts of the file (or CRM list), linked at once to the account of their domain (or of an alias). */
export async function insertNewContacts(
  db: Db,
  workspaceId: WorkspaceId,
  importId: ImportId,
  actorId: UserId,
) {
  await sql`
    with inserted as (
      insert into contact (workspace_id, email, domain, account_id, first_name, last_name, phone,
        company, job_title, language, time_zone, address, labels, custom_fields, source)
      select ${workspaceId}, s.key, s.domain,
        coalesce(
          (select a.id from account a where a.workspace_id = ${workspaceId} and a.domain = s.domain and a.deleted_at is null limit 1),
          (select al.account_id from account_alias al where al.workspace_id = ${workspaceId} and al.domain = s.domain limit 1)),
        coalesce(s.data->>'firstName', ''), coalesce(s.data->>'lastName', ''), s.data->>'phone',
        s.data->>'company', s.data->>'jobTitle', s.data->>'language', s.data->>'timeZone', s.data->>'address',
        array(select jsonb_array_elements_text(coalesce(s.data->'labels', '[]'))),
        coalesce(s.data->'customFields', '{}'::jsonb), j.contact_source
      from import_stage s
      -- a CRM synchronisation run creates contacts of source crm, a file import of source import
      cross join (select case when source = 'file' then 'import' else 'crm' end as contact_source
        from import_job where id = ${importId}) j
      where s.duplicate_of is null and s.target_id is null and s.deleted_id is null
      -- In key order, the email indexes grow at their ends instead of at random pages.
      order by s.key
      returning id, email
    ), staged as (
      update import_stage s set target_id = i.id, created = true from inserted i where s.key = i.email and s.duplicate_of is null
    ), history as (
      insert into contact_status_change (workspace_id, contact_id, from_status, to_status, reason, actor_id)
      select ${workspaceId}, i.id, null, 'active', 'Imported', ${actorId} from inserted i
    )
    insert into import_change (import_id, entity, entity_id, action)
    select ${importId}, 'contact', i.id, 'created' from inserted i`.execute(db)
}
