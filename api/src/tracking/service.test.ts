import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase } from '../../test/helpers.ts'
import type { DeliveryId, UserId, WorkspaceId } from '../db/schema.ts'
import { insertWorkspace } from '../workspace/queries.ts'
import type { TrackingRequest } from './classify.ts'
import {
  type CampaignFixture,
  insertCampaignFixture,
  insertDeliveryFixture,
  listEventsOfDelivery,
} from './fixture-queries.ts'
import { destinationWithUtm, TrackingService } from './service.ts'

let database: Awaited<ReturnType<typeof openTestDatabase>>
let workspaceId: WorkspaceId
let campaign: CampaignFixture
beforeAll(async () => {
  database = await openTestDatabase()
  workspaceId = (await insertWorkspace(database.db, 'Service')).id
  campaign = await insertCampaignFixture(database.db, workspaceId)
})
afterAll(() => database.close())

const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
const view = (at: Date): TrackingRequest => ({
  kind: 'view',
  method: 'GET',
  userAgent: BROWSER,
  address: '198.51.100.9',
  at,
})
const process = () => new TrackingService(database.db, { intervalMs: 3_600_000, log: () => {} })

describe('TrackingService', () => {
  it('counts one view per delivery and hour across API processes', async () => {
    const id: DeliveryId = await insertDeliveryFixture(
      database.db,
      workspaceId,
      campaign,
      null as unknown as UserId,
      // Made three hours ago, its send report lost: its views count.
      3 * 3_600_000,
    )
    const [one, two] = [process(), process()]
    const delivery = (await one.delivery(id))!
    const t0 = Date.now() - 2 * 3_600_000
    one.record(delivery, view(new Date(t0)))
    one.record(delivery, view(new Date(t0 + 60_000)))
    await one.recorder.flush()
    two.record(delivery, view(new Date(t0 + 120_000)))
    await two.recorder.flush()
    two.record(delivery, view(new Date(t0 + 3_730_000)))
    await two.recorder.flush()
    const rows = await listEventsOfDelivery(database.db, id)
    expect(rows.map((r) => r.occurred_at.getTime())).toEqual([t0, t0 + 3_730_000])
    await Promise.all([one.recorder.stop(), two.recorder.stop()])
  })
})

describe('destinationWithUtm', () => {
  it.each([
    [
      'https://acme.example/x',
      { utm_source: 'signet', medium: 'email' },
      'https://acme.example/x?utm_source=signet&utm_medium=email',
    ],
    [
      'https://acme.example/x?utm_source=old#top',
      { utm_source: 'new' },
      'https://acme.example/x?utm_source=new#top',
    ],
    ['https://acme.example/x', { 'utm_x&evil': 'y', empty: '', n: 3 }, 'https://acme.example/x'],
    ['http://acme.example/', {}, 'http://acme.example/'],
    ['javascript:alert(1)', {}, undefined],
    ['//evil.com', {}, undefined],
    ['data:text/html,x', {}, undefined],
    ['not a url', {}, undefined],
  ])('%s with %j → %s', (url, utm, expected) => {
    expect(destinationWithUtm(url, utm)).toBe(expected)
  })
})
