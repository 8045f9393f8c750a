import type { ChangeFeed } from '../db/change-feed.ts'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { findResolveContext } from './queries.ts'

type ResolveContext = Awaited<ReturnType<typeof findResolveContext>>

interface Entry {
  version: string
  context: Promise<ResolveContext>
}

/**
 * The workspace settings, employee profile and template HTML of resolve, in memory per employee
 * while the change feed is live. An entry is valid for the workspace's `context` version it was
 * read at: any change to the workspace, its users, departments or templates moves the version
 * (the `signet_context` notification, in every process), and the next resolve reads it again.
 */
const caches = new WeakMap<Db, Map<string, Entry>>()
const MAX_ENTRIES = 20_000

export function cachedResolveContext(
  db: Db,
  feed: ChangeFeed,
  workspaceId: WorkspaceId,
  employeeId: UserId,
): Promise<ResolveContext> {
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  const key = `${workspaceId}:${employeeId}`
  const version = feed.version('context', workspaceId)
  const entry = cache.get(key)
  if (entry && entry.version === version) return entry.context
  const context = findResolveContext(db, workspaceId, employeeId, null)
  cache.delete(key)
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  cache.set(key, { version, context })
  // A failed read must not stay cached.
  context.catch(() => {
    if (cache.get(key)?.context === context) cache.delete(key)
  })
  return context
}
