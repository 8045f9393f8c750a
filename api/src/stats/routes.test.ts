import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import type { AccountId, ContactId } from '../db/schema.ts'
import { statsFixtures } from './fixture-queries.ts'
import { rebuildRollups, refreshRollups } from './rollup.ts'

/**
 * Every figure checked against a small hand-built event set. Europe/Berlin is UTC+1 in March
 * 2026, so the Berlin day 2026-03-10 is [03-09 23:00Z, 03-10 23:00Z).
 *
 *   D1 campaign C1, employee E, account acme, contact alice
 *      sent 03-09 23:30Z, view 03-10 10:00Z, click 10:05Z, machine click 10:05:01Z, click 02-01
 *   D2 C1, E, account beta: sent 03-10 22:30Z, machine view 22:40Z
 *   D3 C2, M, accounts acme + beta: sent 03-10 23:10Z (Berlin 03-11), click 03-11 08:00Z
 *   D4 C2, E, lead domains lead.example + gmail.com, lead email bob@lead.example:
 *      sent 03-11 08:59Z, click 09:00Z, machine click 09:00:00.5Z
 */
let t: TestContext
let ids: {
  c1: string
  v1: string
  c2: string
  acme: AccountId
  beta: AccountId
  alice: ContactId
  group: string
  machineClick: string
  d2: Awaited<ReturnType<ReturnType<typeof statsFixtures>['delivery']>>
}

const WHOLE = 'preset=custom&from=2026-01-15&to=2026-03-20&tz=Europe/Berlin'
const DAY = 'preset=custom&from=2026-03-10&to=2026-03-10&tz=Europe/Berlin'

beforeAll(async () => {
  t = await setupTestApp()
  const f = statsFixtures(t.db, t.a.id)
  await f.setTier('identified')
  const c1 = await f.campaign('Webinar')
  const c2 = await f.campaign('Trade fair')
  const acme = await f.account('acme.example', 'Acme')
  const beta = await f.account('beta.example', 'Beta')
  const alice = await f.contact('alice@acme.example', acme)
  const group = await f.group('Key accounts', [acme])
  const E = t.a.employee.id
  const M = t.a.marketer.id
  const d1 = await f.delivery(c1, E, { accounts: [acme], contacts: [alice] })
  const d2 = await f.delivery(c1, E, { accounts: [beta] })
  const d3 = await f.delivery(c2, M, { accounts: [acme, beta] })
  const d4 = await f.delivery(c2, E, {
    leadDomains: ['lead.example', 'gmail.com'],
    leadEmails: ['bob@lead.example'],
  })
  await f.event(d1, 'sent', '2026-03-09T23:30:00Z')
  await f.event(d1, 'view', '2026-03-10T10:00:00Z')
  await f.event(d1, 'click', '2026-03-10T10:05:00Z')
  const machineClick = await f.event(d1, 'click', '2026-03-10T10:05:01Z', 'scanner_network:microsoft')
  await f.event(d1, 'click', '2026-02-01T12:00:00Z')
  await f.event(d2, 'sent', '2026-03-10T22:30:00Z')
  await f.event(d2, 'view', '2026-03-10T22:40:00Z', 'apple_privacy_prefetch')
  await f.event(d3, 'sent', '2026-03-10T23:10:00Z')
  await f.event(d3, 'click', '2026-03-11T08:00:00Z')
  await f.event(d4, 'sent', '2026-03-11T08:59:00Z')
  await f.event(d4, 'click', '2026-03-11T09:00:00Z')
  // The hidden link, followed more than a second after the click: no burst of the two.
  await f.event(d4, 'click', '2026-03-11T09:00:01.500Z', 'honeypot')
  // Workspace B has its own campaign and events, which A never sees.
  const fb = statsFixtures(t.db, t.b.id)
  const cb = await fb.campaign('B only')
  const db1 = await fb.delivery(cb, t.b.employee.id, {})
  await fb.event(db1, 'click', '2026-03-10T10:00:00Z')
  await refreshRollups(t.db)
  ids = { c1: c1.campaignId, v1: c1.variantId, c2: c2.campaignId, acme, beta, alice, group, machineClick, d2 }
})
afterAll(() => t.close())

const get = (path: string, token = t.a.marketer.token) => t.request('GET', path, { token })
const plain = (sent: number, views: [number, number], clicks: [number, number]) => ({
  sent,
  views: { human: views[0], raw: views[1] },
  clicks: { human: clicks[0], raw: clicks[1] },
})
const counts = (sent: number, views: [number, number], clicks: [number, number]) =>
  expect.objectContaining(plain(sent, views, clicks))

describe('GET /api/stats', () => {
  it('counts the workspace over a long range, machine events in raw only', async () => {
    const res = await get(`/api/stats?${WHOLE}`)
    expect(res.status).toBe(200)
    expect(res.body.totals).toEqual(counts(4, [1, 2], [4, 6]))
    expect(res.body.totals.clickRate).toEqual({ human: 1, raw: 1.5 })
    expect(res.body.totals.viewClickRate).toEqual({ human: 4, raw: 3 })
    expect(res.body.totals.accounts).toEqual({ reached: 2, clicked: { human: 2, raw: 2 } })
    expect(res.body.totals.contacts).toEqual({ reached: 1, clicked: { human: 1, raw: 1 } })
    expect(res.body.range).toEqual({
      from: '2026-01-14T23:00:00.000Z',
      to: '2026-03-20T23:00:00.000Z',
      tz: 'Europe/Berlin',
      interval: 'day',
    })
    expect(res.body.series).toHaveLength(65)
    const day = (d: string) => res.body.series.find((s: { at: string }) => s.at === d)
    expect(day('2026-01-31T23:00:00.000Z')).toEqual(counts(0, [0, 0], [1, 1]))
    expect(day('2026-03-09T23:00:00.000Z')).toEqual(counts(2, [1, 2], [1, 2]))
    expect(day('2026-03-10T23:00:00.000Z')).toEqual(counts(2, [0, 0], [2, 3]))
  })

  it('cuts days at the requested time zone, hourly under a week', async () => {
    const berlin = await get(`/api/stats?${DAY}`)
    expect(berlin.body.totals).toEqual(counts(2, [1, 2], [1, 2]))
    expect(berlin.body.range.interval).toBe('hour')
    expect(berlin.body.series).toHaveLength(24)
    expect(berlin.body.series[0]).toEqual(
      expect.objectContaining({ at: '2026-03-09T23:00:00.000Z', ...plain(1, [0, 0], [0, 0]) }),
    )
    const utc = await get('/api/stats?preset=custom&from=2026-03-10&to=2026-03-10&tz=UTC')
    // D1's send falls on 03-09 in UTC, D3's on 03-10.
    expect(utc.body.totals).toEqual(counts(2, [1, 2], [1, 2]))
    expect(utc.body.series[23]).toEqual(
      expect.objectContaining({ at: '2026-03-10T23:00:00.000Z', ...plain(1, [0, 0], [0, 0]) }),
    )
    expect(utc.body.totals.accounts).toEqual({ reached: 2, clicked: { human: 1, raw: 1 } })
  })

  it('is exact in a zone whose days do not start on the hour', async () => {
    // Asia/Kolkata is UTC+5:30: its 2026-03-11 is [03-10 18:30Z, 03-11 18:30Z).
    const res = await get('/api/stats?preset=custom&from=2026-03-11&to=2026-03-11&tz=Asia/Kolkata')
    expect(res.body.totals).toEqual(counts(3, [0, 1], [2, 3]))
    expect(res.body.series[0].at).toBe('2026-03-10T18:30:00.000Z')
    expect(res.body.series[4]).toEqual(
      expect.objectContaining({ at: '2026-03-10T22:30:00.000Z', ...plain(2, [0, 1], [0, 0]) }),
    )
  })

  it('scopes to a campaign, a variant, an employee, an account and a contact', async () => {
    const c1 = await get(`/api/stats?${WHOLE}&scope=campaign&id=${ids.c1}`)
    expect(c1.body.totals).toEqual(counts(2, [1, 2], [2, 3]))
    expect(c1.body.totals.accounts).toEqual({ reached: 2, clicked: { human: 1, raw: 1 } })
    const v1 = await get(`/api/stats?${WHOLE}&scope=variant&id=${ids.v1}`)
    expect(v1.body.totals).toEqual(counts(2, [1, 2], [2, 3]))
    const employee = await get(`/api/stats?${WHOLE}&scope=employee&id=${t.a.employee.id}`)
    expect(employee.body.totals).toEqual(counts(3, [1, 2], [3, 5]))
    expect(employee.body.totals.accounts).toEqual({ reached: 2, clicked: { human: 1, raw: 1 } })
    const acme = await get(`/api/stats?${WHOLE}&scope=account&id=${ids.acme}`)
    expect(acme.body.totals).toEqual(counts(2, [1, 1], [3, 4]))
    expect(acme.body.totals.accounts).toBeNull()
    expect(acme.body.totals.contacts).toEqual({ reached: 1, clicked: { human: 1, raw: 1 } })
    const alice = await get(`/api/stats?${WHOLE}&scope=contact&id=${ids.alice}`)
    expect(alice.body.totals).toEqual(counts(1, [1, 1], [2, 3]))
  })

  it('keeps an account’s statistics when it leaves its target group', async () => {
    const before = await get(`/api/stats?${WHOLE}&scope=target_group&id=${ids.group}`)
    expect(before.body.totals).toEqual(counts(2, [1, 1], [3, 4]))
    await statsFixtures(t.db, t.a.id).removeFromGroup(ids.group, ids.acme)
    const after = await get(`/api/stats?${WHOLE}&scope=target_group&id=${ids.group}`)
    expect(after.body.totals).toEqual(counts(0, [0, 0], [0, 0]))
    const acme = await get(`/api/stats?${WHOLE}&scope=account&id=${ids.acme}`)
    expect(acme.body.totals).toEqual(counts(2, [1, 1], [3, 4]))
  })

  it('answers the series as CSV', async () => {
    const res = await get(`/api/stats?${DAY}&format=csv`)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const lines = res.text.replace('\uFEFF', '').trim().split('\r\n')
    expect(lines[0]).toBe('from,sent,views,views (raw),clicks,clicks (raw),click rate,click rate (raw)')
    expect(lines).toHaveLength(25)
    expect(lines[1]).toBe('2026-03-09T23:00:00.000Z,1,0,0,0,0,0,0')
  })
})

describe('GET /api/stats/breakdown', () => {
  it('ranks accounts, campaigns and employees by human clicks', async () => {
    const accounts = await get(`/api/stats/breakdown?${WHOLE}&by=accounts`)
    expect(accounts.body.rows.map((r: { name: string }) => r.name)).toEqual([
      'Acme (acme.example)',
      'Beta (beta.example)',
    ])
    expect(accounts.body.rows[0]).toEqual(
      expect.objectContaining({ id: ids.acme, ...plain(2, [1, 1], [3, 4]) }),
    )
    expect(accounts.body.rows[1]).toEqual(counts(2, [0, 1], [1, 1]))
    const campaigns = await get(`/api/stats/breakdown?${WHOLE}&by=campaigns`)
    expect(campaigns.body.rows.map((r: { id: string }) => r.id)).toEqual([ids.c1, ids.c2])
    expect(campaigns.body.rows[1]).toEqual(counts(2, [0, 0], [2, 3]))
    const employees = await get(`/api/stats/breakdown?${WHOLE}&by=employees`)
    expect(employees.body.rows.map((r: { id: string }) => r.id)).toEqual([t.a.employee.id, t.a.marketer.id])
  })

  it('ranks within a scope: the accounts of a campaign, the campaigns of an account', async () => {
    const ofCampaign = await get(`/api/stats/breakdown?${WHOLE}&by=accounts&scope=campaign&id=${ids.c2}`)
    expect(ofCampaign.body.rows).toHaveLength(2)
    expect(ofCampaign.body.rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: ids.acme, ...plain(1, [0, 0], [1, 1]) }),
        expect.objectContaining({ id: ids.beta, ...plain(1, [0, 0], [1, 1]) }),
      ]),
    )
    const ofAccount = await get(`/api/stats/breakdown?${WHOLE}&by=campaigns&scope=account&id=${ids.acme}`)
    expect(ofAccount.body.rows).toEqual([
      expect.objectContaining({ id: ids.c1, name: 'Webinar', ...plain(1, [1, 1], [2, 3]) }),
      expect.objectContaining({ id: ids.c2, name: 'Trade fair', ...plain(1, [0, 0], [1, 1]) }),
    ])
    // A Berlin day: the campaigns' day and hour rollups and the raw edges agree.
    const day = await get(`/api/stats/breakdown?${DAY}&by=accounts&scope=campaign&id=${ids.c1}`)
    expect(day.body.rows).toEqual([
      expect.objectContaining({ id: ids.acme, ...plain(1, [1, 1], [1, 2]) }),
      expect.objectContaining({ id: ids.beta, ...plain(1, [0, 1], [0, 0]) }),
    ])
  })

  it('exports a breakdown as formula-safe CSV', async () => {
    await t.db.updateTable('account').set({ name: '=HYPERLINK("x")' }).where('id', '=', ids.beta).execute()
    const res = await get(`/api/stats/breakdown?${WHOLE}&by=accounts&format=csv`)
    expect(res.text).toContain(`${ids.beta},"'=HYPERLINK(""x"") (beta.example)",2,0,1,1,1,0.5,0.5`)
  })
})

describe('machine events', () => {
  it('lists machine events with their reason, and a marketer can re-classify one', async () => {
    const list = await get(`/api/stats/events?${WHOLE}`)
    expect(list.body.items.map((e: { machineReason: string }) => e.machineReason)).toEqual([
      'honeypot',
      'apple_privacy_prefetch',
      'scanner_network:microsoft',
    ])
    expect(list.body.items[2].reasonText).toBe(
      'Came from the network of a mail security scanner (Microsoft).',
    )

    const res = await t.request('POST', `/api/stats/events/${ids.machineClick}/classification`, {
      token: t.a.marketer.token,
      json: { human: true },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      human: true,
      machineReason: null,
      originalReason: 'scanner_network:microsoft',
    })
    const ws = await get(`/api/stats?${WHOLE}`)
    expect(ws.body.totals).toEqual(counts(4, [1, 2], [5, 6]))
    const acme = await get(`/api/stats?${DAY}&scope=account&id=${ids.acme}`)
    expect(acme.body.totals).toEqual(counts(1, [1, 1], [2, 2]))

    const back = await t.request('POST', `/api/stats/events/${ids.machineClick}/classification`, {
      token: t.a.marketer.token,
      json: { human: false },
    })
    expect(back.body).toMatchObject({ human: false, machineReason: 'scanner_network:microsoft' })
    expect((await get(`/api/stats?${WHOLE}`)).body.totals).toEqual(counts(4, [1, 2], [4, 6]))
    expect((await get(`/api/stats?${DAY}&scope=account&id=${ids.acme}`)).body.totals).toEqual(
      counts(1, [1, 1], [1, 2]),
    )
  })

  it('re-classifies an event still waiting for the rollups without counting it twice', async () => {
    const f = statsFixtures(t.db, t.a.id)
    const id = await f.event(ids.d2, 'click', '2026-01-20T10:00:00Z', 'bot_user_agent')
    await t.request('POST', `/api/stats/events/${id}/classification`, {
      token: t.a.marketer.token,
      json: { human: true },
    })
    await refreshRollups(t.db)
    const day = await get('/api/stats?preset=custom&from=2026-01-20&to=2026-01-20&tz=UTC')
    expect(day.body.totals).toEqual(counts(0, [0, 0], [1, 1]))
  })
})

describe('last clicks', () => {
  it('lists an account’s latest human clicks with campaign and employee', async () => {
    const res = await get(`/api/stats/last-clicks?scope=account&id=${ids.acme}`)
    expect(res.body.items.map((i: { at: string }) => i.at)).toEqual([
      '2026-03-11T08:00:00.000Z',
      '2026-03-10T10:05:00.000Z',
      '2026-02-01T12:00:00.000Z',
    ])
    expect(res.body.items[0]).toMatchObject({
      campaign: { id: ids.c2, name: 'Trade fair' },
      employee: { id: t.a.marketer.id },
    })
  })
})

describe('isolation and input', () => {
  it('gives another workspace 404 for every id of this one, and its own figures only', async () => {
    const b = t.b.marketer.token
    for (const [scope, id] of [
      ['campaign', ids.c1],
      ['variant', ids.v1],
      ['account', ids.acme],
      ['contact', ids.alice],
      ['employee', t.a.employee.id],
      ['target_group', ids.group],
    ]) {
      const res = await get(`/api/stats?${WHOLE}&scope=${scope}&id=${id}`, b)
      expect(res.status, scope).toBe(404)
    }
    expect((await get(`/api/stats/last-clicks?scope=account&id=${ids.acme}`, b)).status).toBe(404)
    const reclassify = await t.request('POST', `/api/stats/events/${ids.machineClick}/classification`, {
      token: b,
      json: { human: true },
    })
    expect(reclassify.status).toBe(404)
    expect((await get(`/api/stats?${WHOLE}`)).body.totals.clicks).toEqual({ human: 5, raw: 7 })
    const own = await get(`/api/stats?${WHOLE}`, b)
    expect(own.body.totals).toEqual(counts(0, [0, 0], [1, 1]))
  })

  it('needs the marketer role', async () => {
    expect((await get(`/api/stats?${WHOLE}`, t.a.employee.token)).status).toBe(403)
    expect((await t.request('GET', `/api/stats?${WHOLE}`)).status).toBe(401)
  })

  it.each([
    ['scope=planet', 'scope'],
    ['scope=campaign', 'id'],
    [`id=${crypto.randomUUID()}`, 'id'],
    ['scope=campaign&id=42', 'id'],
    ['preset=custom&from=2026-01-01', 'to'],
    ['preset=custom&from=2026-02-01&to=2026-01-01', 'to'],
    ['preset=custom&from=2026-13-01&to=2026-12-01', 'from'],
    ['preset=custom&from=2020-01-01&to=2026-01-01', 'to'],
    ['from=2026-01-01', 'from'],
    ['tz=Mars/Olympus', 'tz'],
    ['format=xlsx', 'format'],
  ])('refuses %s naming %s', async (query, field) => {
    const res = await get(`/api/stats?${query}`)
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe(field)
  })

  it('refuses a bad breakdown and a bad re-classification', async () => {
    expect((await get(`/api/stats/breakdown?${WHOLE}&by=planets`)).body.error.field).toBe('by')
    expect((await get(`/api/stats/breakdown?${WHOLE}&by=accounts&limit=0`)).body.error.field).toBe('limit')
    const bad = await t.request('POST', '/api/stats/events/abc/classification', {
      token: t.a.marketer.token,
      json: { human: true },
    })
    expect(bad.body).toEqual(apiError('validation_failed', 'An event id is a positive whole number.', 'id'))
    const noBody = await t.request('POST', `/api/stats/events/${ids.machineClick}/classification`, {
      token: t.a.marketer.token,
      json: {},
    })
    expect(noBody.body.error.field).toBe('human')
    const [sent] = await t.db
      .selectFrom('tracking_event')
      .select('id')
      .where('workspace_id', '=', t.a.id)
      .where('kind', '=', 'sent')
      .execute()
    const res = await t.request('POST', `/api/stats/events/${sent!.id}/classification`, {
      token: t.a.marketer.token,
      json: { human: false },
    })
    expect(res.body).toEqual(apiError('validation_failed', 'Only views and clicks are classified.', 'id'))
  })

  it('keeps per-person statistics to the identified tier', async () => {
    await statsFixtures(t.db, t.a.id).setTier('aggregate')
    const res = await get(`/api/stats?${WHOLE}&scope=contact&id=${ids.alice}`)
    expect(res.status).toBe(403)
    expect((await get(`/api/stats/breakdown?${WHOLE}&by=contacts`)).status).toBe(403)
    await statsFixtures(t.db, t.a.id).setTier('identified')
  })
})

describe('rebuilding the rollups', () => {
  it('gives the same figures as the job that built them event by event', async () => {
    const paths = [
      `/api/stats?${WHOLE}`,
      `/api/stats?${DAY}&scope=account&id=${ids.acme}`,
      `/api/stats/breakdown?${WHOLE}&by=accounts&scope=campaign&id=${ids.c2}`,
      `/api/stats/breakdown?${WHOLE}&by=campaigns&scope=account&id=${ids.acme}`,
      `/api/stats/breakdown?${WHOLE}&by=employees`,
      '/api/leads/accounts?includeMachine=true',
    ]
    const before = await Promise.all(paths.map((p) => get(p)))
    const rows = await t.db
      .selectFrom('stats_rollup')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    await rebuildRollups(t.db)
    const after = await Promise.all(paths.map((p) => get(p)))
    expect(after.map((r) => r.body)).toEqual(before.map((r) => r.body))
    expect(before[5]!.body.items.map((l: { value: string }) => l.value)).toEqual(['lead.example'])
    const rebuilt = await t.db
      .selectFrom('stats_rollup')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(rebuilt.n)).toBeLessThanOrEqual(Number(rows.n))
  })
})
