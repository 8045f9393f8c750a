import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as perCampaignHours from '../../../migrations/2026_11_28_09_00_00_stats_rollup_per_campaign_hours.ts'
import * as accountContact from '../../../migrations/2026_11_28_09_10_00_stats_account_contact.ts'
import * as weeksQuarters from '../../../migrations/2026_11_29_09_00_00_stats_rollup_weeks_quarters.ts'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { seededRandom } from '../../test/random.ts'
import type { AccountId, ContactId, UserId } from '../db/schema.ts'
import { statsFixtures } from './fixture-queries.ts'
import { NIL } from './queries.ts'
import { rebuildRollups, refreshRollups } from './rollup.ts'

/**
 * Every breakdown of every scope, row by row, against counts worked out here from the same
 * pseudo-random events: days whose edges fall inside a UTC hour (Berlin, New York) or half-way
 * through one (Kolkata), a range across two months, machine events beside human ones. Rollup
 * rows answer some parts of a range and the raw events others; either way a row must be exact.
 */

type Kind = 'sent' | 'view' | 'click'
type By = 'campaigns' | 'accounts' | 'contacts' | 'employees'
interface Ev {
  kind: Kind
  at: number
  human: boolean
  campaign: string
  variant: string
  employee: string
  accounts: string[]
  contacts: string[]
}
interface Scope {
  scope: string
  id?: string
}

let t: TestContext
let f: ReturnType<typeof statsFixtures>
const events: Ev[] = []
const campaigns: { campaignId: string; variantId: string }[] = []
const employees: string[] = []
const accounts: AccountId[] = []
const contacts: ContactId[] = []
const groups: { id: string; kind: 'account' | 'contact'; members: Set<string> }[] = []

beforeAll(async () => {
  t = await setupTestApp()
  f = statsFixtures(t.db, t.a.id)
  await f.setTier('identified')
  for (const name of ['One', 'Two', 'Three']) campaigns.push(await f.campaign(name))
  employees.push(t.a.employee.id, t.a.marketer.id)
  for (let i = 0; i < 5; i++) accounts.push(await f.account(`part${i}.example`))
  for (let i = 0; i < 7; i++) contacts.push(await f.contact(`p${i}@part${i % 5}.example`, accounts[i % 5]))
  const accountGroup = accounts.slice(0, 2)
  groups.push({
    id: await f.group('Two accounts', accountGroup),
    kind: 'account',
    members: new Set(accountGroup),
  })
  const contactGroup = contacts.slice(1, 4)
  groups.push({
    id: await f.contactGroup('Three contacts', contactGroup),
    kind: 'contact',
    members: new Set(contactGroup),
  })

  const rnd = seededRandom(11)
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!
  // Sends cluster around the UTC hours where Berlin's (23:00) and New York's (04:00, 05:00) days turn.
  const edges = [
    '2026-03-09T23:00:00Z',
    '2026-03-11T04:00:00Z',
    '2026-03-12T23:00:00Z',
    '2026-02-28T23:00:00Z',
  ]
  // The last 20 spread over half a year, for ranges read by weeks and quarters.
  for (let i = 0; i < 65; i++) {
    const c = pick(campaigns)
    const ev = {
      campaign: c.campaignId,
      variant: c.variantId,
      employee: pick(employees),
      accounts: [...new Set([pick(accounts), ...(rnd() < 0.25 ? [pick(accounts)] : [])])],
      contacts: rnd() < 0.7 ? [...new Set([pick(contacts), ...(rnd() < 0.2 ? [pick(contacts)] : [])])] : [],
    }
    const delivery = await f.delivery(c as never, ev.employee as UserId, {
      accounts: ev.accounts as AccountId[],
      contacts: ev.contacts as ContactId[],
    })
    const sent =
      i >= 45
        ? Date.parse('2025-09-20T00:00:00Z') + rnd() * 190 * 86_400_000
        : rnd() < 0.5
          ? Date.parse(pick(edges)) + (rnd() - 0.5) * 2 * 3_600_000
          : Date.parse('2026-03-08T00:00:00Z') + rnd() * 6 * 86_400_000
    for (const [kind, after] of [
      ['sent', 0],
      ['view', rnd() * 90 * 60_000],
      ['click', rnd() * 150 * 60_000],
    ] as const) {
      if (kind !== 'sent' && rnd() < 0.35) continue
      const at = Math.floor(sent / 1000) * 1000 + Math.floor(after)
      const human = kind === 'sent' || rnd() < 0.75
      await f.event(delivery, kind, new Date(at).toISOString(), human ? undefined : 'burst')
      events.push({ ...ev, kind, at, human })
    }
  }
  // Two deliveries of one shape, several events of a kind in one hour: the job counts them as
  // groups (one per hour, kind and shape), and every event of a group must still count.
  const shape = {
    campaign: campaigns[0]!.campaignId,
    variant: campaigns[0]!.variantId,
    employee: employees[0]!,
    accounts: [accounts[0]!],
    contacts: [contacts[0]!],
  }
  for (let d = 0; d < 2; d++) {
    const delivery = await f.delivery(campaigns[0] as never, shape.employee as UserId, {
      accounts: shape.accounts,
      contacts: shape.contacts,
    })
    for (const [kind, minute, human] of [
      ['sent', 1, true],
      ['view', 5, true],
      ['view', 20, true],
      ['view', 40, false],
      ['click', 25, true],
      ['click', 50, true],
    ] as const) {
      const at = Date.parse('2026-03-10T10:00:00Z') + (minute + d) * 60_000
      await f.event(delivery, kind, new Date(at).toISOString(), human ? undefined : 'burst')
      events.push({ ...shape, kind, at, human })
    }
  }
  await refreshRollups(t.db)
})
afterAll(() => t.close())

const RANGES = [
  'preset=custom&from=2026-03-10&to=2026-03-10&tz=Europe/Berlin',
  'preset=custom&from=2026-03-10&to=2026-03-13&tz=Europe/Berlin',
  'preset=custom&from=2026-03-11&to=2026-03-11&tz=America/New_York',
  'preset=custom&from=2026-03-09&to=2026-03-12&tz=Asia/Kolkata',
  'preset=custom&from=2026-03-01&to=2026-03-31&tz=Europe/Berlin',
  'preset=custom&from=2026-02-01&to=2026-03-31&tz=UTC',
  // Weeks, months and a quarter in Berlin; two whole quarters in UTC.
  'preset=custom&from=2025-10-14&to=2026-03-11&tz=Europe/Berlin',
  'preset=custom&from=2025-09-29&to=2026-03-31&tz=UTC',
]

/**
 * The keys an event counts under in a breakdown of a scope, once per key — or nothing when the
 * event is not the scope's. A target group counts an event once per member it reached, as its
 * members' rows do; a breakdown by the scope's own kind has one row, the scope itself.
 */
function keysOf(scope: Scope, by: By, e: Ev): string[] {
  const keys = (): string[] => {
    if (by === 'campaigns') return [e.campaign]
    if (by === 'employees') return [e.employee]
    return by === 'accounts' ? e.accounts : e.contacts
  }
  switch (scope.scope) {
    case 'workspace':
      return keys()
    case 'campaign':
    case 'variant':
    case 'employee':
      if (e[scope.scope] !== scope.id) return []
      return `${scope.scope}s` === by ? [scope.id!] : keys()
    case 'account':
    case 'contact':
      if (!e[`${scope.scope}s`].includes(scope.id!)) return []
      return `${scope.scope}s` === by ? [scope.id!] : keys()
    default: {
      const group = groups.find((g) => g.id === scope.id)!
      const reached = e[`${group.kind}s`].filter((m) => group.members.has(m))
      return `${group.kind}s` === by ? reached : reached.flatMap(() => keys())
    }
  }
}

function expectedRows(scope: Scope, by: By, from: number, to: number) {
  const rows = new Map<string, { sent: number; views: number[]; clicks: number[] }>()
  for (const e of events) {
    if (e.at < from || e.at >= to) continue
    for (const key of keysOf(scope, by, e)) {
      const row = rows.get(key) ?? { sent: 0, views: [0, 0], clicks: [0, 0] }
      if (e.kind === 'sent') row.sent++
      const pair = e.kind === 'view' ? row.views : e.kind === 'click' ? row.clicks : undefined
      if (pair) {
        pair[1]!++
        if (e.human) pair[0]!++
      }
      rows.set(key, row)
    }
  }
  return Object.fromEntries(
    [...rows].map(([id, r]) => [
      id,
      {
        sent: r.sent,
        views: { human: r.views[0], raw: r.views[1] },
        clicks: { human: r.clicks[0], raw: r.clicks[1] },
      },
    ]),
  )
}

async function checkAll() {
  const scopes: Scope[] = [
    { scope: 'workspace' },
    ...campaigns.map((c) => ({ scope: 'campaign', id: c.campaignId })),
    { scope: 'variant', id: campaigns[0]!.variantId },
    ...employees.map((id) => ({ scope: 'employee', id })),
    ...accounts.slice(0, 3).map((id) => ({ scope: 'account', id })),
    ...contacts.slice(0, 3).map((id) => ({ scope: 'contact', id })),
    ...groups.map((g) => ({ scope: 'target_group', id: g.id })),
  ]
  let rows = 0
  for (const scope of scopes)
    for (const by of ['campaigns', 'accounts', 'contacts', 'employees'] as const)
      for (const range of RANGES) {
        const query = `${range}&by=${by}&limit=100&scope=${scope.scope}${scope.id ? `&id=${scope.id}` : ''}`
        const res = await t.request('GET', `/api/stats/breakdown?${query}`, { token: t.a.marketer.token })
        expect(res.status, query).toBe(200)
        const want = expectedRows(scope, by, Date.parse(res.body.range.from), Date.parse(res.body.range.to))
        const got = Object.fromEntries(
          res.body.rows.map((r: { id: string; sent: number; views: unknown; clicks: unknown }) => [
            r.id,
            { sent: r.sent, views: r.views, clicks: r.clicks },
          ]),
        )
        expect(got, query).toEqual(want)
        rows += res.body.rows.length
      }
  // The ranges are not empty: most breakdowns have rows to compare.
  expect(rows).toBeGreaterThan(500)
}

describe('breakdowns', () => {
  it('agree row by row with the events, for every scope and key, in every zone', async () => {
    expect(events.filter((e) => e.kind === 'click' && !e.human).length).toBeGreaterThan(2)
    await checkAll()
  })

  it('are the same after a bulk rebuild', async () => {
    await rebuildRollups(t.db)
    await checkAll()
  })

  it('are what the migrations that added rows write over an older history', async () => {
    const added = (rows: Awaited<ReturnType<typeof f.rollupRows>>) =>
      rows.filter(
        (r) =>
          r.dim === 'account_contact' ||
          r.grain === 'w' ||
          r.grain === 'q' ||
          (r.sub_id !== NIL && (r.dim === 'contact' || (r.dim === 'account' && r.grain === 'h'))),
      )
    const before = await f.rollupRows()
    expect(added(before).filter((r) => r.dim === 'account_contact').length).toBeGreaterThan(20)
    expect(added(before).filter((r) => r.dim === 'contact').length).toBeGreaterThan(20)
    expect(added(before).filter((r) => r.grain === 'q').length).toBeGreaterThan(20)
    for (const migration of [weeksQuarters, accountContact, perCampaignHours])
      await t.db.transaction().execute((trx) => migration.down(trx))
    const older = await f.rollupRows()
    expect(added(older)).toEqual([])
    expect(older.length).toBe(before.length - added(before).length)
    for (const migration of [perCampaignHours, accountContact, weeksQuarters])
      await t.db.transaction().execute((trx) => migration.up(trx))
    expect(await f.rollupRows()).toEqual(before)
    await checkAll()
  })
})
