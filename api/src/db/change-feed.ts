import type { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import type { WorkspaceId } from './schema.ts'

/**
 * What changed in the database, as PostgreSQL's notifications tell it (migration
 * notify_changes): the caches of resolve and sign-in hold what they read until the feed says
 * their workspace's topic moved.
 *
 * A cached value is stamped with `version(topic, workspace)` read *before* it was loaded, and is
 * served only while the version is still the same: a notification that arrives during the load
 * moves the version, so a value that may have missed the change is never served. While the feed
 * is not listening (connecting, or its connection lost), `live` is false and callers read the
 * database as if there were no cache; every (re)connection starts a new generation, which
 * invalidates everything cached before it.
 *
 * Writes of this process are seen at once: every pooled connection listens too, and PostgreSQL
 * hands a session its own notifications before its COMMIT returns, so the process that changed
 * something never serves the old value afterwards. Other processes see the change when the
 * notification reaches them, typically within milliseconds.
 */
export type Topic = 'context' | 'targets' | 'campaigns'

const CHANNELS: Record<string, Topic> = {
  signet_context: 'context',
  signet_targets: 'targets',
  signet_targeting: 'campaigns',
}
const LISTEN = Object.keys(CHANNELS)
  .map((c) => `listen ${c}`)
  .join('; ')

export class ChangeFeed {
  live = false
  private generation = 0
  private readonly counters = new Map<string, number>()
  private readonly totals: Record<Topic, number> = { context: 0, targets: 0, campaigns: 0 }

  /** Stamp for a value of `topic` about `workspaceId`: equal stamps, nothing changed between. */
  version(topic: Topic, workspaceId: WorkspaceId | string): string {
    return `${this.generation}.${this.counters.get(`${topic}:${workspaceId}`) ?? 0}`
  }

  /** Stamp that moves on any change of `topic`, in any workspace. */
  total(topic: Topic): string {
    return `${this.generation}.${this.totals[topic]}`
  }

  /** A notification arrived on `channel`. */
  notified(channel: string, payload: string | undefined) {
    const topic = CHANNELS[channel]
    if (!topic) return
    const key = `${topic}:${payload ?? ''}`
    this.counters.set(key, (this.counters.get(key) ?? 0) + 1)
    this.totals[topic]++
  }

  /** Listening started or stopped: nothing read before can be trusted any more. */
  reset(live: boolean) {
    this.generation++
    this.counters.clear()
    this.live = live
  }

  /** The SQL a pooled connection runs first, so it hears its own writes. */
  static readonly listenSql = LISTEN
}

const RETRY_MIN_MS = 100
const RETRY_MAX_MS = 5_000

/**
 * Keeps one dedicated connection listening, so notifications arrive while the pool is idle; the
 * feed is live exactly while it is connected. Reconnects with back-off until `stop`.
 */
export function listenWithClient(feed: ChangeFeed, connectionString: string): () => Promise<void> {
  let stopped = false
  let client: pg.Client | null = null
  let retry = RETRY_MIN_MS
  let timer: NodeJS.Timeout | undefined
  let warned = false

  const connect = async () => {
    if (stopped) return
    const current = new pg.Client({ connectionString, application_name: 'signet-change-feed' })
    client = current
    const lost = (error?: Error) => {
      if (client !== current) return
      client = null
      feed.reset(false)
      current.end().catch(() => {})
      if (stopped) return
      if (error && !warned) {
        warned = true
        console.warn(`[signet] change feed lost its connection: ${error.message}; retrying`)
      }
      timer = setTimeout(connect, retry)
      timer.unref()
      retry = Math.min(retry * 2, RETRY_MAX_MS)
    }
    current.on('error', lost)
    current.on('end', () => lost())
    current.on('notification', (message) => feed.notified(message.channel, message.payload))
    try {
      await current.connect()
      await current.query(LISTEN)
      if (client !== current) return
      retry = RETRY_MIN_MS
      warned = false
      feed.reset(true)
    } catch (error) {
      lost(error as Error)
    }
  }
  void connect()
  return async () => {
    stopped = true
    clearTimeout(timer)
    const current = client
    client = null
    feed.reset(false)
    await current?.end().catch(() => {})
  }
}

/** PGlite is one session in this process: it hears every notification, its own included. */
export async function listenWithPglite(feed: ChangeFeed, pglite: PGlite): Promise<void> {
  for (const channel of Object.keys(CHANNELS)) {
    await pglite.listen(channel, (payload) => feed.notified(channel, payload))
  }
  feed.reset(true)
}
