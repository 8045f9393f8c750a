import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { createApp } from '../app.ts'
import type { Db } from '../db/index.ts'
import type { CampaignId } from '../db/schema.ts'
import { stopDeliveries } from './deliveries.ts'
import { fixtures } from './fixture-queries.ts'

let t: TestContext
let webinar: string
let flash: string
// A second database handle stands for a second API process.
let otherDb: Db

beforeAll(async () => {
  t = await setupTestApp()
  const f = fixtures(t, t.a)
  const acme = await f.account('acme.com')
  webinar = await f.campaign('Webinar Q4', { groups: [await f.group('Key accounts', { accounts: [acme] })] })
  await f.campaign('Brand for everyone')
  flash = await f.campaign('Flash sale', { priority: 5, state: 'paused' })
  otherDb = t.db.withoutPlugins()
})
afterAll(async () => {
  await stopDeliveries(otherDb, 1000)
  await t.close()
})

const chosen = async () => {
  const res = await t.request('POST', '/api/resolve', {
    token: t.a.employee.token,
    json: { to: ['max@acme.com'] },
  })
  return res.body.campaign?.name ?? null
}

describe('in-memory campaigns', () => {
  it('serve a change made by another process (straight SQL) from the next request', async () => {
    expect(await chosen()).toBe('Webinar Q4')
    // Another API process, or an operator, pauses the campaign without going through this app.
    await t.db
      .updateTable('campaign')
      .set({ paused_at: sql`now()` as never })
      .where('id', '=', webinar as CampaignId)
      .execute()
    expect(await chosen()).toBe('Brand for everyone')
    await t.db
      .updateTable('campaign')
      .set({ paused_at: null, priority: 3 })
      .where('id', '=', webinar as CampaignId)
      .execute()
    expect(await chosen()).toBe('Webinar Q4')
  })

  it('see audience changes: a group removed from the campaign stops matching', async () => {
    await t.db
      .deleteFrom('campaign_target_group')
      .where('campaign_id', '=', webinar as CampaignId)
      .execute()
    expect(await chosen()).toBe('Brand for everyone')
  })

  it('are kept per database handle: a second app over the same database sees the first app’s change', async () => {
    // Two Kysely instances over one database stand for two API processes behind a load balancer.
    const other = createApp({ db: otherDb, config: t.config })
    const resolveOnOther = async () => {
      const res = await other.request('/api/resolve', {
        method: 'POST',
        headers: { authorization: `Bearer ${t.a.employee.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ to: ['max@acme.com'] }),
      })
      return (await res.json()).campaign?.name
    }
    expect(await resolveOnOther()).toBe('Brand for everyone')
    const group = await t.db
      .selectFrom('target_group')
      .select('id')
      .where('name', '=', 'Key accounts')
      .executeTakeFirstOrThrow()
    const patched = await t.request('PATCH', `/api/campaigns/${webinar}`, {
      token: t.a.marketer.token,
      json: { targetGroupIds: [group.id] },
    })
    expect(patched.status).toBe(200)
    expect(await resolveOnOther()).toBe('Webinar Q4')
  })

  it('bump the workspace’s targeting version on every campaign change', async () => {
    const version = async () =>
      (
        await t.db
          .selectFrom('targeting_version')
          .select('version')
          .where('workspace_id', '=', t.a.id)
          .executeTakeFirstOrThrow()
      ).version
    const before = Number(await version())
    await t.request('POST', `/api/campaigns/${webinar}/pause`, { token: t.a.marketer.token })
    expect(Number(await version())).toBeGreaterThan(before)
  })

  it('start and stop serving at their start and end, with no change in between', async () => {
    const senderFor = async () =>
      (
        await t.request('POST', '/api/resolve', {
          token: t.a.employee.token,
          json: { to: ['someone@no-account.example.com'] },
        })
      ).body.campaign?.name ?? null
    // Starts in 5 s and ends 3 s later: the list is loaded once, before the start.
    await t.db
      .updateTable('campaign')
      .set({
        paused_at: null,
        starts_at: sql`now() + interval '5 seconds'` as never,
        ends_at: sql`now() + interval '8 seconds'` as never,
      })
      .where('id', '=', flash as CampaignId)
      .execute()
    expect(await senderFor()).toBe('Brand for everyone')
    await vi.waitFor(async () => expect(await senderFor()).toBe('Flash sale'), {
      timeout: 15_000,
      interval: 200,
    })
    await vi.waitFor(async () => expect(await senderFor()).toBe('Brand for everyone'), {
      timeout: 15_000,
      interval: 200,
    })
  })
})
