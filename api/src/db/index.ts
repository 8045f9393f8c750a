import { mkdir } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { migrationProvider } from '@signet/migrations'
import { Kysely, Migrator, PostgresDialect } from 'kysely'
import pg from 'pg'
import { ChangeFeed, listenWithClient, listenWithPglite } from './change-feed.ts'
import { PGliteDialect } from './pglite-dialect.ts'
import type { Database } from './schema.ts'

export type Db = Kysely<Database>

const singleSession = new WeakSet<Db>()

/** PGlite is one session inside this process: a session-level advisory lock there excludes nothing. */
export function isSingleSession(db: Db): boolean {
  return singleSession.has(db)
}

const feeds = new WeakMap<Db, ChangeFeed>()

/** The notifications of this database (`change-feed.ts`); caches check `live` before trusting themselves. */
export function changeFeed(db: Db): ChangeFeed | undefined {
  return feeds.get(db)
}

export interface DatabaseHandle {
  db: Db
  kind: 'postgres' | 'pglite'
  close(): Promise<void>
}

// Counts and sums come back as JavaScript numbers; ids of bigserial tables stay strings.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v))

/** PostgreSQL when a URL is given, else PGlite persisted in `dataDir` (or in memory for `memory://`). */
export async function openDatabase(options: {
  databaseUrl?: string | undefined
  dataDir?: string | undefined
  pglite?: PGlite
}): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 })
    let closing = false
    // An idle connection dropped by the server (restart, failover) must not crash the process;
    // the pool replaces it on the next query.
    const lost = (error: Error) => {
      if (!closing) console.warn(`[signet] database connection lost: ${error.message}`)
    }
    pool.on('error', lost)
    // A client checked out when the server goes away emits 'error' too; the query fails, the process lives.
    pool.on('connect', (client) => client.on('error', lost))
    // Every pooled connection listens, so this process hears its own writes before they return.
    const feed = new ChangeFeed()
    pool.on('connect', (client) => {
      // Its own notifications only: the others reach the feed's own connection.
      client.on('notification', (message) => {
        if (message.processId === (client as unknown as { processID: number }).processID)
          feed.notified(message.channel, message.payload)
      })
      client.query(ChangeFeed.listenSql).catch(() => {})
    })
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    const stopListening = listenWithClient(feed, options.databaseUrl)
    feeds.set(db, feed)
    return {
      db,
      kind: 'postgres',
      close: async () => {
        closing = true
        await stopListening()
        await db.destroy()
      },
    }
  }
  let pglite = options.pglite
  if (!pglite) {
    const dir = options.dataDir ? `${options.dataDir}/pglite` : undefined
    if (dir) await mkdir(dir, { recursive: true })
    pglite = await PGlite.create({ dataDir: dir, extensions: { pg_trgm } })
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) })
  singleSession.add(db)
  const feed = new ChangeFeed()
  await listenWithPglite(feed, pglite)
  feeds.set(db, feed)
  const owned = pglite
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy()
      await owned.close()
    },
  }
}

export { pg_trgm }

/** Brings the schema up to date. Throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((r) => r.status === 'Error')
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : ''
    throw new Error(`Database migration failed${name}: ${(error as Error).message ?? error}`)
  }
  return (results ?? []).map((r) => r.migrationName)
}
