import type { Session } from '@signet/shared'
import type { Config } from '../config.ts'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { toUser } from '../users/dto.ts'
import { findUserById } from '../users/queries.ts'
import { toWorkspace } from '../workspace/dto.ts'
import { getWorkspaceOrThrow } from '../workspace/queries.ts'
import { newSecretToken } from './crypto.ts'
import { countRecentSignInFailures, insertToken, recordSignIn } from './queries.ts'

export const SIGN_IN_WINDOW_MINUTES = 15
export const MAX_FAILURES_PER_EMAIL = 5
export const MAX_FAILURES_PER_ADDRESS = 30

/** Issues a bearer token and answers with the session the client keeps. */
export async function startSession(
  db: Db,
  config: Config,
  workspaceId: WorkspaceId,
  userId: UserId,
  userAgent: string | undefined,
): Promise<Session> {
  const { token, hash } = newSecretToken('sgt')
  const expiresAt = new Date(Date.now() + config.tokenTtlDays * 86_400_000)
  await insertToken(db, { workspaceId, userId, hash, expiresAt, userAgent })
  await recordSignIn(db, workspaceId, userId)
  const [user, workspace] = await Promise.all([
    findUserById(db, workspaceId, userId),
    getWorkspaceOrThrow(db, workspaceId),
  ])
  return { token, expiresAt: expiresAt.toISOString(), user: toUser(user!), workspace: toWorkspace(workspace) }
}

/** Refuses a sign-in attempt while the email or the client address has failed too often. */
export async function assertSignInAllowed(db: Db, email: string, address: string) {
  const failures = await countRecentSignInFailures(db, email, address, SIGN_IN_WINDOW_MINUTES)
  if (failures.byEmail >= MAX_FAILURES_PER_EMAIL || failures.byAddress >= MAX_FAILURES_PER_ADDRESS) {
    throw new ApiError(
      'rate_limited',
      `Too many failed sign-ins. Please wait ${SIGN_IN_WINDOW_MINUTES} minutes and try again.`,
      undefined,
      { 'Retry-After': String(SIGN_IN_WINDOW_MINUTES * 60) },
    )
  }
}
