import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import type { ProfileRow } from '../employees/queries.ts'
import { findEffectiveTemplate } from './queries.ts'
import { FALLBACK_TEMPLATE, renderSignature, type SignatureValues } from './render.ts'

export function signatureValues(row: ProfileRow): SignatureValues {
  return {
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    department: row.department_name ?? '',
    phone: row.phone,
    mobile: row.mobile,
    email: row.email,
    photoUrl: row.photo_url,
    custom: row.custom_fields,
  }
}

/** The employee's signature with the given banner block: own template, department's, default, built-in. */
export async function renderEmployeeSignature(
  db: Db,
  workspaceId: WorkspaceId,
  row: ProfileRow,
  bannerHtml: string,
) {
  const template = await findEffectiveTemplate(db, workspaceId, {
    employeeTemplateId: row.signature_template_id,
    departmentTemplateId: row.department_template_id,
  })
  return {
    templateId: template?.id ?? null,
    html: renderSignature(template?.html ?? FALLBACK_TEMPLATE, signatureValues(row), bannerHtml),
  }
}
