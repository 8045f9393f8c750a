import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import { statsFixtures } from '../stats/fixture-queries.ts'
import { refreshRollups } from '../stats/rollup.ts'

/**
 * D1 went to bob@leadcorp.com and someone at gmail.com: clicks 03-01 (human), 03-02 (machine),
 * 03-05 (human). D2 went to othercorp.com, clicked by a scanner only. D3 went to a managed account.
 */
let t: TestContext
let f: ReturnType<typeof statsFixtures>
let d1: Awaited<ReturnType<ReturnType<typeof statsFixtures>['delivery']>>
let campaignId: string
const RANGE = 'preset=custom&from=2026-02-01&to=2026-03-31&tz=UTC'

beforeAll(async () => {
  t = await setupTestApp()
  f = statsFixtures(t.db, t.a.id)
  await f.setTier('identified')
  const campaign = await f.campaign('Webinar')
  campaignId = campaign.campaignId
  const acme = await f.account('acme.example')
  d1 = await f.delivery(campaign, t.a.employee.id, {
    leadDomains: ['leadcorp.com', 'gmail.com'],
    leadEmails: ['bob@leadcorp.com', 'jane@gmail.com'],
  })
  const d2 = await f.delivery(campaign, t.a.employee.id, { leadDomains: ['othercorp.com'] })
  const d3 = await f.delivery(campaign, t.a.employee.id, { accounts: [acme] })
  await f.event(d1, 'sent', '2026-02-28T09:00:00Z')
  await f.event(d1, 'click', '2026-03-01T10:00:00Z')
  await f.event(d1, 'click', '2026-03-02T10:00:00Z', 'bot_user_agent')
  await f.event(d1, 'click', '2026-03-05T10:00:00Z')
  await f.event(d2, 'click', '2026-03-06T10:00:00Z', 'scanner_network:proofpoint')
  await f.event(d3, 'click', '2026-03-07T10:00:00Z')
  await refreshRollups(t.db)
})
afterAll(() => t.close())

const get = (path: string, token = t.a.marketer.token) => t.request('GET', path, { token })

describe('GET /api/leads', () => {
  it('lists domains that clicked, without free mail, managed accounts or machine-only clicks', async () => {
    const res = await get('/api/leads/accounts')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      items: [
        {
          value: 'leadcorp.com',
          clicks: { human: 2, raw: 3 },
          firstClickAt: '2026-03-01T10:00:00.000Z',
          lastClickAt: '2026-03-05T10:00:00.000Z',
          campaigns: [{ id: campaignId, name: 'Webinar' }],
        },
      ],
      nextCursor: null,
    })
    const raw = await get('/api/leads/accounts?includeMachine=true')
    expect(raw.body.items.map((l: { value: string }) => l.value)).toEqual(['othercorp.com', 'leadcorp.com'])
    expect(raw.body.items[1].firstClickAt).toBe('2026-03-01T10:00:00.000Z')
  })

  it('pages with a cursor and exports CSV', async () => {
    const first = await get('/api/leads/accounts?includeMachine=true&limit=1')
    expect(first.body.items.map((l: { value: string }) => l.value)).toEqual(['othercorp.com'])
    const second = await get(
      `/api/leads/accounts?includeMachine=true&limit=1&cursor=${first.body.nextCursor}`,
    )
    expect(second.body).toMatchObject({ items: [{ value: 'leadcorp.com' }], nextCursor: null })
    const csv = await get('/api/leads/accounts?format=csv')
    expect(csv.text.replace('\uFEFF', '').split('\r\n')).toEqual([
      'domain,clicks,clicks (raw),first click,last click,campaigns',
      'leadcorp.com,2,3,2026-03-01T10:00:00.000Z,2026-03-05T10:00:00.000Z,Webinar',
      '',
    ])
    expect((await get('/api/leads/accounts?cursor=nonsense')).body.error.field).toBe('cursor')
    // A cursor of the right form whose date cannot be, or whose domain holds a NUL.
    for (const parts of [
      ['9999-99-99T99:99:99Z', 'x.com'],
      ['2026-02-31T10:00:00.000Z', 'x.com'],
      ['2026-03-01T10:00:00.000Z', 'x\u0000.com'],
    ]) {
      const cursor = Buffer.from(JSON.stringify(parts)).toString('base64url')
      const res = await get(`/api/leads/accounts?cursor=${cursor}`)
      expect(res.status, JSON.stringify(parts)).toBe(422)
      expect(res.body).toEqual(apiError('validation_failed', 'This cursor is not valid.', 'cursor'))
    }
  })

  it.each([
    ['accounts', 'limit=0x10'],
    ['accounts', 'limit=1e2'],
    ['contacts', 'limit=%2B5'],
  ])('answers 422 on the %s leads for %s', async (kind, query) => {
    const res = await get(`/api/leads/${kind}?${query}`)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(
      apiError('validation_failed', 'Use a whole number written in plain digits, such as 50.', 'limit'),
    )
  })

  it('lists email leads, free mail included, only in the identified tier', async () => {
    const res = await get('/api/leads/contacts')
    expect(res.body.items.map((l: { value: string }) => l.value).sort()).toEqual([
      'bob@leadcorp.com',
      'jane@gmail.com',
    ])
    await f.setTier('aggregate')
    expect((await get('/api/leads/contacts')).status).toBe(403)
    await f.setTier('identified')
  })
})

describe('POST /api/leads', () => {
  it('adds a domain lead as an account whose statistics hold the lead’s clicks', async () => {
    const res = await t.request('POST', '/api/leads/accounts', {
      token: t.a.marketer.token,
      json: { domain: 'https://www.leadcorp.com/pricing', name: 'Lead Ltd' },
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ id: expect.any(String), created: true, deliveries: 1 })
    const account = await get(`/api/accounts/${res.body.id}`)
    expect(account.body).toMatchObject({ domain: 'leadcorp.com', name: 'Lead Ltd' })
    const stats = await get(`/api/stats?${RANGE}&scope=account&id=${res.body.id}`)
    expect(stats.body.totals).toMatchObject({ sent: 1, clicks: { human: 2, raw: 3 } })
    expect((await get('/api/leads/accounts')).body.items).toEqual([])

    // A click that comes later counts for the account, and does not bring the lead back.
    await f.event(d1, 'click', '2026-03-20T10:00:00Z')
    await refreshRollups(t.db)
    const later = await get(`/api/stats?${RANGE}&scope=account&id=${res.body.id}`)
    expect(later.body.totals).toMatchObject({ sent: 1, clicks: { human: 3, raw: 4 } })
    expect(
      (await get('/api/leads/accounts?includeMachine=true')).body.items.map(
        (l: { value: string }) => l.value,
      ),
    ).toEqual(['othercorp.com'])
  })

  it('adds an email lead as a contact, or to the contact that has the address by now', async () => {
    // The clicks become a person's history: without consent, refused and nothing changes.
    const refused = await t.request('POST', '/api/leads/contacts', {
      token: t.a.marketer.token,
      json: { email: 'Bob <BOB@leadcorp.com>' },
    })
    expect(refused.body).toEqual(
      apiError(
        'validation_failed',
        'A person’s past clicks are kept only with their consent: say how they consented to be tracked.',
        'consent',
      ),
    )
    expect((await get('/api/contacts?q=leadcorp.com')).body.total).toBe(0)
    expect((await get('/api/leads/contacts')).body.items).toHaveLength(2)

    const res = await t.request('POST', '/api/leads/contacts', {
      token: t.a.marketer.token,
      json: { email: 'Bob <BOB@leadcorp.com>', consent: { method: 'Webinar sign-up form' } },
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({ id: expect.any(String), created: true, deliveries: 1 })
    expect((await get(`/api/contacts/${res.body.id}`)).body.consent).toEqual({
      given: true,
      at: expect.any(String),
      method: 'Webinar sign-up form',
    })
    const stats = await get(`/api/stats?${RANGE}&scope=contact&id=${res.body.id}`)
    expect(stats.body.totals).toMatchObject({ sent: 1, clicks: { human: 3, raw: 4 } })

    const jane = await f.contact('jane@gmail.com')
    const existing = await t.request('POST', '/api/leads/contacts', {
      token: t.a.marketer.token,
      json: { email: 'jane@gmail.com' },
    })
    expect(existing.body).toEqual({ id: jane, created: false, deliveries: 1 })
    expect((await get('/api/leads/contacts')).body.items).toEqual([])
  })

  it('records the consent on a contact that has none, and keeps one on record', async () => {
    const campaign = await f.campaign('Follow-up')
    await f.delivery(campaign, t.a.employee.id, {
      leadDomains: ['kimcorp.com'],
      leadEmails: ['kim@kimcorp.com'],
    })
    const kim = await t.request('POST', '/api/contacts', {
      token: t.a.marketer.token,
      json: { email: 'kim@kimcorp.com' },
    })
    const post = (json: unknown) =>
      t.request('POST', '/api/leads/contacts', { token: t.a.marketer.token, json })
    expect((await post({ email: 'kim@kimcorp.com' })).body.error.field).toBe('consent')
    expect((await post({ email: 'kim@kimcorp.com', consent: { method: ' ' } })).body).toEqual(
      apiError('validation_failed', 'Say how the person consented.', 'consent.method'),
    )
    const res = await post({
      email: 'kim@kimcorp.com',
      consent: { method: 'Asked in person', at: '2026-03-01T09:00:00Z' },
    })
    expect(res.body).toEqual({ id: kim.body.id, created: false, deliveries: 1 })
    expect((await get(`/api/contacts/${kim.body.id}`)).body.consent).toEqual({
      given: true,
      at: '2026-03-01T09:00:00.000Z',
      method: 'Asked in person',
    })
  })

  it('refuses free mail, bad input and the aggregate tier for contacts', async () => {
    const post = (path: string, json: unknown) => t.request('POST', path, { token: t.a.marketer.token, json })
    const gmail = await post('/api/leads/accounts', { domain: 'gmail.com' })
    expect(gmail.status).toBe(422)
    expect(gmail.body.error.field).toBe('domain')
    expect((await post('/api/leads/accounts', {})).body.error.field).toBe('domain')
    expect((await post('/api/leads/accounts', { domain: 'xcorp.com', extra: 1 })).status).toBe(422)
    expect((await post('/api/leads/contacts', { email: 'not an email' })).body).toEqual(
      apiError('validation_failed', 'Enter a valid email address, such as max@acme.com.', 'email'),
    )
    await f.setTier('aggregate')
    expect((await post('/api/leads/contacts', { email: 'x@ycorp.com' })).status).toBe(403)
    await f.setTier('identified')
    expect(
      (
        await t.request('POST', '/api/leads/accounts', {
          token: t.a.employee.token,
          json: { domain: 'xcorp.com' },
        })
      ).status,
    ).toBe(403)
  })

  it('keeps workspaces apart', async () => {
    const b = t.b.marketer.token
    expect((await get('/api/leads/accounts?includeMachine=true', b)).body.items).toEqual([])
    const res = await t.request('POST', '/api/leads/accounts', {
      token: b,
      json: { domain: 'othercorp.com' },
    })
    expect(res.body).toMatchObject({ created: true, deliveries: 0 })
    // A's lead is untouched by B's account of the same domain.
    expect(
      (await get('/api/leads/accounts?includeMachine=true')).body.items.map(
        (l: { value: string }) => l.value,
      ),
    ).toEqual(['othercorp.com'])
  })
})
