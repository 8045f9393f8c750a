import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { SignatureTemplateId, WorkspaceId } from '../db/schema.ts'

export function listSignatureTemplates(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('signature_template')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('is_default', 'desc')
    .orderBy('name')
    .execute()
}

export function findSignatureTemplateById(db: Db, workspaceId: WorkspaceId, id: string) {
  return db
    .selectFrom('signature_template')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as SignatureTemplateId)
    .executeTakeFirst()
}

/**
 * The template an employee's signature uses: their own, else their department's, else the
 * workspace default. One query, so resolve does not pay three round trips.
 */
export function findEffectiveTemplate(
  db: Db,
  workspaceId: WorkspaceId,
  ids: { employeeTemplateId: string | null; departmentTemplateId: string | null },
) {
  return db
    .selectFrom('signature_template')
    .select(['id', 'html'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => {
      const own = [ids.employeeTemplateId, ids.departmentTemplateId].filter((id) => id !== null)
      const isDefault = eb('is_default', '=', true)
      return own.length ? eb.or([eb('id', 'in', own as SignatureTemplateId[]), isDefault]) : isDefault
    })
    .orderBy(
      sql`case when id::text = ${ids.employeeTemplateId ?? ''} then 0 when id::text = ${ids.departmentTemplateId ?? ''} then 1 else 2 end`,
    )
    .limit(1)
    .executeTakeFirst()
}

/** Clears the current default so another template can take its place. */
export function clearDefaultTemplate(db: Db, workspaceId: WorkspaceId) {
  return db
    .updateTable('signature_template')
    .set({ is_default: false, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('is_default', '=', true)
    .execute()
}

export function insertSignatureTemplate(
  db: Db,
  workspaceId: WorkspaceId,
  values: { name: string; html: string; isDefault: boolean },
) {
  return db
    .insertInto('signature_template')
    .values({ workspace_id: workspaceId, name: values.name, html: values.html, is_default: values.isDefault })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function updateSignatureTemplate(
  db: Db,
  workspaceId: WorkspaceId,
  id: SignatureTemplateId,
  changes: { name?: string; html?: string; isDefault?: boolean },
) {
  return db
    .updateTable('signature_template')
    .set({ name: changes.name, html: changes.html, is_default: changes.isDefault, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
}

export function deleteSignatureTemplate(db: Db, workspaceId: WorkspaceId, id: SignatureTemplateId) {
  return db
    .deleteFrom('signature_template')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}
