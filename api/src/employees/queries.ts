import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { DepartmentId, SignatureTemplateId, UserId, WorkspaceId } from '../db/schema.ts'

/** A profile's columns, from `app_user as u` joined with its `department as d`. */
export const profileColumns = [
  'u.id',
  'u.email',
  'u.role',
  'u.first_name',
  'u.last_name',
  'u.job_title',
  'u.phone',
  'u.mobile',
  'u.photo_url',
  'u.custom_fields',
  'u.department_id',
  'u.signature_template_id',
  'u.updated_at',
  'd.name as department_name',
  'd.signature_template_id as department_template_id',
] as const

function selectProfiles(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('department as d', 'd.id', 'u.department_id')
    .select(profileColumns)
    .where('u.workspace_id', '=', workspaceId)
}

export type ProfileRow = NonNullable<Awaited<ReturnType<typeof findEmployeeById>>>

export function findEmployeeById(db: Db, workspaceId: WorkspaceId, id: string) {
  return selectProfiles(db, workspaceId)
    .where('u.id', '=', id as UserId)
    .executeTakeFirst()
}

export function listEmployees(
  db: Db,
  workspaceId: WorkspaceId,
  filter: { departmentId?: string; q?: string },
) {
  let query = selectProfiles(db, workspaceId)
  if (filter.departmentId) query = query.where('u.department_id', '=', filter.departmentId as DepartmentId)
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`
    query = query.where((eb) =>
      eb.or([
        eb('u.email', 'ilike', like),
        eb('u.first_name', 'ilike', like),
        eb('u.last_name', 'ilike', like),
        eb('u.job_title', 'ilike', like),
      ]),
    )
  }
  return query.orderBy('u.email').limit(1000).execute()
}

export interface ProfileChanges {
  firstName?: string
  lastName?: string
  jobTitle?: string
  phone?: string
  mobile?: string
  photoUrl?: string
  customFields?: Record<string, string>
  departmentId?: string | null
  signatureTemplateId?: string | null
}

export function updateEmployeeProfile(db: Db, workspaceId: WorkspaceId, id: UserId, changes: ProfileChanges) {
  return db
    .updateTable('app_user')
    .set({
      first_name: changes.firstName,
      last_name: changes.lastName,
      job_title: changes.jobTitle,
      phone: changes.phone,
      mobile: changes.mobile,
      photo_url: changes.photoUrl,
      custom_fields:
        changes.customFields === undefined ? undefined : (JSON.stringify(changes.customFields) as never),
      department_id: changes.departmentId as DepartmentId | null | undefined,
      signature_template_id: changes.signatureTemplateId as SignatureTemplateId | null | undefined,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}
