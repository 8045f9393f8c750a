import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import type { DeliveryId } from '../db/schema.ts'
import {
  type CampaignFixture,
  insertCampaignFixture,
  insertDeliveryFixture,
  listEventsOfDelivery,
} from '../tracking/fixture-queries.ts'

let t: TestContext
let campaign: CampaignFixture
beforeAll(async () => {
  t = await setupTestApp()
  campaign = await insertCampaignFixture(t.db, t.a.id)
})
afterAll(() => t.close())

const health = {
  client: 'gmail',
  extensionVersion: '1.2.3',
  insertions: 12,
  detectionFailures: 1,
  lastError: 'compose body not found',
}

describe('GET /api/extension/config', () => {
  it('answers the workspace’s extension settings, changed by an admin', async () => {
    const before = await t.request('GET', '/api/extension/config', { token: t.a.employee.token })
    expect(before.status).toBe(200)
    expect(before.body).toEqual({ disabledFeatures: [], clientSignature: 'keep', resolveDebounceMs: 150 })
    await t.request('PATCH', '/api/workspace', {
      token: t.a.admin.token,
      json: { disabledFeatures: ['outlook'], clientSignature: 'replace' },
    })
    const after = await t.request('GET', '/api/extension/config', { token: t.a.employee.token })
    expect(after.body).toEqual({
      disabledFeatures: ['outlook'],
      clientSignature: 'replace',
      resolveDebounceMs: 150,
    })
    const b = await t.request('GET', '/api/extension/config', { token: t.b.employee.token })
    expect(b.body).toEqual({ disabledFeatures: [], clientSignature: 'keep', resolveDebounceMs: 150 })
  })

  it('needs a signed-in user', async () => {
    const res = await t.request('GET', '/api/extension/config')
    expect(res.status).toBe(401)
  })
})

describe('POST /api/extension/health', () => {
  it('keeps the latest report per user and client, visible to the workspace’s marketers only', async () => {
    for (const insertions of [5, 12]) {
      const res = await t.request('POST', '/api/extension/health', {
        token: t.a.employee.token,
        json: { ...health, insertions },
      })
      expect(res.status).toBe(204)
    }
    await t.request('POST', '/api/extension/health', {
      token: t.a.employee.token,
      json: { ...health, client: 'outlook', lastError: undefined },
    })
    const list = await t.request('GET', '/api/extension/health', { token: t.a.marketer.token })
    expect(list.status).toBe(200)
    expect(list.body).toHaveLength(2)
    expect(list.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          email: t.a.employee.email,
          client: 'gmail',
          insertions: 12,
          lastError: health.lastError,
        }),
        expect.objectContaining({ email: t.a.employee.email, client: 'outlook', lastError: null }),
      ]),
    )
    const b = await t.request('GET', '/api/extension/health', { token: t.b.marketer.token })
    expect(b.body).toEqual([])
    const employee = await t.request('GET', '/api/extension/health', { token: t.a.employee.token })
    expect(employee.status).toBe(403)
  })

  it.each([
    [{ ...health, client: 'thunderbird' }, 'client', 'Choose one of: gmail, outlook.'],
    [{ ...health, insertions: -1 }, 'insertions', /./],
    [{ ...health, extensionVersion: 'x'.repeat(41) }, 'extensionVersion', /./],
    [{ ...health, lastError: 'x'.repeat(501) }, 'lastError', /./],
    [{ client: 'gmail' }, 'extensionVersion', 'This field is required.'],
  ])('answers 422 for %j and stores nothing', async (json, field, message) => {
    const res = await t.request('POST', '/api/extension/health', { token: t.b.employee.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const list = await t.request('GET', '/api/extension/health', { token: t.b.marketer.token })
    expect(list.body).toEqual([])
  })
})

describe('POST /api/deliveries/:id/sent', () => {
  const deliveryOf = (employee = t.a.employee.id) => insertDeliveryFixture(t.db, t.a.id, campaign, employee)
  const sentAt = async (id: DeliveryId) =>
    (await t.db.selectFrom('delivery').select('sent_at').where('id', '=', id).executeTakeFirstOrThrow())
      .sent_at

  it('records the send time and one sent event, once', async () => {
    const id = await deliveryOf()
    const first = await t.request('POST', `/api/deliveries/${id}/sent`, { token: t.a.employee.token })
    expect(first.status).toBe(200)
    expect(first.body).toEqual({ deliveryId: id, sentAt: expect.any(String) })
    const again = await t.request('POST', `/api/deliveries/${id}/sent`, { token: t.a.employee.token })
    expect(again.body).toEqual(first.body)
    expect((await sentAt(id))?.toISOString()).toBe(first.body.sentAt)
    expect(await listEventsOfDelivery(t.db, id)).toMatchObject([
      { kind: 'sent', human: true, employee_id: t.a.employee.id, campaign_id: campaign.campaignId },
    ])
  })

  it.each([
    ['another workspace’s employee', () => t.b.employee.token],
    ['another employee of the workspace', () => t.a.marketer.token],
  ])('answers 404 to %s and changes nothing', async (_name, token) => {
    const id = await deliveryOf()
    const res = await t.request('POST', `/api/deliveries/${id}/sent`, { token: token() })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'Delivery not found.'))
    expect(await sentAt(id)).toBeNull()
    expect(await listEventsOfDelivery(t.db, id)).toEqual([])
  })

  it('answers 404 for an unknown delivery and 422 for a malformed id', async () => {
    const unknown = await t.request('POST', `/api/deliveries/${crypto.randomUUID()}/sent`, {
      token: t.a.employee.token,
    })
    expect(unknown.status).toBe(404)
    const bad = await t.request('POST', '/api/deliveries/not-an-id/sent', { token: t.a.employee.token })
    expect(bad.status).toBe(422)
    expect(bad.body).toEqual(apiError('validation_failed', /./, 'id'))
  })
})
