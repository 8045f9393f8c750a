import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import type { DeliveryId, WorkspaceId } from '../db/schema.ts'
import { refreshRollups } from '../stats/rollup.ts'
import { NETWORK_BURST_DELIVERIES } from './classify.ts'
import {
  BROWSER,
  type CampaignFixture,
  insertCampaignFixture,
  insertDeliveryFixture,
  listEventsOfDelivery,
} from './fixture-queries.ts'
import { trackingService } from './service.ts'
import { deliveryToken } from './token.ts'

let t: TestContext
let campaigns: Record<'a' | 'b', CampaignFixture>
beforeAll(async () => {
  t = await setupTestApp()
  // Writes happen only when a test flushes, so what is buffered and what is written is the test's choice.
  trackingService(t.db, { intervalMs: 3_600_000, batchSize: 100_000 })
  campaigns = {
    a: await insertCampaignFixture(t.db, t.a.id),
    b: await insertCampaignFixture(t.db, t.b.id),
  }
})
afterAll(async () => {
  await trackingService(t.db).recorder.stop()
  await t.close()
})

/** Each test clicks from its own public network, so the windows of earlier tests play no part. */
let net = 0
let prefix = ''
beforeEach(() => {
  net++
  prefix = `81.2.${net}`
})

const service = () => trackingService(t.db)
const newDelivery = (ws: 'a' | 'b' = 'a') =>
  insertDeliveryFixture(t.db, t[ws].id as WorkspaceId, campaigns[ws], t[ws].employee.id)
async function click(id: DeliveryId, address: string) {
  const res = await t.app.request(`/t/c/${deliveryToken(t.config.secret, id)}`, {
    headers: { 'x-forwarded-for': address, 'user-agent': BROWSER },
  })
  expect(res.status).toBe(302)
}
async function classes(ids: DeliveryId[]) {
  await service().settled()
  await service().recorder.flush()
  const rows = await Promise.all(ids.map((id) => listEventsOfDelivery(t.db, id)))
  return rows.flat().map((e) => e.machine_reason ?? 'human')
}
async function deliveries(n: number, ws: 'a' | 'b' = 'a') {
  const ids: DeliveryId[] = []
  for (let i = 0; i < n; i++) ids.push(await newDelivery(ws))
  return ids
}

describe('clicks from one network on many emails at once', () => {
  it(`are machine from the ${NETWORK_BURST_DELIVERIES}th email on, the earlier ones still buffered included`, async () => {
    const ids = await deliveries(NETWORK_BURST_DELIVERIES + 1)
    for (const [i, id] of ids.entries()) await click(id, `${prefix}.${10 + i}`)
    expect(await classes(ids)).toEqual(Array(ids.length).fill('network_burst'))
  })

  it('stay human below the threshold, and across networks', async () => {
    const ids = await deliveries(NETWORK_BURST_DELIVERIES)
    for (const [i, id] of ids.slice(0, -1).entries()) await click(id, `${prefix}.${i + 1}`)
    await click(ids.at(-1)!, '81.3.1.1')
    expect(await classes(ids)).toEqual(Array(ids.length).fill('human'))
  })

  it('count different emails, not repeated clicks on one', async () => {
    const [one, two] = await deliveries(2)
    // Seconds apart in reality; the per-delivery burst is not what is tested here.
    for (let i = 0; i < NETWORK_BURST_DELIVERIES + 2; i++) await click(i % 2 ? one! : two!, `${prefix}.7`)
    const reasons = await classes([one!, two!])
    expect(reasons).not.toContain('network_burst')
  })

  it('ignore addresses that name no public network (private, loopback, documentation)', async () => {
    for (const base of ['10.1.2', '192.168.0', '127.0.0', '198.51.100']) {
      const ids = await deliveries(NETWORK_BURST_DELIVERIES + 1)
      for (const [i, id] of ids.entries()) await click(id, `${base}.${i + 1}`)
      expect(await classes(ids), base).toEqual(Array(ids.length).fill('human'))
    }
  })

  it('are counted per workspace: another workspace’s clicks from the same network change nothing', async () => {
    const half = Math.ceil(NETWORK_BURST_DELIVERIES / 2)
    const a = await deliveries(NETWORK_BURST_DELIVERIES - 1)
    const b = await deliveries(half, 'b')
    for (const [i, id] of [...a, ...b].entries()) await click(id, `${prefix}.${i + 1}`)
    expect(await classes([...a, ...b])).toEqual(Array(a.length + b.length).fill('human'))
  })

  it('correct clicks already written and counted, in the statistics too', async () => {
    const ids = await deliveries(NETWORK_BURST_DELIVERIES)
    const stats = async () => {
      await refreshRollups(t.db)
      const res = await t.request(
        'GET',
        `/api/stats?scope=campaign&id=${campaigns.a.campaignId}&preset=last_7_days`,
        { token: t.a.marketer.token },
      )
      expect(res.status).toBe(200)
      return res.body.totals.clicks as { human: number; raw: number }
    }
    const before = await stats()
    for (const [i, id] of ids.slice(0, -1).entries()) await click(id, `${prefix}.${i + 1}`)
    await service().recorder.flush()
    expect(await stats()).toEqual({ human: before.human + ids.length - 1, raw: before.raw + ids.length - 1 })

    await click(ids.at(-1)!, `${prefix}.99`)
    expect(await classes(ids)).toEqual(Array(ids.length).fill('network_burst'))
    expect(await stats()).toEqual({ human: before.human, raw: before.raw + ids.length })
  })
})
