import {
  CreateSignatureTemplateSchema,
  IdParamsSchema,
  PreviewSignatureResultSchema,
  PreviewSignatureSchema,
  type SignatureTemplate,
  SignatureTemplateSchema,
  UpdateSignatureTemplateSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import type { Selectable } from 'kysely'
import type { Db } from '../db/index.ts'
import type { SignatureTemplateTable, WorkspaceId } from '../db/schema.ts'
import { findEmployeeById } from '../employees/queries.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import {
  clearDefaultTemplate,
  deleteSignatureTemplate,
  findSignatureTemplateById,
  insertSignatureTemplate,
  listSignatureTemplates,
  updateSignatureTemplate,
} from './queries.ts'
import { renderSignature } from './render.ts'
import { sanitizeSignatureHtml } from './sanitize.ts'
import { renderEmployeeSignature, signatureValues } from './service.ts'

export const signatures = new Hono<AppEnv>()

/** What `{{banner}}` shows in a preview: a grey box where the campaign banner goes. */
const PREVIEW_BANNER =
  '<div style="width:600px;max-width:100%;height:100px;background-color:#e5e7eb;color:#6b7280;text-align:center;line-height:100px">Campaign banner</div>'

function toTemplate(row: Selectable<SignatureTemplateTable>): SignatureTemplate {
  return {
    id: row.id,
    name: row.name,
    html: row.html,
    isDefault: row.is_default,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

async function getTemplateOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const row = await findSignatureTemplateById(db, workspaceId, id)
  if (!row) throw notFound('Signature template')
  return row
}

signatures.get(
  '/',
  describe({
    summary: 'List signature templates',
    tags: ['signatures'],
    response: z.array(SignatureTemplateSchema),
  }),
  requireRole('marketer'),
  async (c) => c.json((await listSignatureTemplates(c.var.db, c.var.auth.workspaceId)).map(toTemplate)),
)

signatures.post(
  '/',
  describe({
    summary: 'Create a signature template',
    description:
      'The HTML is sanitised against an allow-list before it is stored; the answer shows what was kept.',
    tags: ['signatures'],
    response: SignatureTemplateSchema,
  }),
  requireRole('marketer'),
  valid('json', CreateSignatureTemplateSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    const row = await db.transaction().execute(async (trx) => {
      if (input.isDefault) await clearDefaultTemplate(trx, auth.workspaceId)
      return insertSignatureTemplate(trx, auth.workspaceId, {
        ...input,
        html: sanitizeSignatureHtml(input.html),
      })
    })
    return c.json(toTemplate(row), 201)
  },
)

signatures.post(
  '/preview',
  describe({
    summary: 'Preview a signature as an employee gets it',
    description:
      'Renders `html` (unsaved), or the template `templateId`, or else the template that applies to the employee, with the profile of `employeeId` (default: you). The banner shows as a placeholder box.',
    tags: ['signatures'],
    response: PreviewSignatureResultSchema,
    status: 200,
  }),
  requireRole('employee'),
  valid('json', PreviewSignatureSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    const asOther = input.employeeId !== undefined && input.employeeId !== auth.userId
    if ((asOther || input.templateId || input.html !== undefined) && auth.role === 'employee')
      throw new ApiError('forbidden', 'This needs the marketer role; you are signed in as employee.')
    const profile = await findEmployeeById(db, auth.workspaceId, input.employeeId ?? auth.userId)
    if (!profile) throw new ApiError('validation_failed', 'There is no such employee.', 'employeeId')
    if (input.html !== undefined) {
      const html = renderSignature(
        sanitizeSignatureHtml(input.html),
        signatureValues(profile),
        PREVIEW_BANNER,
      )
      return c.json({ html, templateId: null })
    }
    if (input.templateId) {
      const row = await findSignatureTemplateById(db, auth.workspaceId, input.templateId)
      if (!row) throw new ApiError('validation_failed', 'There is no such signature template.', 'templateId')
      return c.json({
        html: renderSignature(row.html, signatureValues(profile), PREVIEW_BANNER),
        templateId: row.id,
      })
    }
    return c.json(await renderEmployeeSignature(db, auth.workspaceId, profile, PREVIEW_BANNER))
  },
)

signatures.get(
  '/:id',
  describe({ summary: 'Get a signature template', tags: ['signatures'], response: SignatureTemplateSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) =>
    c.json(toTemplate(await getTemplateOrThrow(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id))),
)

signatures.patch(
  '/:id',
  describe({
    summary: 'Change a signature template',
    tags: ['signatures'],
    response: SignatureTemplateSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateSignatureTemplateSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getTemplateOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const input = c.req.valid('json')
    const updated = await db.transaction().execute(async (trx) => {
      if (input.isDefault && !row.is_default) await clearDefaultTemplate(trx, auth.workspaceId)
      return updateSignatureTemplate(trx, auth.workspaceId, row.id, {
        ...input,
        html: input.html === undefined ? undefined : sanitizeSignatureHtml(input.html),
      })
    })
    return c.json(toTemplate(updated))
  },
)

signatures.delete(
  '/:id',
  describe({
    summary: 'Delete a signature template',
    description: 'Departments and employees using it fall back to the workspace default.',
    tags: ['signatures'],
    response: null,
    status: 204,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const row = await getTemplateOrThrow(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id)
    await deleteSignatureTemplate(c.var.db, c.var.auth.workspaceId, row.id)
    return c.body(null, 204)
  },
)
