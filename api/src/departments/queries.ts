import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { DepartmentId, SignatureTemplateId, WorkspaceId } from '../db/schema.ts'

function selectDepartments(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('department')
    .selectAll('department')
    .select(
      sql<number>`(select count(*)::int from app_user u where u.department_id = department.id)`.as(
        'employee_count',
      ),
    )
    .where('department.workspace_id', '=', workspaceId)
}

export function listDepartments(db: Db, workspaceId: WorkspaceId) {
  return selectDepartments(db, workspaceId).orderBy('name').execute()
}

export function findDepartmentById(db: Db, workspaceId: WorkspaceId, id: string) {
  return selectDepartments(db, workspaceId)
    .where('department.id', '=', id as DepartmentId)
    .executeTakeFirst()
}

export function findDepartmentByName(db: Db, workspaceId: WorkspaceId, name: string) {
  return db
    .selectFrom('department')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('name', '=', name)
    .executeTakeFirst()
}

export function insertDepartment(
  db: Db,
  workspaceId: WorkspaceId,
  values: { name: string; signatureTemplateId: string | null },
) {
  return db
    .insertInto('department')
    .values({
      workspace_id: workspaceId,
      name: values.name,
      signature_template_id: values.signatureTemplateId as SignatureTemplateId | null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function updateDepartment(
  db: Db,
  workspaceId: WorkspaceId,
  id: DepartmentId,
  changes: { name?: string; signatureTemplateId?: string | null },
) {
  return db
    .updateTable('department')
    .set({
      name: changes.name,
      signature_template_id: changes.signatureTemplateId as SignatureTemplateId | null | undefined,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

export function deleteDepartment(db: Db, workspaceId: WorkspaceId, id: DepartmentId) {
  return db.deleteFrom('department').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}
