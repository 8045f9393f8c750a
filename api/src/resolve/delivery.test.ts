import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import type { DeliveryId } from '../db/schema.ts'
import { verifyDeliveryToken } from '../tracking/token.ts'
import { deliveryWriter } from './deliveries.ts'
import { fixtures } from './fixture-queries.ts'

let t: TestContext
let acme: string
let pat: string

beforeAll(async () => {
  t = await setupTestApp()
  const f = fixtures(t, t.a)
  acme = await f.account('acme.com')
  const hooli = await f.account('hooli.com')
  pat = await f.contact('pat@acme.com', { consent: true, accountId: acme as never })
  await f.contact('noconsent@acme.com', { accountId: acme as never })
  await f.campaign('Webinar Q4', { groups: [await f.group('Key accounts', { accounts: [acme as never] })] })
  await f.campaign('Hooli A/B', { groups: [await f.group('Hooli', { accounts: [hooli] })], variants: 2 })
})
afterAll(() => t.close())

const resolve = (json: unknown, token = t.a.employee.token) =>
  t.request('POST', '/api/resolve', { token, json })
const tier = (trackingTier: string) =>
  t.request('PATCH', '/api/workspace', { token: t.a.admin.token, json: { trackingTier } })
// Deliveries are written in batches after the answer: flush before reading the table.
const deliveries = async () => {
  await deliveryWriter(t.db).flush()
  return t.db.selectFrom('delivery').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()
}
const stored = async (id: string) => {
  await deliveryWriter(t.db).flush()
  return t.db
    .selectFrom('delivery')
    .selectAll()
    .where('id', '=', id as DeliveryId)
    .executeTakeFirstOrThrow()
}

describe('tracked banner', () => {
  it('records a delivery and puts signed URLs into the banner', async () => {
    await tier('aggregate')
    const res = await resolve({ to: ['pat@acme.com', 'someone@newcorp.com'], cc: ['x@gmail.com'] })
    expect(res.body.tracked).toBe(true)
    const row = await stored(res.body.deliveryId)
    expect(row).toMatchObject({
      campaign_id: res.body.campaign.id,
      variant_id: res.body.campaign.variantId,
      employee_id: t.a.employee.id,
      account_ids: [acme],
      // Aggregate tier: no per-person history.
      contact_ids: [],
      lead_domains: ['newcorp.com', 'gmail.com'],
      lead_emails: [],
    })
    const html: string = res.body.signatureHtml
    const token = /https:\/\/signet\.test\/t\/c\/([A-Za-z0-9_-]{43})"/.exec(html)?.[1]
    expect(token && verifyDeliveryToken(t.config.secret, token)).toBe(res.body.deliveryId)
    expect(html).toContain(
      `<a href="https://signet.test/t/c/${token}" target="_blank" rel="noopener"><img src="https://signet.test/t/v/${token}/`,
    )
    expect(html).toMatch(
      new RegExp(
        `<a href="https://signet.test/t/h/${token}" style="display:none[^"]*" aria-hidden="true" tabindex="-1">`,
      ),
    )
    expect(html).toContain('alt="Webinar Q4 banner" width="600" height="100"')
    expect(html).not.toContain('example.com/Webinar')
  })

  it('records consenting contacts and unmanaged emails only in the identified tier', async () => {
    await tier('identified')
    const res = await resolve({ to: ['pat@acme.com', 'noconsent@acme.com', 'lead@acme.com'] })
    const row = await stored(res.body.deliveryId)
    expect(row).toMatchObject({
      account_ids: [acme],
      contact_ids: [pat],
      lead_emails: ['lead@acme.com'],
      lead_domains: [],
    })
  })

  it('serves a click and a sent report made before the delivery’s batch is written', async () => {
    await tier('aggregate')
    const res = await resolve({ to: ['pat@acme.com'] })
    const token = /\/t\/c\/([A-Za-z0-9_-]{43})"/.exec(res.body.signatureHtml)?.[1]
    const click = await t.app.request(`/t/c/${token}`)
    expect(click.status).toBe(302)
    expect(click.headers.get('location')).toBe('https://example.com/Webinar%20Q4?utm_source=signet')
    const sent = await t.request('POST', `/api/deliveries/${res.body.deliveryId}/sent`, {
      token: t.a.employee.token,
    })
    expect(sent.status).toBe(200)
    expect((await stored(res.body.deliveryId)).sent_at).not.toBeNull()
  })

  it('with tracking off shows the plain banner and records nothing', async () => {
    await tier('off')
    const before = await deliveries()
    const res = await resolve({ to: ['pat@acme.com'] })
    expect(res.body).toMatchObject({ tracked: false, deliveryId: null, campaign: { name: 'Webinar Q4' } })
    expect(res.body.explanation).toContain('Tracking is off in this workspace, so the banner is not tracked.')
    expect(res.body.signatureHtml).toContain('href="https://example.com/Webinar%20Q4?utm_source=signet"')
    expect(res.body.signatureHtml).toMatch(/src="https:\/\/signet\.test\/b\/[0-9a-f-]{36}\/[0-9a-f]{16}"/)
    expect(res.body.signatureHtml).not.toContain('/t/')
    expect(await deliveries()).toEqual(before)
  })

  it('changes the image URL when the banner changes', async () => {
    await tier('aggregate')
    const first = await resolve({ to: ['pat@acme.com'] })
    const campaign = await t.request('GET', `/api/campaigns/${first.body.campaign.id}`, {
      token: t.a.marketer.token,
    })
    const { pngImage } = await import('../campaigns/test-images.ts')
    await t.request(
      'PUT',
      `/api/campaigns/${campaign.body.id}/variants/${campaign.body.variants[0].id}/image`,
      {
        token: t.a.marketer.token,
        body: new Uint8Array(pngImage(600, 100, 99)),
        headers: { 'content-type': 'image/png' },
      },
    )
    const second = await resolve({ to: ['pat@acme.com'] })
    const version = (html: string) => /\/t\/v\/[^/]+\/([0-9a-f]{16})"/.exec(html)?.[1]
    expect(version(second.body.signatureHtml)).toMatch(/^[0-9a-f]{16}$/)
    expect(version(second.body.signatureHtml)).not.toBe(version(first.body.signatureHtml))
  })
})

describe('A/B variants', () => {
  it('gives a recipient always the same variant, and spreads recipients over both', async () => {
    await tier('aggregate')
    const seen = new Map<string, string>()
    for (let i = 0; i < 40; i++) {
      const email = `person${i}@hooli.com`
      const a = await resolve({ to: [email] })
      const b = await resolve({ to: [email], cc: ['someone@elsewhere.com'] })
      expect(b.body.campaign.variantId).toBe(a.body.campaign.variantId)
      seen.set(email, a.body.campaign.variantId)
    }
    expect(new Set(seen.values()).size).toBe(2)
  })
})

describe('POST /api/simulate', () => {
  it('decides like resolve for any employee but records no delivery', async () => {
    await tier('aggregate')
    const before = await deliveries()
    const res = await t.request('POST', '/api/simulate', {
      token: t.a.marketer.token,
      json: { employeeId: t.a.employee.id, to: ['pat@acme.com'] },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ campaign: { name: 'Webinar Q4' }, tracked: true, deliveryId: null })
    expect(res.body.signatureHtml).not.toContain('/t/')
    expect(await deliveries()).toEqual(before)
  })

  it('is not for employees', async () => {
    const res = await t.request('POST', '/api/simulate', {
      token: t.a.employee.token,
      json: { employeeId: t.a.employee.id, to: [] },
    })
    expect(res.status).toBe(403)
  })

  it('does not simulate an employee of another workspace', async () => {
    const res = await t.request('POST', '/api/simulate', {
      token: t.b.marketer.token,
      json: { employeeId: t.a.employee.id, to: ['pat@acme.com'] },
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', 'There is no such employee.', 'employeeId'))
  })
})

describe('isolation and bad input', () => {
  it('never serves another workspace’s campaigns or targets', async () => {
    const res = await resolve({ to: ['pat@acme.com'] }, t.b.employee.token)
    expect(res.body).toMatchObject({ campaign: null, deliveryId: null })
    expect(res.body.recipients[0]).toMatchObject({ accountId: null, contactId: null, matches: [] })
  })

  it.each([
    [{ to: 'pat@acme.com' }, 'to', 'Expected a list, got a string.'],
    [{ to: [5] }, 'to.0', 'Expected a string, got a number.'],
    [{ cc: Array.from({ length: 501 }, (_, i) => `x${i}@acme.com`) }, 'cc', 'Give at most 500 items.'],
    [{ to: ['x'.repeat(401)] }, 'to.0', 'Use at most 400 characters.'],
    [{ client: 'thunderbird' }, 'client', 'Choose one of: gmail, outlook, dashboard, other.'],
  ])('answers 422 for %j and records nothing', async (json, field, message) => {
    const before = await deliveries()
    const res = await resolve(json)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    expect(await deliveries()).toEqual(before)
  })

  it('needs a token', async () => {
    expect((await t.request('POST', '/api/resolve', { json: { to: [] } })).status).toBe(401)
  })
})
