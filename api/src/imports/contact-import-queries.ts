import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, UserId, WorkspaceId } from '../db/schema.ts'
import type { ContactRowValues } from './rows.ts'

/**
 * The set-based half of a contact import. The file's valid rows go into a temporary staging
 * table in large batches; matching, change detection and every write are then single statements
 * over that table, so a million rows cost a handful of queries, all in the import's transaction.
 */

export async function createContactStage(db: Db) {
  await sql`
    create temp table import_stage (
      line int not null,
      email text not null,
      raw_email text not null,
      canonical text not null,
      domain text not null,
      data jsonb not null,
      contact_id uuid,
      deleted_id uuid,
      duplicate_of int,
      changed boolean not null default false,
      created boolean not null default false
    ) on commit drop`.execute(db)
}

export async function insertContactStageRows(db: Db, rows: (ContactRowValues & { line: number })[]) {
  if (!rows.length) return
  await sql`
    insert into import_stage (line, email, raw_email, canonical, domain, data)
    select * from unnest(
      ${rows.map((r) => r.line)}::int[], ${rows.map((r) => r.email)}::text[], ${rows.map((r) => r.rawEmail)}::text[],
      ${rows.map((r) => r.canonical)}::text[], ${rows.map((r) => r.domain)}::text[],
      ${rows.map((r) => JSON.stringify(r.data))}::jsonb[]
    )`.execute(db)
}

// The first row of an email wins; later rows of the same address are reported, not applied.
export async function markDuplicatesAndMatch(db: Db, workspaceId: WorkspaceId) {
  await sql`create index on import_stage (email)`.execute(db)
  await sql`
    update import_stage s set duplicate_of = f.first_line
    from (select email, min(line) as first_line from import_stage group by email having count(*) > 1) f
    where s.email = f.email and s.line <> f.first_line`.execute(db)
  await sql`
    update import_stage s set contact_id = c.id
    from contact c
    where c.workspace_id = ${workspaceId} and c.email = s.email and c.deleted_at is null and s.duplicate_of is null`.execute(
    db,
  )
  await sql`
    update import_stage s set deleted_id = (
      select c.id from contact c
      where c.workspace_id = ${workspaceId} and c.email = s.email and c.deleted_at is not null
      order by c.deleted_at desc limit 1)
    where s.contact_id is null and s.duplicate_of is null`.execute(db)
}

/** What the file's values would make of a matched contact; an empty cell keeps the stored value. */
const merged = {
  first_name: sql`coalesce(s.data->>'firstName', c.first_name)`,
  last_name: sql`coalesce(s.data->>'lastName', c.last_name)`,
  phone: sql`coalesce(s.data->>'phone', c.phone)`,
  company: sql`coalesce(s.data->>'company', c.company)`,
  job_title: sql`coalesce(s.data->>'jobTitle', c.job_title)`,
  language: sql`coalesce(s.data->>'language', c.language)`,
  time_zone: sql`coalesce(s.data->>'timeZone', c.time_zone)`,
  address: sql`coalesce(s.data->>'address', c.address)`,
  labels: sql`c.labels || array(select x from jsonb_array_elements_text(coalesce(s.data->'labels', '[]')) x where not x = any(c.labels))`,
  custom_fields: sql`c.custom_fields || coalesce(s.data->'customFields', '{}'::jsonb)`,
}
const mergedColumns = Object.keys(merged)

export async function markChanged(db: Db, workspaceId: WorkspaceId, withDeleted: boolean) {
  const target = withDeleted ? sql`coalesce(s.contact_id, s.deleted_id)` : sql`s.contact_id`
  await sql`
    update import_stage s set changed = (${sql.join(mergedColumns.map((col) => sql.ref(`c.${col}`)))})
      is distinct from (${sql.join(Object.values(merged))})
    from contact c
    where c.workspace_id = ${workspaceId} and c.id = ${target}`.execute(db)
}

export interface StageCounts {
  valid: number
  duplicates: number
  matched: number
  matched_changed: number
  deleted: number
  deleted_changed: number
  unmatched: number
}

export async function countStage(db: Db): Promise<StageCounts> {
  const { rows } = await sql<StageCounts>`
    select
      count(*)::int as valid,
      count(*) filter (where duplicate_of is not null)::int as duplicates,
      count(*) filter (where contact_id is not null)::int as matched,
      count(*) filter (where contact_id is not null and changed)::int as matched_changed,
      count(*) filter (where deleted_id is not null)::int as deleted,
      count(*) filter (where deleted_id is not null and changed)::int as deleted_changed,
      count(*) filter (where duplicate_of is null and contact_id is null and deleted_id is null)::int as unmatched
    from import_stage`.execute(db)
  return rows[0]!
}

export async function listDuplicates(db: Db, limit: number) {
  const { rows } = await sql<{ line: number; first_line: number; email: string; case_collision: boolean }>`
    select s.line, s.duplicate_of as first_line, s.raw_email as email, f.raw_email <> s.raw_email and lower(f.raw_email) = lower(s.raw_email) as case_collision
    from import_stage s join import_stage f on f.line = s.duplicate_of
    where s.duplicate_of is not null order by s.line limit ${limit}`.execute(db)
  return rows
}

export async function restoreDeletedMatches(db: Db, workspaceId: WorkspaceId, importId: ImportId) {
  await sql`
    insert into import_change (import_id, entity, entity_id, action, before)
    select ${importId}, 'contact', c.id, 'restored', to_jsonb(c)
    from contact c join import_stage s on s.deleted_id = c.id where c.workspace_id = ${workspaceId}`.execute(
    db,
  )
  await sql`
    update contact c set deleted_at = null, deleted_reason = null, updated_at = now()
    from import_stage s where s.deleted_id = c.id and c.workspace_id = ${workspaceId}`.execute(db)
  await sql`update import_stage set contact_id = deleted_id, deleted_id = null where deleted_id is not null`.execute(
    db,
  )
}

export async function insertNewContacts(
  db: Db,
  workspaceId: WorkspaceId,
  importId: ImportId,
  actorId: UserId,
) {
  // The account of the email's domain, or of an alias of it, links the contact at once.
  await sql`
    with inserted as (
      insert into contact (workspace_id, email, canonical_email, domain, account_id, first_name, last_name, phone,
        company, job_title, language, time_zone, address, labels, custom_fields, source)
      select ${workspaceId}, s.email, s.canonical, s.domain,
        coalesce(
          (select a.id from account a where a.workspace_id = ${workspaceId} and a.domain = s.domain and a.deleted_at is null limit 1),
          (select al.account_id from account_alias al where al.workspace_id = ${workspaceId} and al.domain = s.domain limit 1)),
        coalesce(s.data->>'firstName', ''), coalesce(s.data->>'lastName', ''), s.data->>'phone',
        s.data->>'company', s.data->>'jobTitle', s.data->>'language', s.data->>'timeZone', s.data->>'address',
        array(select jsonb_array_elements_text(coalesce(s.data->'labels', '[]'))),
        coalesce(s.data->'customFields', '{}'::jsonb), 'import'
      from import_stage s
      where s.duplicate_of is null and s.contact_id is null and s.deleted_id is null
      returning id, email
    ), staged as (
      update import_stage s set contact_id = i.id, created = true from inserted i where s.email = i.email and s.duplicate_of is null
    ), history as (
      insert into contact_status_change (workspace_id, contact_id, from_status, to_status, reason, actor_id)
      select ${workspaceId}, i.id, null, 'active', 'Imported', ${actorId} from inserted i
    )
    insert into import_change (import_id, entity, entity_id, action)
    select ${importId}, 'contact', i.id, 'created' from inserted i`.execute(db)
}

export async function updateChangedContacts(db: Db, workspaceId: WorkspaceId, importId: ImportId) {
  await sql`
    insert into import_change (import_id, entity, entity_id, action, before)
    select ${importId}, 'contact', c.id, 'updated', to_jsonb(c)
    from contact c join import_stage s on s.contact_id = c.id
    where c.workspace_id = ${workspaceId} and s.changed and not s.created`.execute(db)
  await sql`
    update contact c set ${sql.join(mergedColumns.map((col) => sql`${sql.ref(col)} = ${merged[col as keyof typeof merged]}`))},
      updated_at = now()
    from import_stage s
    where c.workspace_id = ${workspaceId} and s.contact_id = c.id and s.changed and not s.created`.execute(db)
}

/** Adds the file's contacts to the group; returns how many were not members before. */
export async function joinGroup(db: Db, groupId: string, importId: ImportId) {
  const { rows } = await sql<{ n: number }>`
    with joined as (
      insert into target_group_contact (group_id, contact_id)
      select distinct ${groupId}::uuid, s.contact_id from import_stage s where s.contact_id is not null
      on conflict do nothing
      returning contact_id
    ), logged as (
      insert into import_change (import_id, entity, entity_id, action, before)
      select ${importId}, 'membership', j.contact_id, 'joined', jsonb_build_object('group_id', ${groupId}::uuid) from joined j
    )
    select count(*)::int as n from joined`.execute(db)
  return rows[0]!.n
}

/** Synchronise: members not among the file's rows leave the group (they are not deleted). */
export async function leaveGroup(db: Db, groupId: string, importId: ImportId, apply: boolean) {
  const leaving = sql`
    select m.contact_id, m.added_at from target_group_contact m
    where m.group_id = ${groupId}
      and not exists (select 1 from import_stage s where s.contact_id = m.contact_id)`
  if (!apply) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from (${leaving}) l`.execute(db)
    return rows[0]!.n
  }
  const { rows } = await sql<{ n: number }>`
    with gone as (
      delete from target_group_contact m
      where m.group_id = ${groupId}
        and not exists (select 1 from import_stage s where s.contact_id = m.contact_id)
      returning m.contact_id, m.added_at
    ), logged as (
      insert into import_change (import_id, entity, entity_id, action, before)
      select ${importId}, 'membership', g.contact_id, 'left', jsonb_build_object('group_id', ${groupId}::uuid, 'added_at', g.added_at) from gone g
    )
    select count(*)::int as n from gone`.execute(db)
  return rows[0]!.n
}
