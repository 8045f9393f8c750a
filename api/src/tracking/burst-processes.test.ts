import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { createApp } from '../app.ts'
import type { Db } from '../db/index.ts'
import type { DeliveryId } from '../db/schema.ts'
import { statsFixtures } from '../stats/fixture-queries.ts'
import { refreshRollups } from '../stats/rollup.ts'
import {
  BROWSER,
  type CampaignFixture,
  insertCampaignFixture,
  insertDeliveryFixture,
  listEventsOfDelivery,
} from './fixture-queries.ts'
import { trackingService } from './service.ts'
import { deliveryToken } from './token.ts'

// Two API processes — two apps over two database handles, each with its own tracking service —
// behind a load balancer: the clicks of one burst land on both, and neither sees the other's.

let t: TestContext
let campaign: CampaignFixture
let otherDb: Db
let other: ReturnType<typeof createApp>
beforeAll(async () => {
  t = await setupTestApp()
  otherDb = t.db.withoutPlugins()
  other = createApp({ db: otherDb, config: t.config })
  // Writes happen when a test flushes.
  for (const db of [t.db, otherDb]) trackingService(db, { intervalMs: 3_600_000, batchSize: 100_000 })
  campaign = await insertCampaignFixture(t.db, t.a.id)
})
afterAll(async () => {
  for (const db of [t.db, otherDb]) await trackingService(db).recorder.stop()
  await t.close()
})

async function click(app: ReturnType<typeof createApp>, id: DeliveryId, address: string) {
  const res = await app.request(`/t/c/${deliveryToken(t.config.secret, id)}`, {
    headers: { 'x-forwarded-for': address, 'user-agent': BROWSER },
  })
  expect(res.status).toBe(302)
}
const flush = () => Promise.all([t.db, otherDb].map((db) => trackingService(db).recorder.flush()))
const classes = async (id: DeliveryId) =>
  (await listEventsOfDelivery(t.db, id)).map((e) => e.machine_reason ?? 'human')
async function humanClicks() {
  const res = await t.request(
    'GET',
    `/api/stats?scope=campaign&id=${campaign.campaignId}&preset=last_7_days`,
    {
      token: t.a.marketer.token,
    },
  )
  return res.body.totals.clicks as { human: number; raw: number }
}

describe('a burst of clicks split across API processes', () => {
  it('is found by the rollup job before it counts the clicks', async () => {
    const d = await insertDeliveryFixture(t.db, t.a.id, campaign, t.a.employee.id)
    await click(t.app, d, '203.0.113.7')
    await click(other, d, '203.0.113.7')
    await flush()
    // Each process saw one click of a person.
    expect(await classes(d)).toEqual(['human', 'human'])
    await refreshRollups(t.db)
    expect(await classes(d)).toEqual(['burst', 'burst'])
    expect(await humanClicks()).toEqual({ human: 0, raw: 2 })
  })

  it('moves a click counted as a person’s already when its burst shows later', async () => {
    const d = await insertDeliveryFixture(t.db, t.a.id, campaign, t.a.employee.id)
    await click(t.app, d, '203.0.113.8')
    await flush()
    await refreshRollups(t.db)
    expect(await humanClicks()).toEqual({ human: 1, raw: 3 })
    await click(other, d, '203.0.113.8')
    await flush()
    await refreshRollups(t.db)
    expect(await classes(d)).toEqual(['burst', 'burst'])
    expect(await humanClicks()).toEqual({ human: 0, raw: 4 })
  })

  it('leaves clicks a second or more apart, and a marketer’s decision, as they are', async () => {
    const f = statsFixtures(t.db, t.a.id)
    const d = await f.delivery(campaign, t.a.employee.id, {})
    const at = Date.now() - 60_000
    await f.event(d, 'click', new Date(at).toISOString())
    await f.event(d, 'click', new Date(at + 1_000).toISOString())
    const decided = await f.event(d, 'click', new Date(at + 30_000).toISOString())
    await refreshRollups(t.db)
    // The marketer looked at it (machine, then a person's after all): their word stands.
    for (const human of [false, true]) {
      const marked = await t.request('POST', `/api/stats/events/${decided}/classification`, {
        token: t.a.marketer.token,
        json: { human },
      })
      expect(marked.body).toMatchObject({ human })
    }
    await f.event(d, 'click', new Date(at + 30_500).toISOString())
    await refreshRollups(t.db)
    expect(await classes(d.id)).toEqual(['human', 'human', 'human', 'burst'])
    expect(await humanClicks()).toEqual({ human: 3, raw: 8 })
  })
})
