import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import type { DeliveryId } from '../db/schema.ts'
import {
  type CampaignFixture,
  insertCampaignFixture,
  insertDeliveryFixture,
  listEventsOfDelivery,
  PNG,
} from './fixture-queries.ts'
import { trackingService } from './service.ts'
import { deliveryToken } from './token.ts'

const BROWSER =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
// jsonb keeps keys in its own order (medium before source).
const STORED = 'https://acme.example/webinar?ref=sig&utm_medium=email&utm_source=signet'

let t: TestContext
let campaign: CampaignFixture
beforeAll(async () => {
  t = await setupTestApp()
  // Writes happen only when a test flushes, so what a test sees buffered is deterministic.
  trackingService(t.db, { intervalMs: 3_600_000, batchSize: 100_000 })
  campaign = await insertCampaignFixture(t.db, t.a.id)
})
afterAll(async () => {
  await trackingService(t.db).recorder.stop()
  await t.close()
})

const flush = () => trackingService(t.db).recorder.flush()
const newDelivery = (ageMs?: number) => insertDeliveryFixture(t.db, t.a.id, campaign, t.a.employee.id, ageMs)
const token = (id: DeliveryId) => deliveryToken(t.config.secret, id)
const from = (address: string, userAgent = BROWSER) => ({
  headers: { 'x-forwarded-for': address, 'user-agent': userAgent },
})
async function events(id: DeliveryId) {
  await flush()
  return listEventsOfDelivery(t.db, id)
}

const invalid = apiError('not_found', 'This link is not valid.')

/** Every way a token can be wrong, given a genuine one. */
function badTokens(good: string): [string, string][] {
  const raw = Buffer.from(good, 'base64url')
  const flipped = Buffer.from(raw)
  flipped[3] = flipped[3]! ^ 1
  const resigned = deliveryToken('another-secret-that-is-thirty-two-chars!', crypto.randomUUID())
  return [
    ['forged', 'A'.repeat(43)],
    ['truncated', good.slice(0, 42)],
    ['extended', `${good}A`],
    ['altered id', flipped.toString('base64url')],
    ['re-signed with another secret', resigned],
    ['unknown delivery', deliveryToken(t.config.secret, crypto.randomUUID())],
    ['encoded slashes', '%2F%2Fevil.com'],
  ]
}

describe('GET /t/v/:token/:imageVersion', () => {
  it('answers the banner bytes with their type, uncached, and counts one view per hour', async () => {
    const id = await newDelivery()
    const first = await t.app.request(`/t/v/${token(id)}/v1`, from('203.0.113.7'))
    expect(first.status).toBe(200)
    expect(first.headers.get('content-type')).toBe('image/png')
    expect(first.headers.get('cache-control')).toMatch(/no-store/)
    expect(Buffer.from(await first.arrayBuffer())).toEqual(PNG)
    const again = await t.app.request(`/t/v/${token(id)}/v1`, from('203.0.113.7'))
    expect(again.status).toBe(200)
    const rows = await events(id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      workspace_id: t.a.id,
      campaign_id: campaign.campaignId,
      variant_id: campaign.variantId,
      employee_id: t.a.employee.id,
      kind: 'view',
      human: true,
      machine_reason: null,
      proxy: null,
      network: '203.0.113.0/24',
      user_agent: BROWSER,
    })
  })

  it('records the compose window’s preview before the send as machine, and still counts the reader’s view after it', async () => {
    const id = await newDelivery(10_000)
    await t.app.request(`/t/v/${token(id)}/v1`, from('203.0.113.7'))
    const sent = await t.request('POST', `/api/deliveries/${id}/sent`, { token: t.a.employee.token })
    expect(sent.status).toBe(200)
    await t.app.request(`/t/v/${token(id)}/v1`, from('198.51.100.20'))
    const views = (await events(id)).filter((e) => e.kind === 'view')
    expect(views.map((e) => [e.human, e.machine_reason])).toEqual([
      [false, 'before_send'],
      [true, null],
    ])
  })

  it('answers HEAD without counting it', async () => {
    const id = await newDelivery()
    const res = await t.app.request(`/t/v/${token(id)}/v1`, { method: 'HEAD', ...from('203.0.113.7') })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(await events(id)).toEqual([])
  })

  it.each([
    [
      'Gmail',
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      '66.249.84.1',
      true,
      null,
      'gmail',
    ],
    ['Apple privacy prefetch', 'Mozilla/5.0', '17.58.1.2', false, 'apple_privacy_prefetch', 'apple'],
    [
      'a crawler',
      'Googlebot/2.1 (+http://www.google.com/bot.html)',
      '198.51.100.1',
      false,
      'bot_user_agent',
      null,
    ],
  ])('recognises a view through %s', async (_name, userAgent, address, human, reason, proxy) => {
    const id = await newDelivery()
    const res = await t.app.request(`/t/v/${token(id)}/v1`, from(address, userAgent))
    expect(res.status).toBe(200)
    expect(await events(id)).toMatchObject([{ kind: 'view', human, machine_reason: reason, proxy }])
  })

  it('answers 404 in the error shape for a bad token, and records nothing', async () => {
    const id = await newDelivery()
    for (const [name, bad] of badTokens(token(id))) {
      const res = await t.request('GET', `/t/v/${bad}/v1`)
      expect([name, res.status, res.body]).toEqual([name, 404, invalid])
    }
    expect(await events(id)).toEqual([])
  })

  it('still answers the image when events cannot be written, and writes them later', async () => {
    const id = await newDelivery()
    await sql`alter table tracking_event rename to tracking_event_away`.execute(t.db)
    try {
      const res = await t.app.request(`/t/v/${token(id)}/v1`, from('203.0.113.9'))
      expect(res.status).toBe(200)
      expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
      await expect(flush()).rejects.toThrow(/could not be written/)
    } finally {
      await sql`alter table tracking_event_away rename to tracking_event`.execute(t.db)
    }
    expect(await events(id)).toMatchObject([{ kind: 'view', human: true }])
  })
})

describe('GET /t/c/:token', () => {
  it('redirects to the campaign’s stored destination with its UTM parameters and records a click', async () => {
    const id = await newDelivery()
    const res = await t.app.request(`/t/c/${token(id)}`, from('203.0.113.20'))
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toBe(STORED)
    expect(res.headers.get('cache-control')).toMatch(/no-store/)
    expect(await events(id)).toMatchObject([
      { kind: 'click', human: true, machine_reason: null, network: '203.0.113.0/24' },
    ])
  })

  it('sends concurrent clicks on deliveries of different campaigns each to its own destination', async () => {
    // Deliveries missed at the same moment are read together: each answer must stay its own.
    const other = await insertCampaignFixture(t.db, t.a.id, {
      destinationUrl: 'https://other.example/offer',
      utm: { utm_source: 'other' },
    })
    const ids = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 3 === 0 ? insertDeliveryFixture(t.db, t.a.id, other, t.a.employee.id) : newDelivery(),
      ),
    )
    const unknown = deliveryToken(t.config.secret, crypto.randomUUID())
    const [missing, ...answers] = await Promise.all([
      t.app.request(`/t/c/${unknown}`, from('203.0.113.22')),
      ...ids.map((id) => t.app.request(`/t/c/${token(id)}`, from('203.0.113.22'))),
    ])
    expect(missing!.status).toBe(404)
    expect(answers.map((r) => [r.status, r.headers.get('location')])).toEqual(
      ids.map((_, i) => [302, i % 3 === 0 ? 'https://other.example/offer?utm_source=other' : STORED]),
    )
    for (const [i, id] of ids.entries())
      expect(await events(id)).toMatchObject([
        { kind: 'click', campaign_id: i % 3 === 0 ? other.campaignId : campaign.campaignId },
      ])
  })

  const evil = [
    '//evil.com',
    'https://evil.com',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    '%2F%2Fevil.com',
    '%252F%252Fevil.com',
    '/\\evil.com',
    '\\\\evil.com',
    '%5C%5Cevil.com',
    'https:%2F%2Fevil.com',
    'data:text/html,<script>alert(1)</script>',
  ]

  it.each(evil)('ignores %s in every query parameter', async (value) => {
    const id = await newDelivery()
    const q = encodeURIComponent(value)
    for (const name of ['url', 'redirect', 'next', 'to', 'destination', 'u', 'utm_source']) {
      const res = await t.app.request(`/t/c/${token(id)}?${name}=${q}&${name}=${value}`, from('203.0.113.21'))
      expect([name, res.status, res.headers.get('location')]).toEqual([name, 302, STORED])
    }
  })

  it.each(evil)('answers 404 without a redirect for %s in the path', async (value) => {
    const id = await newDelivery()
    for (const path of [`/t/c/${value}`, `/t/c/${token(id)}/${value}`, `/t/c/${token(id)}${value}`]) {
      const res = await t.request('GET', path)
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 404, null])
    }
  })

  it('answers 404 in the error shape for a bad token, and records nothing', async () => {
    const id = await newDelivery()
    for (const [name, bad] of badTokens(token(id))) {
      const res = await t.request('GET', `/t/c/${bad}`)
      expect([name, res.status, res.body, res.headers.get('location')]).toEqual([name, 404, invalid, null])
    }
    expect(await events(id)).toEqual([])
  })

  it('answers 503 without a redirect when the destination cannot be read', async () => {
    const id = await newDelivery()
    await sql`alter table delivery rename to delivery_away`.execute(t.db)
    let res: Awaited<ReturnType<typeof t.request>>
    try {
      res = await t.request('GET', `/t/c/${token(id)}`)
    } finally {
      await sql`alter table delivery_away rename to delivery`.execute(t.db)
    }
    expect(res.status).toBe(503)
    expect(res.body).toEqual(
      apiError('unavailable', 'This link cannot be opened right now. Please try again in a moment.'),
    )
    expect(res.headers.get('location')).toBeNull()
    const later = await t.request('GET', `/t/c/${token(id)}`)
    expect([later.status, later.headers.get('location')]).toEqual([302, STORED])
  })

  it('never redirects to a stored destination that is not http or https', async () => {
    const bad = await insertCampaignFixture(t.db, t.a.id, { destinationUrl: 'javascript:alert(1)' })
    const id = await insertDeliveryFixture(t.db, t.a.id, bad, t.a.employee.id)
    const res = await t.request('GET', `/t/c/${token(id)}`)
    expect(res.status).toBe(404)
    expect(res.headers.get('location')).toBeNull()
  })

  it.each([
    ['a HEAD request', 'HEAD', BROWSER, '198.51.100.30', 'head_request'],
    ['a bot user agent', 'GET', 'curl/8.5.0', '198.51.100.31', 'bot_user_agent'],
    [
      'a link scanner user agent',
      'GET',
      'Mozilla/5.0 Mimecast-URL-Protect',
      '198.51.100.32',
      'scanner_user_agent:mimecast',
    ],
    ['Microsoft’s network', 'GET', BROWSER, '40.107.22.5', 'scanner_network:microsoft'],
    ['Proofpoint’s network', 'GET', BROWSER, '148.163.130.1', 'scanner_network:proofpoint'],
    ['no user agent', 'GET', '', '198.51.100.33', 'no_user_agent'],
  ])('records a click from %s as a machine click', async (_name, method, userAgent, address, reason) => {
    const id = await newDelivery()
    const res = await t.app.request(`/t/c/${token(id)}`, { method, ...from(address, userAgent) })
    expect(res.status).toBe(302)
    expect(await events(id)).toMatchObject([{ kind: 'click', human: false, machine_reason: reason }])
  })

  it('records a click seconds after the send as a machine click', async () => {
    const id = await newDelivery(0)
    await t.app.request(`/t/c/${token(id)}`, from('198.51.100.40'))
    expect(await events(id)).toMatchObject([{ human: false, machine_reason: 'too_soon_after_send' }])
  })

  it('records a burst across one delivery’s links within a second as machine, the first hit included', async () => {
    const id = await newDelivery()
    await t.app.request(`/t/c/${token(id)}`, from('198.51.100.41'))
    await t.app.request(`/t/h/${token(id)}`, from('198.51.100.41'))
    await t.app.request(`/t/c/${token(id)}`, from('198.51.100.42'))
    expect(await events(id)).toMatchObject([
      { kind: 'click', human: false, machine_reason: 'burst' },
      { kind: 'click', human: false, machine_reason: 'honeypot' },
      { kind: 'click', human: false, machine_reason: 'burst' },
    ])
  })
})

describe('GET /t/h/:token', () => {
  it('answers an empty page and records a machine click', async () => {
    const id = await newDelivery()
    const res = await t.request('GET', `/t/h/${token(id)}`, from('198.51.100.50'))
    expect(res.status).toBe(200)
    expect(res.text).toBe('')
    expect(res.headers.get('location')).toBeNull()
    expect(await events(id)).toMatchObject([{ kind: 'click', human: false, machine_reason: 'honeypot' }])
  })

  it('answers 404 for a bad token', async () => {
    const id = await newDelivery()
    for (const [name, bad] of badTokens(token(id))) {
      const res = await t.request('GET', `/t/h/${bad}`)
      expect([name, res.status, res.body]).toEqual([name, 404, invalid])
    }
  })
})

describe('GET /b/:variantId/:imageVersion', () => {
  it('answers the banner without recording anything', async () => {
    const before = await t.db
      .selectFrom('tracking_event')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    const res = await t.app.request(`/b/${campaign.variantId}/${campaign.imageSha.slice(0, 12)}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
    await flush()
    const after = await t.db
      .selectFrom('tracking_event')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    expect(after.n).toBe(before.n)
  })

  it('keeps answering the banner of a deleted campaign: it is in emails already sent', async () => {
    const gone = await insertCampaignFixture(t.db, t.a.id)
    const deleted = await t.request('DELETE', `/api/campaigns/${gone.campaignId}`, {
      token: t.a.marketer.token,
    })
    expect(deleted.status).toBe(204)
    const res = await t.app.request(`/b/${gone.variantId}/${gone.imageSha.slice(0, 12)}`)
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
  })

  it.each([crypto.randomUUID(), 'not-a-uuid', '%2F%2Fevil.com'])(
    'answers 404 for variant %s',
    async (variant) => {
      const res = await t.request('GET', `/b/${variant}/v1`)
      expect(res.status).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'This banner does not exist.'))
    },
  )
})
