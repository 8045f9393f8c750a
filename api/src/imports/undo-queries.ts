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

/**
 * Puts back what the import changed, newest change kind first: memberships, then updated and
 * restored contacts from their before-image, then contacts it created are removed.
 */
export async function undoContactChanges(db: Db, workspaceId: WorkspaceId, importId: ImportId) {
  await sql`
    delete from target_group_contact m using import_change ch
    where ch.import_id = ${importId} and ch.entity = 'membership' and ch.action = 'joined'
      and m.group_id = (ch.before->>'group_id')::uuid and m.contact_id = ch.entity_id`.execute(db)
  await sql`
    insert into target_group_contact (group_id, contact_id, added_at)
    select (ch.before->>'group_id')::uuid, ch.entity_id, (ch.before->>'added_at')::timestamptz
    from import_change ch join contact c on c.id = ch.entity_id
    where ch.import_id = ${importId} and ch.entity = 'membership' and ch.action = 'left'
    on conflict do nothing`.execute(db)
  await sql`
    update contact c set
      first_name = b.before->>'first_name', last_name = b.before->>'last_name', phone = b.before->>'phone',
      company = b.before->>'company', job_title = b.before->>'job_title', language = b.before->>'language',
      time_zone = b.before->>'time_zone', address = b.before->>'address',
      labels = array(select jsonb_array_elements_text(b.before->'labels')),
      custom_fields = b.before->'custom_fields',
      deleted_at = (b.before->>'deleted_at')::timestamptz, deleted_reason = b.before->>'deleted_reason',
      updated_at = (b.before->>'updated_at')::timestamptz
    from import_change b
    where b.import_id = ${importId} and b.entity = 'contact' and b.action in ('updated', 'restored')
      and c.id = b.entity_id and c.workspace_id = ${workspaceId}`.execute(db)
  await sql`
    delete from contact c using import_change ch
    where ch.import_id = ${importId} and ch.entity = 'contact' and ch.action = 'created'
      and c.id = ch.entity_id and c.workspace_id = ${workspaceId}`.execute(db)
}

/** Marks the import as being applied, unless another request already does; returns false then. */
export async function claimImportForApply(db: Db, workspaceId: WorkspaceId, importId: ImportId) {
  const row = await db
    .updateTable('import_job')
    .set({ status: 'applying', updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', importId)
    .where('status', 'in', ['uploaded', 'checked', 'failed'])
    .returning('id')
    .executeTakeFirst()
  return row !== undefined
}
