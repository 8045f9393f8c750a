import {
  CreateDepartmentSchema,
  type Department,
  DepartmentSchema,
  IdParamsSchema,
  UpdateDepartmentSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { findSignatureTemplateById } from '../signatures/queries.ts'
import {
  deleteDepartment,
  findDepartmentById,
  findDepartmentByName,
  insertDepartment,
  listDepartments,
  updateDepartment,
} from './queries.ts'

export const departments = new Hono<AppEnv>()

type Row = NonNullable<Awaited<ReturnType<typeof findDepartmentById>>>

function toDepartment(row: Row): Department {
  return {
    id: row.id,
    name: row.name,
    signatureTemplateId: row.signature_template_id,
    employeeCount: row.employee_count,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}

async function getDepartmentOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const row = await findDepartmentById(db, workspaceId, id)
  if (!row) throw notFound('Department')
  return row
}

async function checkInput(
  db: Db,
  workspaceId: WorkspaceId,
  input: { name?: string; signatureTemplateId?: string | null },
  self?: string,
) {
  if (input.name !== undefined) {
    const taken = await findDepartmentByName(db, workspaceId, input.name)
    if (taken && taken.id !== self)
      throw new ApiError('conflict', 'A department with this name already exists.', 'name')
  }
  if (
    input.signatureTemplateId &&
    !(await findSignatureTemplateById(db, workspaceId, input.signatureTemplateId))
  )
    throw new ApiError('validation_failed', 'There is no such signature template.', 'signatureTemplateId')
}

departments.get(
  '/',
  describe({ summary: 'List departments', tags: ['employees'], response: z.array(DepartmentSchema) }),
  requireRole('marketer'),
  async (c) => c.json((await listDepartments(c.var.db, c.var.auth.workspaceId)).map(toDepartment)),
)

departments.post(
  '/',
  describe({ summary: 'Create a department', tags: ['employees'], response: DepartmentSchema }),
  requireRole('marketer'),
  valid('json', CreateDepartmentSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    await checkInput(db, auth.workspaceId, input)
    const { id } = await insertDepartment(db, auth.workspaceId, input)
    return c.json(toDepartment(await getDepartmentOrThrow(db, auth.workspaceId, id)), 201)
  },
)

departments.get(
  '/:id',
  describe({ summary: 'Get a department', tags: ['employees'], response: DepartmentSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) =>
    c.json(
      toDepartment(await getDepartmentOrThrow(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id)),
    ),
)

departments.patch(
  '/:id',
  describe({
    summary: 'Rename a department or change its signature',
    tags: ['employees'],
    response: DepartmentSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateDepartmentSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getDepartmentOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const input = c.req.valid('json')
    await checkInput(db, auth.workspaceId, input, row.id)
    await updateDepartment(db, auth.workspaceId, row.id, input)
    return c.json(toDepartment(await getDepartmentOrThrow(db, auth.workspaceId, row.id)))
  },
)

departments.delete(
  '/:id',
  describe({
    summary: 'Delete a department',
    description: 'Its employees keep their profiles and lose the department.',
    tags: ['employees'],
    response: null,
    status: 204,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getDepartmentOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    await deleteDepartment(db, auth.workspaceId, row.id)
    return c.body(null, 204)
  },
)
