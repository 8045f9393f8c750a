import { AcceptInvitationSchema, MeSchema, SessionSchema, SignInSchema, SignUpSchema } from '@signet/shared'
import { Hono } from 'hono'
import { clientAddress, publicRoute, requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { ApiError } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { toUser } from '../users/dto.ts'
import { findUserByEmail, findUserById, insertUser, updateUser } from '../users/queries.ts'
import { toWorkspace } from '../workspace/dto.ts'
import { getWorkspaceOrThrow, insertWorkspace } from '../workspace/queries.ts'
import { hashPassword, hashToken, verifyPassword } from './crypto.ts'
import {
  clearSignInFailures,
  findOpenInvitation,
  findUserForSignIn,
  markInvitationAccepted,
  recordSignInFailure,
  revokeToken,
} from './queries.ts'
import { assertSignInAllowed, startSession } from './service.ts'

export const auth = new Hono<AppEnv>()

auth.post(
  '/sign-up',
  describe({
    summary: 'Create a workspace and its first admin',
    tags: ['auth'],
    response: SessionSchema,
  }),
  publicRoute(),
  valid('json', SignUpSchema),
  async (c) => {
    const input = c.req.valid('json')
    const { db, config } = c.var
    if (await findUserByEmail(db, input.email)) {
      throw new ApiError('conflict', 'An account with this email already exists. Sign in instead.', 'email')
    }
    const passwordHash = await hashPassword(input.password)
    const { workspaceId, userId } = await db.transaction().execute(async (trx) => {
      const workspace = await insertWorkspace(trx, input.workspaceName)
      const user = await insertUser(trx, {
        workspace_id: workspace.id,
        email: input.email,
        role: 'admin',
        first_name: input.firstName,
        last_name: input.lastName,
        password_hash: passwordHash,
      })
      return { workspaceId: workspace.id, userId: user.id }
    })
    return c.json(await startSession(db, config, workspaceId, userId, c.req.header('user-agent')), 201)
  },
)

auth.post(
  '/sign-in',
  describe({
    summary: 'Sign in with email and password',
    description:
      'Five failed attempts for one email, or thirty from one address, within 15 minutes lock sign-in for 15 minutes (429).',
    tags: ['auth'],
    status: 200,
    response: SessionSchema,
  }),
  publicRoute(),
  valid('json', SignInSchema),
  async (c) => {
    const { email, password } = c.req.valid('json')
    const { db, config } = c.var
    const address = clientAddress(c)
    await assertSignInAllowed(db, email, address)
    const user = await findUserForSignIn(db, email)
    const ok = await verifyPassword(password, user?.password_hash ?? null)
    if (!user || !ok || user.disabled_at) {
      await recordSignInFailure(db, email, address)
      throw new ApiError('unauthorized', 'The email or password is not correct.')
    }
    await clearSignInFailures(db, email)
    return c.json(await startSession(db, config, user.workspace_id, user.id, c.req.header('user-agent')))
  },
)

auth.post(
  '/accept-invitation',
  describe({
    summary: 'Accept an invitation by choosing a password',
    tags: ['auth'],
    status: 200,
    response: SessionSchema,
  }),
  publicRoute(),
  valid('json', AcceptInvitationSchema),
  async (c) => {
    const { token, password } = c.req.valid('json')
    const { db, config } = c.var
    const invitation = await findOpenInvitation(db, hashToken(token))
    if (!invitation)
      throw new ApiError(
        'not_found',
        'This invitation is not valid any more. Ask an admin for a new one.',
        'token',
      )
    const passwordHash = await hashPassword(password)
    await db.transaction().execute(async (trx) => {
      await markInvitationAccepted(trx, invitation.id)
      await updateUser(trx, invitation.workspace_id, invitation.user_id, { password_hash: passwordHash })
    })
    return c.json(
      await startSession(db, config, invitation.workspace_id, invitation.user_id, c.req.header('user-agent')),
    )
  },
)

auth.post(
  '/sign-out',
  describe({
    summary: 'Sign out: revoke the token of this request',
    tags: ['auth'],
    status: 204,
    response: null,
  }),
  requireRole('employee'),
  async (c) => {
    await revokeToken(c.var.db, c.var.auth.workspaceId, c.var.auth.tokenId)
    return c.body(null, 204)
  },
)

auth.get(
  '/me',
  describe({ summary: 'The signed-in user and their workspace', tags: ['auth'], response: MeSchema }),
  requireRole('employee'),
  async (c) => {
    const { db, auth } = c.var
    const [user, workspace] = await Promise.all([
      findUserById(db, auth.workspaceId, auth.userId),
      getWorkspaceOrThrow(db, auth.workspaceId),
    ])
    return c.json({ user: toUser(user!), workspace: toWorkspace(workspace) })
  },
)
