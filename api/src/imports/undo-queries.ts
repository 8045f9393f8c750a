import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, UserId, WorkspaceId } from '../db/schema.ts'

/**
 * Whether an import applied after this one exists: an import applied before `written_at` was kept
 * can be undone only while it is the newest.
 */
export async function hasLaterAppliedImport(
  db: Db,
  workspaceId: WorkspaceId,
  importId: ImportId,
  appliedAt: Date,
) {
  const row = await db
    .selectFrom('import_job')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('status', '=', 'applied')
    .where('id', '!=', importId)
    .where('applied_at', '>', appliedAt)
    .executeTakeFirst()
  return row !== undefined
}

const membershipOf = sql`coalesce(ch.before->>'kind', 'contacts')`

const writtenAt = (importId: ImportId) =>
  sql`(select j.written_at from import_job j where j.id = ${importId})`

/**
 * Whether a row (or membership) still is as the import wrote it: its time is the import's write
 * time. Imports applied before that time was kept (null) are undone as they always were.
 */
const asWritten = (importId: ImportId, column: string) =>
  sql`coalesce(${sql.ref(column)} = ${writtenAt(importId)}, true)`

const entities = {
  contact: { table: 'contact', key: 'email', membership: 'target_group_contact', member: 'contact_id' },
  account: { table: 'account', key: 'domain', membership: 'target_group_account', member: 'account_id' },
} as const

/**
 * A row the import wrote (`x`, logged in `ch`) that was changed since: edited, its status
 * changed, deleted or restored — or, for a row it created, added to a group since.
 */
const changedSince = (importId: ImportId, entity: keyof typeof entities) => {
  const e = entities[entity]
  return sql`(not ${asWritten(importId, 'x.updated_at')} or ch.action = 'created' and exists (
    select 1 from ${sql.table(e.membership)} m
    where ${sql.ref(`m.${e.member}`)} = x.id and m.added_at > ${writtenAt(importId)}))`
}

/** The contacts and accounts the import wrote that were changed since, by email or domain. */
export async function findChangedSince(db: Db, workspaceId: WorkspaceId, importId: ImportId) {
  const selects = (['contact', 'account'] as const).map(
    (entity) => sql`
      select ${sql.ref(`x.${entities[entity].key}`)} as key
      from import_change ch join ${sql.table(entities[entity].table)} x on x.id = ch.entity_id
      where ch.import_id = ${importId} and ch.entity = ${entity} and ch.action in ('created', 'updated', 'restored')
        and x.workspace_id = ${workspaceId} and ${changedSince(importId, entity)}`,
  )
  const { rows } = await sql<{ key: string }>`${sql.join(selects, sql` union all `)} order by 1`.execute(db)
  return rows.map((r) => r.key)
}

/**
 * Puts back what the import changed: memberships first, then updated and restored rows from
 * their before-image, then the rows it created are removed. What was changed since the import
 * (a contact edited, blacklisted or deleted; a membership removed and added again) is left as
 * it is now: an undo never takes back a later change.
 */
export async function undoImportChanges(
  db: Db,
  workspaceId: WorkspaceId,
  importId: ImportId,
  actorId: UserId,
) {
  for (const [kind, table, member] of [
    ['contacts', 'target_group_contact', 'contact_id'],
    ['accounts', 'target_group_account', 'account_id'],
  ] as const) {
    await sql`
      delete from ${sql.table(table)} m using import_change ch
      where ch.import_id = ${importId} and ch.entity = 'membership' and ch.action = 'joined' and ${membershipOf} = ${kind}
        and m.group_id = (ch.before->>'group_id')::uuid and ${sql.ref(`m.${member}`)} = ch.entity_id
        and ${asWritten(importId, 'm.added_at')}`.execute(db)
    await sql`
      insert into ${sql.table(table)} (group_id, ${sql.ref(member)}, added_at)
      select (ch.before->>'group_id')::uuid, ch.entity_id, (ch.before->>'added_at')::timestamptz
      from import_change ch
      where ch.import_id = ${importId} and ch.entity = 'membership' and ch.action = 'left' and ${membershipOf} = ${kind}
      on conflict do nothing`.execute(db)
  }
  await sql`
    insert into contact_status_change (workspace_id, contact_id, from_status, to_status, reason, actor_id)
    select ${workspaceId}, c.id, c.status, ch.before->>'status', 'Import undone', ${actorId}
    from import_change ch join contact c on c.id = ch.entity_id
    where ch.import_id = ${importId} and ch.entity = 'contact' and ch.action in ('updated', 'restored')
      and c.workspace_id = ${workspaceId} and ${asWritten(importId, 'c.updated_at')}
      and c.status <> ch.before->>'status'`.execute(db)
  await sql`
    update contact c set
      status = ch.before->>'status', tracking_opt_out_at = (ch.before->>'tracking_opt_out_at')::timestamptz,
      first_name = ch.before->>'first_name', last_name = ch.before->>'last_name', phone = ch.before->>'phone',
      company = ch.before->>'company', job_title = ch.before->>'job_title', language = ch.before->>'language',
      time_zone = ch.before->>'time_zone', address = ch.before->>'address',
      labels = array(select jsonb_array_elements_text(ch.before->'labels')),
      custom_fields = ch.before->'custom_fields',
      consent_given_at = (ch.before->>'consent_given_at')::timestamptz, consent_method = ch.before->>'consent_method',
      deleted_at = (ch.before->>'deleted_at')::timestamptz, deleted_reason = ch.before->>'deleted_reason',
      updated_at = (ch.before->>'updated_at')::timestamptz
    from import_change ch
    where ch.import_id = ${importId} and ch.entity = 'contact' and ch.action in ('updated', 'restored')
      and c.id = ch.entity_id and c.workspace_id = ${workspaceId} and ${asWritten(importId, 'c.updated_at')}`.execute(
    db,
  )
  await sql`
    update account a set
      name = ch.before->>'name', size = ch.before->>'size', industry = ch.before->>'industry',
      contact_person = ch.before->>'contact_person', website = ch.before->>'website', notes = ch.before->>'notes',
      custom_fields = ch.before->'custom_fields',
      deleted_at = (ch.before->>'deleted_at')::timestamptz, deleted_reason = ch.before->>'deleted_reason',
      updated_at = (ch.before->>'updated_at')::timestamptz
    from import_change ch
    where ch.import_id = ${importId} and ch.entity = 'account' and ch.action in ('updated', 'restored')
      and a.id = ch.entity_id and a.workspace_id = ${workspaceId} and ${asWritten(importId, 'a.updated_at')}`.execute(
    db,
  )
  for (const entity of ['contact', 'account'] as const) {
    await sql`
      delete from ${sql.table(entities[entity].table)} x using import_change ch
      where ch.import_id = ${importId} and ch.entity = ${entity} and ch.action = 'created'
        and x.id = ch.entity_id and x.workspace_id = ${workspaceId} and not ${changedSince(importId, entity)}`.execute(
      db,
    )
  }
}
