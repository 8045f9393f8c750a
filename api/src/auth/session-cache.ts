import { changeFeed, type Db } from '../db/index.ts'
import { findSessionByTokenHash } from './queries.ts'

type Session = NonNullable<Awaited<ReturnType<typeof findSessionByTokenHash>>>

interface Cached {
  session: Session
  loadedAt: number
  /** The workspace's `context` version when it was read (`db/change-feed.ts`). */
  version: string
}

/**
 * Sessions by token hash, in memory, so an authenticated request needs no query. An entry is
 * dropped when its workspace's users or tokens change (sign-out, revocation, role change,
 * disabling — the `signet_context` notification, heard by every process), when the token expires,
 * and after a minute at most. Only live sessions are kept: an unknown token is looked up each time.
 */
const caches = new WeakMap<Db, Map<string, Cached>>()
const MAX_SESSIONS = 50_000
const MAX_AGE_MS = 60_000

export async function findSession(db: Db, tokenHash: string): Promise<Session | undefined> {
  const feed = changeFeed(db)
  if (!feed?.live) return findSessionByTokenHash(db, tokenHash)
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  const now = Date.now()
  const hit = cache.get(tokenHash)
  if (
    hit &&
    hit.version === feed.version('context', hit.session.workspace_id) &&
    hit.session.expires_at.getTime() > now &&
    now - hit.loadedAt < MAX_AGE_MS
  )
    return hit.session
  const before = feed.total('context')
  const session = await findSessionByTokenHash(db, tokenHash)
  cache.delete(tokenHash)
  // Kept only when nothing in any workspace's users or tokens moved while it was read.
  if (session && feed.live && feed.total('context') === before) {
    if (cache.size >= MAX_SESSIONS) cache.delete(cache.keys().next().value!)
    cache.set(tokenHash, {
      session,
      loadedAt: now,
      version: feed.version('context', session.workspace_id),
    })
  }
  return session
}
