import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ImportId, WorkspaceId } from '../db/schema.ts'

/** Whether an import applied after this one exists: only the newest applied import can be undone. */
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

/**
 * Puts back what the import changed: memberships first, then updated and restored rows from
 * their before-image, then the rows it created are removed.
 */
export async function undoImportChanges(db: Db, workspaceId: WorkspaceId, importId: ImportId) {
  for (const [kind, table, member] of [
    ['contacts', 'target_group_contact', 'contact_id'],
    ['accounts', 'target_group_account', 'account_id'],
  ] as const) {
    await sql`
      delete from ${sql.table(table)} m using import_change ch
      where ch.import_id = ${importId} and ch.entity = 'membership' and ch.action = 'joined' and ${membershipOf} = ${kind}
        and m.group_id = (ch.before->>'group_id')::uuid and ${sql.ref(`m.${member}`)} = ch.entity_id`.execute(
      db,
    )
    await sql`
      insert into ${sql.table(table)} (group_id, ${sql.ref(member)}, added_at)
      select (ch.before->>'group_id')::uuid, ch.entity_id, (ch.before->>'added_at')::timestamptz
      from import_change ch
      where ch.import_id = ${importId} and ch.entity = 'membership' and ch.action = 'left' and ${membershipOf} = ${kind}
      on conflict do nothing`.execute(db)
  }
  await sql`
    update contact c set
      first_name = b.before->>'first_name', last_name = b.before->>'last_name', phone = b.before->>'phone',
      company = b.before->>'company', job_title = b.before->>'job_title', language = b.before->>'language',
      time_zone = b.before->>'time_zone', address = b.before->>'address',
      labels = array(select jsonb_array_elements_text(b.before->'labels')),
      custom_fields = b.before->'custom_fields',
      consent_given_at = (b.before->>'consent_given_at')::timestamptz, consent_method = b.before->>'consent_method',
      deleted_at = (b.before->>'deleted_at')::timestamptz, deleted_reason = b.before->>'deleted_reason',
      updated_at = (b.before->>'updated_at')::timestamptz
    from import_change b
    where b.import_id = ${importId} and b.entity = 'contact' and b.action in ('updated', 'restored')
      and c.id = b.entity_id and c.workspace_id = ${workspaceId}`.execute(db)
  await sql`
    update account a set
      name = b.before->>'name', size = b.before->>'size', industry = b.before->>'industry',
      contact_person = b.before->>'contact_person', website = b.before->>'website', notes = b.before->>'notes',
      custom_fields = b.before->'custom_fields',
      deleted_at = (b.before->>'deleted_at')::timestamptz, deleted_reason = b.before->>'deleted_reason',
      updated_at = (b.before->>'updated_at')::timestamptz
    from import_change b
    where b.import_id = ${importId} and b.entity = 'account' and b.action in ('updated', 'restored')
      and a.id = b.entity_id and a.workspace_id = ${workspaceId}`.execute(db)
  for (const [entity, table] of [
    ['contact', 'contact'],
    ['account', 'account'],
  ] as const) {
    await sql`
      delete from ${sql.table(table)} x using import_change ch
      where ch.import_id = ${importId} and ch.entity = ${entity} and ch.action = 'created'
        and x.id = ch.entity_id and x.workspace_id = ${workspaceId}`.execute(db)
  }
}
