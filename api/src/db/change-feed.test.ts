import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openTestDatabase } from '../../test/helpers.ts'
import { changeFeed } from './index.ts'

let database: Awaited<ReturnType<typeof openTestDatabase>>
beforeAll(async () => {
  database = await openTestDatabase()
  await vi.waitFor(() => expect(changeFeed(database.db)?.live).toBe(true), { timeout: 5000 })
})
afterAll(() => database.close())

const notify = (channel: string, payload: string) =>
  sql`select pg_notify(${channel}, ${payload})`.execute(database.db)

describe('the change feed', () => {
  it('moves a workspace’s version before this process’s own write returns, and only that one', async () => {
    const feed = changeFeed(database.db)!
    const before = { mine: feed.version('context', 'w1'), other: feed.version('context', 'w2') }
    const total = feed.total('context')
    await notify('signet_context', 'w1')
    expect(feed.version('context', 'w1')).not.toBe(before.mine)
    expect(feed.version('context', 'w2')).toBe(before.other)
    expect(feed.total('context')).not.toBe(total)
    // Other topics are untouched.
    const targets = feed.version('targets', 'w1')
    await notify('signet_targeting', 'w1')
    expect(feed.version('targets', 'w1')).toBe(targets)
  })

  it('hears the triggers: a workspace setting, a targeting change, a campaign', async () => {
    const feed = changeFeed(database.db)!
    const [ws, quiet] = await database.db
      .insertInto('workspace')
      .values([{ name: 'Feed' }, { name: 'Quiet' }])
      .returning('id')
      .execute()
    const context = feed.version('context', ws!.id)
    await database.db.updateTable('workspace').set({ name: 'Feed 2' }).where('id', '=', ws!.id).execute()
    expect(feed.version('context', ws!.id)).not.toBe(context)
    const targets = [feed.version('targets', ws!.id), feed.version('targets', quiet!.id)]
    await database.db.insertInto('account').values({ workspace_id: ws!.id, domain: 'feed.example' }).execute()
    expect(feed.version('targets', ws!.id)).not.toBe(targets[0])
    expect(feed.version('targets', quiet!.id)).toBe(targets[1])
  })
})

// Another session's commit reaches this process by notification; a lost listening connection
// turns the caches off until it is back, and its return invalidates everything cached before.
describe.runIf(process.env.DATABASE_URL)('the change feed on PostgreSQL', () => {
  it('hears another session’s commit, and survives its connection being killed', async () => {
    const feed = changeFeed(database.db)!
    const other = new pg.Client({ connectionString: database.url })
    await other.connect()
    try {
      const before = feed.version('context', 'w9')
      await other.query(`select pg_notify('signet_context', 'w9')`)
      await vi.waitFor(() => expect(feed.version('context', 'w9')).not.toBe(before), { timeout: 1000 })

      const stamp = feed.total('campaigns')
      await other.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and application_name = 'signet-change-feed'`,
      )
      await vi.waitFor(() => expect(feed.live).toBe(false), { timeout: 2000, interval: 5 })
      await vi.waitFor(() => expect(feed.live).toBe(true), { timeout: 5000 })
      expect(feed.total('campaigns')).not.toBe(stamp)
    } finally {
      await other.end()
    }
  })
})
