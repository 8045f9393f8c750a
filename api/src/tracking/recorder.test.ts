import { createServer, type Server, Socket } from 'node:net'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase } from '../../test/helpers.ts'
import type { Db } from '../db/index.ts'
import type { Database, WorkspaceId } from '../db/schema.ts'
import { insertWorkspace } from '../workspace/queries.ts'
import { type CampaignFixture, insertCampaignFixture } from './fixture-queries.ts'
import type { NewTrackingEvent } from './queries.ts'
import { EventRecorder } from './recorder.ts'

let database: Awaited<ReturnType<typeof openTestDatabase>>
let workspaceId: WorkspaceId
let campaign: CampaignFixture
beforeAll(async () => {
  database = await openTestDatabase()
  workspaceId = (await insertWorkspace(database.db, 'Recorder')).id
  campaign = await insertCampaignFixture(database.db, workspaceId)
})
afterAll(() => database.close())

/** An event tagged with `tag` in its user agent, so a test counts only its own rows. */
function event(tag: string, i: number): NewTrackingEvent {
  return {
    workspace_id: workspaceId,
    campaign_id: campaign.campaignId,
    variant_id: campaign.variantId,
    kind: 'click',
    human: true,
    user_agent: `${tag} ${i}`,
  }
}

async function tagged(db: Db, tag: string): Promise<number[]> {
  const rows = await db
    .selectFrom('tracking_event')
    .select('user_agent')
    .where('user_agent', 'like', `${tag} %`)
    .orderBy('id')
    .execute()
  return rows.map((r) => Number(r.user_agent!.split(' ')[1]))
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i)
const quiet = { log: () => {} }
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('EventRecorder', () => {
  it('writes in batches off the caller, and everything left on stop', async () => {
    const recorder = new EventRecorder(database.db, {
      batchSize: 1000,
      intervalMs: 3_600_000,
      ...quiet,
    }).start()
    for (const i of range(2500)) recorder.record(event('stop', i))
    await recorder.stop()
    expect(await tagged(database.db, 'stop')).toEqual(range(2500))
    expect(recorder.stats).toMatchObject({ written: 2500, dropped: 0 })
  })

  it('keeps events while the table cannot be written and writes them all, in order, afterwards', async () => {
    const recorder = new EventRecorder(database.db, { intervalMs: 20, maxBackoffMs: 50, ...quiet }).start()
    await sql`alter table tracking_event rename to tracking_event_away`.execute(database.db)
    try {
      for (const i of range(300)) {
        recorder.record(event('outage', i))
        if (i % 50 === 0) await sleep(30)
      }
      expect(recorder.stats.failedWrites).toBeGreaterThan(0)
      expect(recorder.pending).toBe(300)
    } finally {
      await sql`alter table tracking_event_away rename to tracking_event`.execute(database.db)
    }
    await recorder.stop()
    expect(await tagged(database.db, 'outage')).toEqual(range(300))
  })

  it('keeps at most maxBuffered events, dropping the oldest', async () => {
    const recorder = new EventRecorder(database.db, { intervalMs: 3_600_000, maxBuffered: 100, ...quiet })
    await sql`alter table tracking_event rename to tracking_event_away`.execute(database.db)
    try {
      for (const i of range(150)) recorder.record(event('bounded', i))
      await expect(recorder.flush()).rejects.toThrow(/100 tracking event\(s\) could not be written/)
    } finally {
      await sql`alter table tracking_event_away rename to tracking_event`.execute(database.db)
    }
    await recorder.stop()
    expect(recorder.stats.dropped).toBe(50)
    expect(await tagged(database.db, 'bounded')).toEqual(range(150).slice(50))
  })
})

/**
 * A real outage: the recorder reaches PostgreSQL through a TCP proxy that is cut (every
 * connection reset, new ones refused) in the middle of the load, then brought back.
 */
describe.runIf(process.env.DATABASE_URL)('EventRecorder when PostgreSQL goes away', () => {
  let proxy: Server | undefined
  const sockets = new Set<Socket>()
  const target = new URL(process.env.DATABASE_URL ?? 'postgres://x')

  function openProxy(port: number) {
    return new Promise<void>((resolve) => {
      proxy = createServer((client) => {
        const upstream = new Socket().connect(Number(target.port || 5432), target.hostname)
        for (const s of [client, upstream]) {
          sockets.add(s)
          s.on('close', () => sockets.delete(s))
          s.on('error', () => {})
        }
        client.pipe(upstream).pipe(client)
      })
      proxy.listen(port, '127.0.0.1', () => resolve())
    })
  }
  function cutProxy() {
    proxy?.close()
    for (const s of sockets) s.destroy()
  }
  afterAll(cutProxy)

  it('loses no event across the outage', async () => {
    await openProxy(0)
    const port = (proxy!.address() as { port: number }).port
    const url = new URL(database.url!)
    url.host = `127.0.0.1:${port}`
    const pool = new pg.Pool({ connectionString: url.toString(), max: 4, connectionTimeoutMillis: 1000 })
    // Connections reset by the outage, idle or between queries, as db/index.ts handles them.
    pool.on('error', () => {})
    pool.on('connect', (client) => client.on('error', () => {}))
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
    const recorder = new EventRecorder(db, {
      batchSize: 200,
      intervalMs: 10,
      maxBackoffMs: 200,
      ...quiet,
    }).start()
    try {
      let i = 0
      const load = async (ms: number) => {
        const until = Date.now() + ms
        while (Date.now() < until) {
          for (let k = 0; k < 50; k++) recorder.record(event('restart', i++))
          await sleep(5)
        }
      }
      await load(500)
      const writtenBefore = recorder.stats.written
      cutProxy()
      await load(1500)
      expect(recorder.stats.failedWrites).toBeGreaterThan(0)
      await openProxy(port)
      await load(500)
      await recorder.stop()
      expect(writtenBefore).toBeGreaterThan(0)
      expect(recorder.stats).toMatchObject({ written: i, dropped: 0 })
      expect(await tagged(database.db, 'restart')).toEqual(range(i))
    } finally {
      await db.destroy()
      // pg's pool.end() does not wait for its sockets; let them close before the database is dropped.
      for (let n = 0; sockets.size && n < 100; n++) await sleep(20)
    }
  })
})
