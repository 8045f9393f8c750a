import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { createApp } from '../app.ts'
import type { Db } from '../db/index.ts'
import type { ContactId, TargetGroupId } from '../db/schema.ts'
import { stopDeliveries } from './deliveries.ts'
import { fixtures } from './fixture-queries.ts'

// Resolve reads targets from an in-memory index per process. These tests change the targeting
// tables behind its back (straight SQL, as another API process or an operator would) and check
// that both "processes" — two apps over two database handles — answer from the current data.

let t: TestContext
let f: ReturnType<typeof fixtures>
let vips: TargetGroupId
let other: ReturnType<typeof createApp>
let otherDb: Db

beforeAll(async () => {
  t = await setupTestApp()
  f = fixtures(t, t.a)
  vips = await f.group('VIPs', { contacts: [await f.contact('vip@globex.com')] })
  const acme = await f.account('acme.com')
  await f.campaign('VIP', { groups: [vips] })
  await f.campaign('Key accounts', { groups: [await f.group('Key', { accounts: [acme] })] })
  await f.campaign('Brand for everyone')
  otherDb = t.db.withoutPlugins()
  other = createApp({ db: otherDb, config: t.config })
})
afterAll(async () => {
  await stopDeliveries(otherDb, 1000)
  await t.close()
})

async function chosenBy(app: ReturnType<typeof createApp>, email: string) {
  const res = await app.request('/api/resolve', {
    method: 'POST',
    headers: { authorization: `Bearer ${t.a.employee.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: [email] }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { campaign: { name: string } | null }).campaign?.name ?? null
}
const chosen = (email: string) => Promise.all([chosenBy(t.app, email), chosenBy(other, email)])

describe('the targeting index', () => {
  it('serves memberships added and removed by another process from the next request', async () => {
    expect(await chosen('new@initech.com')).toEqual(['Brand for everyone', 'Brand for everyone'])
    const id = await f.contact('new@initech.com')
    await t.db.insertInto('target_group_contact').values({ group_id: vips, contact_id: id }).execute()
    expect(await chosen('new@initech.com')).toEqual(['VIP', 'VIP'])
    await t.db.deleteFrom('target_group_contact').where('contact_id', '=', id).execute()
    expect(await chosen('new@initech.com')).toEqual(['Brand for everyone', 'Brand for everyone'])
  })

  it('forgets a contact deleted, and finds it again when restored', async () => {
    expect(await chosen('vip@globex.com')).toEqual(['VIP', 'VIP'])
    const deleted = () =>
      t.db.updateTable('contact').where('email', '=', 'vip@globex.com').where('workspace_id', '=', t.a.id)
    await deleted()
      .set({ deleted_at: sql`now()` as never })
      .execute()
    expect(await chosen('vip@globex.com')).toEqual(['Brand for everyone', 'Brand for everyone'])
    await deleted().set({ deleted_at: null }).execute()
    expect(await chosen('vip@globex.com')).toEqual(['VIP', 'VIP'])
  })

  it('keeps a deleted contact’s opt-out and suppression, and lets them go with the record', async () => {
    const trackedBy = async (app: ReturnType<typeof createApp>) => {
      const res = await app.request('/api/resolve', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.a.employee.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: ['quiet@acme.com'] }),
      })
      const body = (await res.json()) as { tracked: boolean; campaign: { name: string } | null }
      return `${body.campaign?.name}${body.tracked ? '' : ', untracked'}`
    }
    const seen = () => Promise.all([trackedBy(t.app), trackedBy(other)])
    const id = await f.contact('quiet@acme.com', { optOut: true })
    const quiet = () => t.db.updateTable('contact').where('id', '=', id)
    expect(await seen()).toEqual(['Key accounts, untracked', 'Key accounts, untracked'])
    await quiet()
      .set({ deleted_at: sql`now()` as never })
      .execute()
    expect(await seen()).toEqual(['Key accounts, untracked', 'Key accounts, untracked'])
    await quiet().set({ status: 'blacklisted', tracking_opt_out_at: null }).execute()
    expect(await seen()).toEqual(['Brand for everyone', 'Brand for everyone'])
    await t.db.deleteFrom('contact').where('id', '=', id).execute()
    expect(await seen()).toEqual(['Key accounts', 'Key accounts'])
  })

  it('finds a contact by another spelling of its inbox, and forgets it with the contact', async () => {
    const tracked = async (app: ReturnType<typeof createApp>) => {
      const res = await app.request('/api/resolve', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.a.employee.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: ['pq+fair@googlemail.com'] }),
      })
      return ((await res.json()) as { tracked: boolean }).tracked
    }
    const seen = () => Promise.all([tracked(t.app), tracked(other)])
    expect(await seen()).toEqual([true, true])
    const id = await f.contact('p.q@gmail.com', { optOut: true })
    expect(await seen()).toEqual([false, false])
    await t.db.deleteFrom('contact').where('id', '=', id).execute()
    expect(await seen()).toEqual([true, true])
  })

  it('follows an email address changed and an account alias added', async () => {
    await t.db
      .updateTable('contact')
      .set({ email: 'vip2@globex.com' })
      .where('email', '=', 'vip@globex.com')
      .execute()
    expect(await chosen('vip@globex.com')).toEqual(['Brand for everyone', 'Brand for everyone'])
    expect(await chosen('vip2@globex.com')).toEqual(['VIP', 'VIP'])

    expect(await chosen('max@acme.de')).toEqual(['Brand for everyone', 'Brand for everyone'])
    const acme = await t.db
      .selectFrom('account')
      .select('id')
      .where('domain', '=', 'acme.com')
      .executeTakeFirstOrThrow()
    await t.db
      .insertInto('account_alias')
      .values({ workspace_id: t.a.id, account_id: acme.id, domain: 'acme.de' })
      .execute()
    expect(await chosen('max@acme.de')).toEqual(['Key accounts', 'Key accounts'])
  })

  it('rebuilds after a statement that changes thousands of targets (an import)', async () => {
    await sql`
      insert into contact (workspace_id, email, domain)
      select ${t.a.id}, 'bulk' || i || '@bulk-example.com', 'bulk-example.com' from generate_series(1, 6000) i`.execute(
      t.db,
    )
    const reloads = await t.db
      .selectFrom('targeting_change')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('workspace_id', '=', t.a.id)
      .where('kind', '=', 'reload')
      .executeTakeFirstOrThrow()
    expect(reloads.n).toBe(1)
    const one = await t.db
      .selectFrom('contact')
      .select('id')
      .where('email', '=', 'bulk4321@bulk-example.com')
      .executeTakeFirstOrThrow()
    await t.db
      .insertInto('target_group_contact')
      .values({ group_id: vips, contact_id: one.id as ContactId })
      .execute()
    expect(await chosen('bulk4321@bulk-example.com')).toEqual(['VIP', 'VIP'])
    expect(await chosen('bulk4322@bulk-example.com')).toEqual(['Brand for everyone', 'Brand for everyone'])
  })

  it('renames a group in the explanation', async () => {
    await t.db.updateTable('target_group').set({ name: 'Very important' }).where('id', '=', vips).execute()
    const res = await other.request('/api/resolve', {
      method: 'POST',
      headers: { authorization: `Bearer ${t.a.employee.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ to: ['vip2@globex.com'] }),
    })
    expect(((await res.json()) as { explanation: string }).explanation).toContain('Very important')
  })
})

// Two writers whose commits land in the other order than they started: the index must not skip
// the one that commits last. Needs two concurrent sessions, so real PostgreSQL.
describe.runIf(process.env.DATABASE_URL)('the targeting index with concurrent writers', () => {
  it('sees a change committed after a later-started one was already served', async () => {
    const late = await f.contact('late@hooli.com')
    const early = await f.contact('early@hooli.com')
    const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(t.db)
    const url = new URL(process.env.DATABASE_URL!)
    url.pathname = `/${rows[0]!.db}`
    const session = new pg.Client({ connectionString: url.toString() })
    await session.connect()
    try {
      await session.query('begin')
      await session.query('insert into target_group_contact (group_id, contact_id) values ($1, $2)', [
        vips,
        late,
      ])
      // Meanwhile another change commits and is served…
      await t.db.insertInto('target_group_contact').values({ group_id: vips, contact_id: early }).execute()
      expect(await chosen('early@hooli.com')).toEqual(['VIP', 'VIP'])
      expect(await chosen('late@hooli.com')).toEqual(['Brand for everyone', 'Brand for everyone'])
      // …and then the first transaction commits. This "process" hears of it by notification,
      // so within moments rather than at once; an index that skipped it would never serve it.
      await session.query('commit')
      await vi.waitFor(async () => expect(await chosen('late@hooli.com')).toEqual(['VIP', 'VIP']), {
        timeout: 1000,
        interval: 20,
      })
    } finally {
      await session.end()
    }
  })
})
