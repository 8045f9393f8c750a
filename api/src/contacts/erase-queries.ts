import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { ContactId, WorkspaceId } from '../db/schema.ts'

/**
 * Erase: the row goes with its history and memberships (cascades); deliveries keep only the
 * anonymous id. Its address goes from everywhere else it was kept too: the before-images imports
 * recorded for their undo, the email leads (the deliveries sent before it was a contact, and
 * their lead row), and the duplicate rows an import reported. Run in the caller's transaction.
 */
export async function eraseContact(db: Db, workspaceId: WorkspaceId, id: ContactId, email: string) {
  await sql`delete from import_change ch using import_job j
    where j.id = ch.import_id and j.workspace_id = ${workspaceId}
      and ch.entity_id = ${id} and ch.entity in ('contact', 'membership')`.execute(db)
  await sql`update delivery set lead_emails = array_remove(lead_emails, ${email})
    where workspace_id = ${workspaceId} and lead_emails @> array[${email}]::text[]`.execute(db)
  await sql`delete from stats_lead
    where workspace_id = ${workspaceId} and kind = 'email' and value = ${email}`.execute(db)
  // A duplicate's key is the address as the file wrote it.
  await sql`update import_job set report = jsonb_set(report, '{duplicateRows}', (
      select coalesce(jsonb_agg(d order by n), '[]'::jsonb)
      from jsonb_array_elements(report->'duplicateRows') with ordinality as r(d, n)
      where lower(d->>'key') <> ${email}))
    where workspace_id = ${workspaceId} and kind = 'contacts' and exists (
      select 1 from jsonb_array_elements(report->'duplicateRows') d where lower(d->>'key') = ${email})`.execute(
    db,
  )
  await db.deleteFrom('contact').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}
