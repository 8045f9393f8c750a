import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { seededRandom } from '../../test/random.ts'
import type { AccountId, ContactId, UserId } from '../db/schema.ts'
import { statsFixtures } from './fixture-queries.ts'
import { groupBuilds, INLINE_MEMBERS } from './groups.ts'
import { rebuildRollups, refreshRollups } from './rollup.ts'

/**
 * Unique accounts and contacts come from per-bucket sets (bitmaps of ordinals). Here a
 * pseudo-random event set is checked against distinct counts computed from the same events in
 * JavaScript — over Berlin, Kolkata, New York and UTC days, months and their edges, for every
 * aggregate that has sets — and again after a re-classification, members leaving and joining
 * target groups, leads turned into an account and a contact, and a bulk rebuild.
 */

type Kind = 'sent' | 'view' | 'click'
interface Ev {
  id: string
  kind: Kind
  at: number
  human: boolean
  d: { campaign: string; employee: string; accounts: string[]; contacts: string[] }
}

let t: TestContext
let f: ReturnType<typeof statsFixtures>
const events: Ev[] = []
const groups = { accounts: '', contacts: '' }
const members = { accounts: new Set<string>(), contacts: new Set<string>() }
let campaigns: string[] = []
let employees: string[] = []
const accounts: AccountId[] = []
const contacts: ContactId[] = []
let lead: Ev['d']

beforeAll(async () => {
  t = await setupTestApp()
  f = statsFixtures(t.db, t.a.id)
  await f.setTier('identified')
  const cs = [await f.campaign('One'), await f.campaign('Two')]
  campaigns = cs.map((c) => c.campaignId)
  employees = [t.a.employee.id, t.a.marketer.id]
  for (let i = 0; i < 6; i++) accounts.push(await f.account(`acct${i}.example`))
  for (let i = 0; i < 8; i++) contacts.push(await f.contact(`p${i}@acct${i % 6}.example`, accounts[i % 6]))
  groups.accounts = await f.group('Accounts 0-2', accounts.slice(0, 3))
  for (const a of accounts.slice(0, 3)) members.accounts.add(a)
  groups.contacts = await f.contactGroup('Contacts 0-1', contacts.slice(0, 2))
  for (const c of contacts.slice(0, 2)) members.contacts.add(c)

  const rnd = seededRandom(7)
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!
  const record = async (
    delivery: Awaited<ReturnType<typeof f.delivery>>,
    d: Ev['d'],
    kind: Kind,
    at: number,
  ) => {
    const human = rnd() < 0.7
    const id = await f.event(delivery, kind, new Date(at).toISOString(), human ? undefined : 'burst')
    events.push({ id, kind, at, human, d })
  }
  const start = Date.parse('2026-03-08T00:00:00Z')
  for (let i = 0; i < 40; i++) {
    const c = pick([0, 1])
    const d: Ev['d'] = {
      campaign: campaigns[c]!,
      employee: pick(employees),
      accounts: [...new Set([pick(accounts), ...(rnd() < 0.3 ? [pick(accounts)] : [])])],
      contacts: rnd() < 0.6 ? [pick(contacts)] : [],
    }
    const delivery = await f.delivery(cs[c]!, d.employee as UserId, {
      accounts: d.accounts as AccountId[],
      contacts: d.contacts as ContactId[],
    })
    // Mostly within a week of March, a few in February (a whole month of the long range).
    const sent =
      rnd() < 0.15
        ? Date.parse('2026-02-10T00:00:00Z') + rnd() * 10 * 86_400_000
        : start + rnd() * 6 * 86_400_000
    await record(delivery, d, 'sent', Math.floor(sent / 60_000) * 60_000)
    if (rnd() < 0.6) await record(delivery, d, 'view', sent + rnd() * 5 * 3_600_000)
    if (rnd() < 0.5) await record(delivery, d, 'click', sent + rnd() * 8 * 3_600_000)
  }
  // A lead: a domain and an address nobody manages yet, that clicked.
  lead = { campaign: campaigns[0]!, employee: employees[0]!, accounts: [], contacts: [] }
  const d = await f.delivery(cs[0]!, employees[0] as UserId, {
    leadDomains: ['newco.com'],
    leadEmails: ['zed@newco.com'],
  })
  events.push({
    id: await f.event(d, 'sent', '2026-03-10T21:30:00Z'),
    kind: 'sent',
    at: Date.parse('2026-03-10T21:30:00Z'),
    human: true,
    d: lead,
  })
  events.push({
    id: await f.event(d, 'click', '2026-03-10T23:30:00Z'),
    kind: 'click',
    at: Date.parse('2026-03-10T23:30:00Z'),
    human: true,
    d: lead,
  })
  await refreshRollups(t.db)
})
afterAll(() => t.close())

const RANGES = [
  'preset=custom&from=2026-03-10&to=2026-03-10&tz=Europe/Berlin',
  'preset=custom&from=2026-03-09&to=2026-03-12&tz=Europe/Berlin',
  'preset=custom&from=2026-03-11&to=2026-03-11&tz=Asia/Kolkata',
  'preset=custom&from=2026-03-09&to=2026-03-13&tz=America/New_York',
  'preset=custom&from=2026-03-10&to=2026-03-10&tz=UTC',
  'preset=custom&from=2026-02-01&to=2026-03-31&tz=Europe/Berlin',
]

type Scope = { scope: string; id?: string }

/** The events of a scope with the targets of `key` each counts for, as the API defines them. */
function targetsOf(scope: Scope, e: Ev, key: 'account' | 'contact'): string[] {
  const ids = key === 'account' ? e.d.accounts : e.d.contacts
  switch (scope.scope) {
    case 'workspace':
      return ids
    case 'campaign':
      return e.d.campaign === scope.id ? ids : []
    case 'employee':
      return e.d.employee === scope.id ? ids : []
    case 'account':
      return e.d.accounts.includes(scope.id!) ? ids : []
    case 'contact':
      return e.d.contacts.includes(scope.id!) ? ids : []
    default: {
      const kind = scope.id === groups.accounts ? 'account' : 'contact'
      const own = (kind === 'account' ? e.d.accounts : e.d.contacts).filter((m) =>
        (kind === 'account' ? members.accounts : members.contacts).has(m),
      )
      if (kind === key) return own
      return own.length ? ids : []
    }
  }
}

function expected(scope: Scope, key: 'account' | 'contact', from: number, to: number) {
  const reached = new Set<string>()
  const clicked = new Set<string>()
  const human = new Set<string>()
  for (const e of events) {
    if (e.at < from || e.at >= to) continue
    for (const id of targetsOf(scope, e, key)) {
      reached.add(id)
      if (e.kind === 'click') clicked.add(id)
      if (e.kind === 'click' && e.human) human.add(id)
    }
  }
  return { reached: reached.size, clicked: { human: human.size, raw: clicked.size } }
}

/** A group's totals: each event once per member it reached. */
function groupSent(groupId: string, from: number, to: number) {
  const kind = groupId === groups.accounts ? 'account' : 'contact'
  return events
    .filter((e) => e.kind === 'sent' && e.at >= from && e.at < to)
    .reduce((n, e) => n + targetsOf({ scope: 'target_group', id: groupId }, e, kind).length, 0)
}

async function checkAll() {
  const scopes: Scope[] = [
    { scope: 'workspace' },
    ...campaigns.map((id) => ({ scope: 'campaign', id })),
    ...employees.map((id) => ({ scope: 'employee', id })),
    { scope: 'account', id: accounts[0]! },
    { scope: 'account', id: accounts[1]! },
    { scope: 'contact', id: contacts[0]! },
    { scope: 'target_group', id: groups.accounts },
    { scope: 'target_group', id: groups.contacts },
  ]
  for (const scope of scopes)
    for (const range of RANGES) {
      const res = await t.request(
        'GET',
        `/api/stats?${range}&scope=${scope.scope}${scope.id ? `&id=${scope.id}` : ''}`,
        {
          token: t.a.marketer.token,
        },
      )
      expect(res.status).toBe(200)
      const from = Date.parse(res.body.range.from)
      const to = Date.parse(res.body.range.to)
      const label = `${scope.scope} ${scope.id ?? ''} ${range}`
      for (const key of ['account', 'contact'] as const) {
        if (scope.scope === key) continue
        expect(res.body.totals[`${key}s`], `${label} ${key}s`).toEqual(expected(scope, key, from, to))
      }
      if (scope.scope === 'target_group')
        expect(res.body.totals.sent, `${label} sent`).toBe(groupSent(scope.id!, from, to))
    }
}

describe('unique accounts and contacts from the reach sets', () => {
  it('agree with distinct counts over the raw events in every zone and range', async () => {
    expect(events.filter((e) => e.kind === 'click' && e.human).length).toBeGreaterThan(3)
    await checkAll()
  })

  it('follow a click re-classified as a machine’s and back', async () => {
    const click = events.find((e) => e.kind === 'click' && e.human && e.d.accounts.length)!
    const classify = (human: boolean) =>
      t.request('POST', `/api/stats/events/${click.id}/classification`, {
        token: t.a.marketer.token,
        json: { human },
      })
    expect((await classify(false)).status).toBe(200)
    click.human = false
    await checkAll()
    expect((await classify(true)).status).toBe(200)
    click.human = true
    await checkAll()
  })

  it('follow members leaving and joining a target group', async () => {
    await f.removeFromGroup(groups.accounts, accounts[0]!)
    members.accounts.delete(accounts[0]!)
    await checkAll()
    await f.addToGroup(groups.accounts, accounts[4]!)
    members.accounts.add(accounts[4]!)
    await checkAll()
  })

  it('count a lead turned into an account and a contact', async () => {
    // The account exists by now and is in a group whose rollups were built without the lead's clicks.
    const made = await t.request('POST', '/api/accounts', {
      token: t.a.marketer.token,
      json: { domain: 'newco.com', name: 'NewCo' },
    })
    expect(made.status).toBe(201)
    await f.addToGroup(groups.accounts, made.body.id)
    members.accounts.add(made.body.id)
    await checkAll()
    const account = await t.request('POST', '/api/leads/accounts', {
      token: t.a.marketer.token,
      json: { domain: 'newco.com', name: 'NewCo' },
    })
    expect(account.body).toMatchObject({ id: made.body.id, created: false, deliveries: 1 })
    lead.accounts.push(made.body.id)
    const contact = await t.request('POST', '/api/leads/contacts', {
      token: t.a.marketer.token,
      json: { email: 'zed@newco.com', consent: { method: 'Web form' } },
    })
    expect(contact.status).toBe(201)
    lead.contacts.push(contact.body.id)
    await checkAll()
    // The converted pair's own rows: the new account's contact and the new contact's account.
    for (const [scope, id, key] of [
      ['account', made.body.id, 'contact'],
      ['contact', contact.body.id, 'account'],
    ] as const) {
      const res = await t.request('GET', `/api/stats?${RANGES[1]}&scope=${scope}&id=${id}`, {
        token: t.a.marketer.token,
      })
      const want = expected(
        { scope, id },
        key,
        Date.parse(res.body.range.from),
        Date.parse(res.body.range.to),
      )
      expect(want).toEqual({ reached: 1, clicked: { human: 1, raw: 1 } })
      expect(res.body.totals[`${key}s`], `${scope} ${key}s`).toEqual(want)
    }
  })

  it('are the same after a bulk rebuild', async () => {
    await rebuildRollups(t.db)
    await checkAll()
  })

  it('go with a deleted target group, while its members keep theirs', async () => {
    expect(await f.countGroupRows(groups.contacts)).toBeGreaterThan(0)
    const res = await t.request('DELETE', `/api/target-groups/${groups.contacts}`, {
      token: t.a.marketer.token,
    })
    expect(res.status).toBe(204)
    expect(await f.countGroupRows(groups.contacts)).toBe(0)
    const alice = await t.request('GET', `/api/stats?${RANGES[5]}&scope=contact&id=${contacts[0]}`, {
      token: t.a.marketer.token,
    })
    expect(alice.body.totals.sent).toBe(
      events.filter((e) => e.kind === 'sent' && e.d.contacts.includes(contacts[0]!)).length,
    )
  })

  it('answer a large group from its members’ rows while its own rollups are built in the background', async () => {
    const w = await t.addWorkspace('Large group')
    const g = statsFixtures(t.db, w.id)
    const campaign = await g.campaign('Wide')
    const many: AccountId[] = []
    for (let i = 0; i <= INLINE_MEMBERS; i++) many.push(await g.account(`wide${i}.example`))
    const group = await g.group('Wide', many)
    for (const [i, account] of many.entries()) {
      const delivery = await g.delivery(campaign, w.employee.id, {
        accounts: [account, many[(i + 1) % many.length]!],
      })
      await g.event(delivery, 'sent', '2026-03-10T10:00:00Z')
      if (i % 3 === 0) await g.event(delivery, 'click', '2026-03-10T11:00:00Z')
    }
    await refreshRollups(t.db)
    const read = () =>
      t.request('GET', `/api/stats?${RANGES[1]}&scope=target_group&id=${group}`, { token: w.marketer.token })
    const members = many.length
    const want = { sent: 2 * members, accounts: { reached: members, clicked: { human: 34, raw: 34 } } }
    // Too many members to add before answering: the first answer sums the members' rows.
    expect((await read()).body.totals).toMatchObject(want)
    await groupBuilds()
    expect(await g.countGroupRows(group)).toBeGreaterThan(0)
    expect((await read()).body.totals).toMatchObject(want)
  })

  it('switch a set from an array to a bitmap past 64 targets in a chunk, counting exactly', async () => {
    const w = await t.addWorkspace('Crowd')
    const crowd = statsFixtures(t.db, w.id)
    const campaign = await crowd.campaign('Crowded')
    // Array + array past the limit, then bitmap + bitmap.
    await crowd.crowd(campaign, 40, '2026-03-10T10:00:00Z')
    await refreshRollups(t.db)
    expect(await crowd.countBitmapSets()).toBe(0)
    await crowd.crowd(campaign, 40, '2026-03-10T10:20:00Z')
    await refreshRollups(t.db)
    expect(await crowd.countBitmapSets()).toBeGreaterThan(0)
    await crowd.crowd(campaign, 520, '2026-03-10T10:40:00Z')
    await refreshRollups(t.db)
    const res = await t.request(
      'GET',
      '/api/stats?preset=custom&from=2026-03-10&to=2026-03-10&tz=Europe/Berlin',
      {
        token: w.marketer.token,
      },
    )
    expect(res.body.totals.contacts).toEqual({ reached: 600, clicked: { human: 0, raw: 0 } })
    const campaignStats = await t.request(
      'GET',
      `/api/stats?preset=custom&from=2026-03-01&to=2026-03-31&tz=UTC&scope=campaign&id=${campaign.campaignId}`,
      { token: w.marketer.token },
    )
    expect(campaignStats.body.totals.contacts.reached).toBe(600)
  })
})
