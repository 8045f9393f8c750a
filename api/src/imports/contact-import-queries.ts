import { contactStatuses, statusSeverity, suppressedStatuses } from '@signet/shared/contacts'
import { type RawBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, UserId, WorkspaceId } from '../db/schema.ts'
import { importIdPrefix } from './ids.ts'

/** How consent given in a file without a method column is recorded. */
const IMPORTED_CONSENT = 'Stated in an imported file'

/** How restrictive a status is (`statusSeverity`), in SQL. */
const severity = (status: RawBuilder<unknown>) =>
  sql`array_position(${[...contactStatuses].sort((a, b) => statusSeverity[a] - statusSeverity[b])}::text[], ${status})`

/**
 * What the file's values make of a matched contact; an empty cell keeps the stored value. Unless
 * the user asks to `lift` them, a file never lifts a suppression (a suppressed contact takes only
 * a more restrictive status) nor an opt-out (a "no" changes nothing).
 */
export const contactMerged = (lift: boolean) => ({
  status: lift
    ? sql`coalesce(s.data->>'status', x.status)`
    : sql`case when s.data->>'status' is null then x.status
    when x.status = any(${[...suppressedStatuses]}::text[])
      and ${severity(sql`s.data->>'status'`)} <= ${severity(sql`x.status`)} then x.status
    else s.data->>'status' end`,
  // A "yes" opts out, keeping an earlier opt-out's day; a "no" (`false`) lifts only when asked.
  tracking_opt_out_at: sql`case when jsonb_typeof(s.data->'trackingOptOut') = 'object'
      then coalesce(x.tracking_opt_out_at, (s.data->'trackingOptOut'->>'at')::timestamptz, now())
    when s.data->'trackingOptOut' = 'false'::jsonb and ${lift} then null
    else x.tracking_opt_out_at end`,
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
  // Consent: a "yes" records it where none is on record (a recorded one keeps its date and how);
  // a "no" withdraws it; no value keeps what is stored.
  consent_given_at: sql`case when s.data->'consent' is null then x.consent_given_at
    when (s.data->'consent'->>'given')::boolean
      then coalesce(x.consent_given_at, (s.data->'consent'->>'at')::timestamptz, now()) end`,
  consent_method: sql`case when s.data->'consent' is null then x.consent_method
    when (s.data->'consent'->>'given')::boolean then case when x.consent_given_at is null
      then coalesce(s.data->'consent'->>'method', ${IMPORTED_CONSENT}) else x.consent_method end end`,
})

/**
 * New contacts of the file (or CRM list), linked at once to the account of their domain (or of
 * an alias). They are inserted in key order with ids that grow in that order (`importIdPrefix`),
 * so the email indexes and every index ending in the id grow at their ends instead of at a random
 * page per row; the account is found by a hash join, not by two lookups per row.
 */
export async function insertNewContacts(
  db: Db,
  workspaceId: WorkspaceId,
  importId: ImportId,
  actorId: UserId,
) {
  const prefix = importIdPrefix()
  await sql`
    with new_rows as (
      select s.key, s.domain, s.data, row_number() over (order by s.key) as n
      from import_stage s
      where s.duplicate_of is null and s.target_id is null and s.deleted_id is null
    ), inserted as (
      insert into contact (id, workspace_id, email, domain, account_id, first_name, last_name, phone,
        company, job_title, language, time_zone, address, labels, custom_fields, source,
        consent_given_at, consent_method, status, tracking_opt_out_at)
      select (${prefix} || lpad(to_hex(r.n), 8, '0') || left(gen_random_uuid()::text, 7))::uuid,
        ${workspaceId}, r.key, r.domain, coalesce(a.id, al.account_id),
        coalesce(r.data->>'firstName', ''), coalesce(r.data->>'lastName', ''), r.data->>'phone',
        r.data->>'company', r.data->>'jobTitle', r.data->>'language', r.data->>'timeZone', r.data->>'address',
        case when r.data ? 'labels' then array(select jsonb_array_elements_text(r.data->'labels')) else '{}' end,
        coalesce(r.data->'customFields', '{}'::jsonb),
        -- a CRM synchronisation run creates contacts of source crm, a file import of source import
        (select case when source = 'file' then 'import' else 'crm' end from import_job where id = ${importId}),
        case when (r.data->'consent'->>'given')::boolean
          then coalesce((r.data->'consent'->>'at')::timestamptz, now()) end,
        case when (r.data->'consent'->>'given')::boolean
          then coalesce(r.data->'consent'->>'method', ${IMPORTED_CONSENT}) end,
        coalesce(r.data->>'status', 'active'),
        case when jsonb_typeof(r.data->'trackingOptOut') = 'object'
          then coalesce((r.data->'trackingOptOut'->>'at')::timestamptz, now()) end
      from new_rows r
      left join account a on a.workspace_id = ${workspaceId} and a.domain = r.domain and a.deleted_at is null
      left join account_alias al on al.workspace_id = ${workspaceId} and al.domain = r.domain
      order by r.n
      returning id, status
    ), created as (
      insert into import_created (id) select id from inserted
    ), history as (
      insert into contact_status_change (workspace_id, contact_id, from_status, to_status, reason, actor_id)
      select ${workspaceId}, i.id, null, i.status, 'Imported', ${actorId} from inserted i
    )
    insert into import_change (import_id, entity, entity_id, action)
    select ${importId}, 'contact', i.id, 'created' from inserted i`.execute(db)
}

/** A line in the status history of each contact whose status the import changed. */
export async function recordImportedStatuses(
  db: Db,
  workspaceId: WorkspaceId,
  importId: ImportId,
  actorId: UserId,
) {
  await sql`
    insert into contact_status_change (workspace_id, contact_id, from_status, to_status, reason, actor_id)
    select ${workspaceId}, x.id, ch.before->>'status', x.status, 'Imported', ${actorId}
    from import_change ch join contact x on x.id = ch.entity_id
    where ch.import_id = ${importId} and ch.entity = 'contact' and ch.action in ('updated', 'restored')
      and x.status <> ch.before->>'status'`.execute(db)
}
