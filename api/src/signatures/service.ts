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

/** The template that applies to an employee: own, department's, workspace default (or none). */
export function findTemplateFor(db: Db, workspaceId: WorkspaceId, row: ProfileRow) {
  return findEffectiveTemplate(db, workspaceId, {
    employeeTemplateId: row.signature_template_id,
    departmentTemplateId: row.department_template_id,
  })
}

// Rendering sanitises, which costs milliseconds; the same template and profile render the same.
const BANNER_SLOT = '\u0001signet-banner-slot\u0001'
const rendered = new Map<string, string[]>()
const MAX_RENDERED = 5_000
/** By the profile row itself (rows are read, never changed): skips building the key above. */
const renderedFor = new WeakMap<ProfileRow, { templateHtml: string; parts: string[] }>()

/** Renders with a cache keyed by template and profile values; the banner goes in afterwards. */
export function renderCached(templateHtml: string, row: ProfileRow, bannerHtml: string): string {
  const own = renderedFor.get(row)
  if (own?.templateHtml === templateHtml) return own.parts.join(bannerHtml)
  const key = JSON.stringify([templateHtml, signatureValues(row)])
  let parts = rendered.get(key)
  if (parts === undefined) {
    parts = renderSignature(templateHtml, signatureValues(row), BANNER_SLOT).split(BANNER_SLOT)
    if (rendered.size >= MAX_RENDERED) rendered.delete(rendered.keys().next().value!)
    rendered.set(key, parts)
  }
  renderedFor.set(row, { templateHtml, parts })
  return parts.join(bannerHtml)
}

/** The employee's signature with the given banner block: own template, department's, default, built-in. */
export async function renderEmployeeSignature(
  db: Db,
  workspaceId: WorkspaceId,
  row: ProfileRow,
  bannerHtml: string,
) {
  const template = await findTemplateFor(db, workspaceId, row)
  return {
    templateId: template?.id ?? null,
    html: renderCached(template?.html ?? FALLBACK_TEMPLATE, row, bannerHtml),
  }
}
