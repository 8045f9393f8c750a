import {
  EmployeeProfileSchema,
  IdParamsSchema,
  ListEmployeesQuerySchema,
  UpdateEmployeeSchema,
  UpdateOwnProfileSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { findDepartmentById } from '../departments/queries.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { findSignatureTemplateById } from '../signatures/queries.ts'
import { toEmployeeProfile } from './dto.ts'
import { findEmployeeById, listEmployees, type ProfileChanges, updateEmployeeProfile } from './queries.ts'

/** Employees as marketers and admins see them: any user of the workspace, with profile fields. */
export const employees = new Hono<AppEnv>()
/** The signed-in user's own profile. */
export const me = new Hono<AppEnv>()

async function getEmployeeOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const row = await findEmployeeById(db, workspaceId, id)
  if (!row) throw notFound('Employee')
  return row
}

async function checkReferences(db: Db, workspaceId: WorkspaceId, input: ProfileChanges) {
  if (input.departmentId && !(await findDepartmentById(db, workspaceId, input.departmentId)))
    throw new ApiError('validation_failed', 'There is no such department.', 'departmentId')
  if (
    input.signatureTemplateId &&
    !(await findSignatureTemplateById(db, workspaceId, input.signatureTemplateId))
  )
    throw new ApiError('validation_failed', 'There is no such signature template.', 'signatureTemplateId')
}

employees.get(
  '/',
  describe({
    summary: 'List employees with their profiles',
    tags: ['employees'],
    response: z.array(EmployeeProfileSchema),
  }),
  requireRole('marketer'),
  valid('query', ListEmployeesQuerySchema),
  async (c) => {
    const rows = await listEmployees(c.var.db, c.var.auth.workspaceId, c.req.valid('query'))
    return c.json(rows.map(toEmployeeProfile))
  },
)

employees.get(
  '/:id',
  describe({ summary: 'Get an employee’s profile', tags: ['employees'], response: EmployeeProfileSchema }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  async (c) =>
    c.json(
      toEmployeeProfile(await getEmployeeOrThrow(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id)),
    ),
)

employees.patch(
  '/:id',
  describe({
    summary: 'Change an employee’s profile, department or signature',
    tags: ['employees'],
    response: EmployeeProfileSchema,
  }),
  requireRole('marketer'),
  valid('param', IdParamsSchema),
  valid('json', UpdateEmployeeSchema),
  async (c) => {
    const { db, auth } = c.var
    const row = await getEmployeeOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const input = c.req.valid('json')
    await checkReferences(db, auth.workspaceId, input)
    await updateEmployeeProfile(db, auth.workspaceId, row.id, input)
    return c.json(toEmployeeProfile(await getEmployeeOrThrow(db, auth.workspaceId, row.id)))
  },
)

me.get(
  '/profile',
  describe({ summary: 'Your own profile', tags: ['employees'], response: EmployeeProfileSchema }),
  requireRole('employee'),
  async (c) =>
    c.json(toEmployeeProfile(await getEmployeeOrThrow(c.var.db, c.var.auth.workspaceId, c.var.auth.userId))),
)

me.patch(
  '/profile',
  describe({
    summary: 'Change your own profile fields',
    description: 'Department and signature template are set by a marketer.',
    tags: ['employees'],
    response: EmployeeProfileSchema,
  }),
  requireRole('employee'),
  valid('json', UpdateOwnProfileSchema),
  async (c) => {
    const { db, auth } = c.var
    await updateEmployeeProfile(db, auth.workspaceId, auth.userId, c.req.valid('json'))
    return c.json(toEmployeeProfile(await getEmployeeOrThrow(db, auth.workspaceId, auth.userId)))
  },
)
