import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'

/** The user and workspace behind a live bearer token, or undefined. */
export function findSessionByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select([
      'api_token.id as token_id',
      'api_token.last_used_at',
      'api_token.expires_at',
      'app_user.id as user_id',
      'app_user.workspace_id',
      'app_user.role',
    ])
    .where('api_token.token_hash', '=', tokenHash)
    .where('api_token.revoked_at', 'is', null)
    .where('api_token.expires_at', '>', sql<Date>`now()`)
    .where('app_user.disabled_at', 'is', null)
    .executeTakeFirst()
}

export function insertToken(
  db: Db,
  token: { workspaceId: WorkspaceId; userId: UserId; hash: string; expiresAt: Date; userAgent?: string },
) {
  return db
    .insertInto('api_token')
    .values({
      workspace_id: token.workspaceId,
      user_id: token.userId,
      token_hash: token.hash,
      expires_at: token.expiresAt,
      user_agent: token.userAgent?.slice(0, 300) ?? null,
    })
    .returning(['id', 'expires_at'])
    .executeTakeFirstOrThrow()
}

export function revokeToken(db: Db, workspaceId: WorkspaceId, tokenId: string) {
  return db
    .updateTable('api_token')
    .set({ revoked_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .execute()
}

/** Revokes every live token of a user (disabled, or role changed by an admin). */
export function revokeTokensOfUser(db: Db, workspaceId: WorkspaceId, userId: UserId) {
  return db
    .updateTable('api_token')
    .set({ revoked_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute()
}

// Written at most once a minute per token, so a busy extension does not write on every call.
export function touchToken(db: Db, tokenId: string) {
  return db
    .updateTable('api_token')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', tokenId)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`),
      ]),
    )
    .execute()
}

export function findUserForSignIn(db: Db, email: string) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
}

export function recordSignInFailure(db: Db, email: string, address: string) {
  return db.insertInto('sign_in_failure').values({ email: email.toLowerCase(), address }).execute()
}

/** Failed sign-ins in the window, for the email and for the client address. */
export async function countRecentSignInFailures(
  db: Db,
  email: string,
  address: string,
  windowMinutes: number,
) {
  const since = sql<Date>`now() - make_interval(mins => ${windowMinutes})`
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('sign_in_failure')
        .select(eb.fn.countAll<number>().as('n'))
        .where('email', '=', email.toLowerCase())
        .where('at', '>', since)
        .as('by_email'),
      eb
        .selectFrom('sign_in_failure')
        .select(eb.fn.countAll<number>().as('n'))
        .where('address', '=', address)
        .where('at', '>', since)
        .as('by_address'),
    ])
    .executeTakeFirstOrThrow()
  return { byEmail: Number(row.by_email), byAddress: Number(row.by_address) }
}

export function clearSignInFailures(db: Db, email: string) {
  return db.deleteFrom('sign_in_failure').where('email', '=', email.toLowerCase()).execute()
}

export function findOpenInvitation(db: Db, tokenHash: string) {
  return db
    .selectFrom('invitation')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst()
}

export function insertInvitation(
  db: Db,
  invitation: { workspaceId: WorkspaceId; userId: UserId; hash: string; invitedBy: UserId; expiresAt: Date },
) {
  return db
    .insertInto('invitation')
    .values({
      workspace_id: invitation.workspaceId,
      user_id: invitation.userId,
      token_hash: invitation.hash,
      invited_by: invitation.invitedBy,
      expires_at: invitation.expiresAt,
    })
    .execute()
}

export function markInvitationAccepted(db: Db, id: string) {
  return db.updateTable('invitation').set({ accepted_at: sql`now()` }).where('id', '=', id).execute()
}

export function recordSignIn(db: Db, workspaceId: WorkspaceId, userId: UserId) {
  return db
    .updateTable('app_user')
    .set({ last_sign_in_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .execute()
}
