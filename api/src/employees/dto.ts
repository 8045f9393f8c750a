import type { EmployeeProfile } from '@signet/shared'
import type { ProfileRow } from './queries.ts'

export function toEmployeeProfile(row: ProfileRow): EmployeeProfile {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    firstName: row.first_name,
    lastName: row.last_name,
    jobTitle: row.job_title,
    phone: row.phone,
    mobile: row.mobile,
    photoUrl: row.photo_url,
    customFields: row.custom_fields as unknown as Record<string, string>,
    departmentId: row.department_id,
    department: row.department_name,
    signatureTemplateId: row.signature_template_id,
    updatedAt: row.updated_at.toISOString(),
  }
}
