import {
  CreatedUserSchema,
  CreateUserSchema,
  IdParamsSchema,
  ListUsersQuerySchema,
  UpdateUserSchema,
  UserSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import { hashPassword, newSecretToken } from '../auth/crypto.ts'
import { insertInvitation, revokeTokensOfUser } from '../auth/queries.ts'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { toUser } from './dto.ts'
import {
  countActiveAdmins,
  deleteUser,
  findUserByEmail,
  findUserById,
  insertUser,
  listUsers,
  updateUser,
} from './queries.ts'

export const users = new Hono<AppEnv>()

const INVITATION_DAYS = 7

async function invite(db: Db, workspaceId: WorkspaceId, userId: UserId, invitedBy: UserId) {
  const { token, hash } = newSecretToken('sgi')
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000)
  await insertInvitation(db, { workspaceId, userId, hash, invitedBy, expiresAt })
  return { token, expiresAt: expiresAt.toISOString() }
}

async function getUserOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const user = await findUserById(db, workspaceId, id)
  if (!user) throw notFound('User')
  return user
}

users.get(
  '/',
  describe({ summary: 'List the users of the workspace', tags: ['users'], response: z.array(UserSchema) }),
  requireRole('admin'),
  valid('query', ListUsersQuerySchema),
  async (c) => {
    const rows = await listUsers(c.var.db, c.var.auth.workspaceId, c.req.valid('query'))
    return c.json(rows.map(toUser))
  },
)

users.post(
  '/',
  describe({
    summary: 'Create a user, with a password or with an invitation',
    description:
      'Without `password` the answer carries a one-time invitation token for `POST /api/auth/accept-invitation`.',
    tags: ['users'],
    response: CreatedUserSchema,
  }),
  requireRole('admin'),
  valid('json', CreateUserSchema),
  async (c) => {
    const input = c.req.valid('json')
    const { db, auth } = c.var
    if (await findUserByEmail(db, input.email)) {
      throw new ApiError('conflict', 'A user with this email already exists.', 'email')
    }
    const passwordHash = input.password ? await hashPassword(input.password) : null
    const result = await db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, {
        workspace_id: auth.workspaceId,
        email: input.email,
        role: input.role,
        first_name: input.firstName,
        last_name: input.lastName,
        password_hash: passwordHash,
      })
      const invitation = passwordHash ? null : await invite(trx, auth.workspaceId, user.id, auth.userId)
      return { user: toUser({ ...user, invited: invitation !== null }), invitation }
    })
    return c.json(result, 201)
  },
)

users.get(
  '/:id',
  describe({ summary: 'Get a user', tags: ['users'], response: UserSchema }),
  requireRole('admin'),
  valid('param', IdParamsSchema),
  async (c) =>
    c.json(toUser(await getUserOrThrow(c.var.db, c.var.auth.workspaceId, c.req.valid('param').id))),
)

users.patch(
  '/:id',
  describe({ summary: 'Change a user’s role, name or access', tags: ['users'], response: UserSchema }),
  requireRole('admin'),
  valid('param', IdParamsSchema),
  valid('json', UpdateUserSchema),
  async (c) => {
    const { db, auth } = c.var
    const input = c.req.valid('json')
    const user = await getUserOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    const losesAdmin =
      user.role === 'admin' && ((input.role && input.role !== 'admin') || input.disabled === true)
    if (losesAdmin && (await countActiveAdmins(db, auth.workspaceId)) <= 1) {
      throw new ApiError(
        'conflict',
        'The workspace needs at least one admin. Make someone else admin first.',
        input.role ? 'role' : 'disabled',
      )
    }
    const updated = await db.transaction().execute(async (trx) => {
      const row = await updateUser(trx, auth.workspaceId, user.id, {
        role: input.role,
        first_name: input.firstName,
        last_name: input.lastName,
        disabled_at:
          input.disabled === undefined ? undefined : input.disabled ? (user.disabled_at ?? new Date()) : null,
      })
      // A disabled user or a changed role signs out everywhere, so old tokens carry no old rights.
      if (input.disabled || (input.role && input.role !== user.role)) {
        await revokeTokensOfUser(trx, auth.workspaceId, user.id)
      }
      return row!
    })
    return c.json(toUser({ ...updated, invited: user.invited }))
  },
)

users.delete(
  '/:id',
  describe({ summary: 'Delete a user', tags: ['users'], status: 204, response: null }),
  requireRole('admin'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const user = await getUserOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if (user.id === auth.userId) throw new ApiError('conflict', 'You cannot delete yourself.', 'id')
    if (user.role === 'admin' && !user.disabled_at && (await countActiveAdmins(db, auth.workspaceId)) <= 1) {
      throw new ApiError('conflict', 'The workspace needs at least one admin.', 'id')
    }
    await deleteUser(db, auth.workspaceId, user.id)
    return c.body(null, 204)
  },
)

users.post(
  '/:id/invitation',
  describe({ summary: 'Send a user a new invitation', tags: ['users'], response: CreatedUserSchema }),
  requireRole('admin'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const user = await getUserOrThrow(db, auth.workspaceId, c.req.valid('param').id)
    if (user.password_hash) throw new ApiError('conflict', 'This user has already chosen a password.', 'id')
    const invitation = await invite(db, auth.workspaceId, user.id, auth.userId)
    return c.json({ user: toUser({ ...user, invited: true }), invitation }, 201)
  },
)
