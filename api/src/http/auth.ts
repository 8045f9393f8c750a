import { getConnInfo } from '@hono/node-server/conninfo'
import type { Role } from '@signet/shared'
import type { Context, MiddlewareHandler } from 'hono'
import { hashToken } from '../auth/crypto.ts'
import { touchToken } from '../auth/queries.ts'
import { findSession } from '../auth/session-cache.ts'
import type { AppEnv } from './context.ts'
import { ApiError } from './errors.ts'
import { attachMeta } from './openapi.ts'
import { tooManyRequests } from './rate-limit.ts'

const rank: Record<Role, number> = { employee: 1, marketer: 2, admin: 3 }

/**
 * Authenticates the bearer token and lets the route run only for `role` or a stronger one
 * (admin > marketer > employee). Every non-public route starts with it.
 */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return attachMeta<MiddlewareHandler<AppEnv>>(
    async (c, next) => {
      const header = c.req.header('authorization') ?? ''
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      if (!match)
        throw new ApiError('unauthorized', 'Sign in first: send your token as "Authorization: Bearer …".')
      const db = c.get('db')
      const session = await findSession(db, hashToken(match[1]!))
      if (!session)
        throw new ApiError(
          'unauthorized',
          'Your session has expired or was signed out. Please sign in again.',
        )
      if (rank[session.role] < rank[role]) {
        throw new ApiError('forbidden', `This needs the ${role} role; you are signed in as ${session.role}.`)
      }
      const retryAfter = c.get('limits').api.take(session.token_id)
      if (retryAfter) throw tooManyRequests(retryAfter, 'requests with this token')
      c.set('auth', {
        userId: session.user_id,
        workspaceId: session.workspace_id,
        role: session.role,
        tokenId: session.token_id,
      })
      if (!session.last_used_at || Date.now() - session.last_used_at.getTime() > 60_000) {
        // A cached session remembers the touch, so the next minute's requests write nothing.
        session.last_used_at = new Date()
        touchToken(db, session.token_id).catch(() => {})
      }
      await next()
    },
    { role },
  )
}

/** Marks a route as open to anyone (sign-in, tracking, health). */
export function publicRoute(): MiddlewareHandler {
  return attachMeta((_c, next) => next(), { role: 'public' })
}

/** The client's address: the proxy's X-Forwarded-For when TRUST_PROXY is set, else the socket's. */
export function clientAddress(c: Context<AppEnv>): string {
  if (c.get('config').trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
    if (forwarded) return forwarded
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
