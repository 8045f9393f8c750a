import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import type { AccountId, ContactId, UserId } from '../db/schema.ts'
import { statsFixtures } from './fixture-queries.ts'
import { refreshRollups } from './rollup.ts'

/**
 * Presets end at the midnight after today, in the future, so the statistics read this month's
 * (or today's) rollup rows whole instead of hour by hour (`coverRange`). Events from minutes to
 * months ago are checked against counts worked out here, for every preset and several zones:
 * nothing from before a range's start may leak in through a coarser row.
 */

interface Ev {
  kind: 'sent' | 'view' | 'click'
  at: number
  campaign: string
  account: string
  contact: string
}

let t: TestContext
const events: Ev[] = []
const campaigns: string[] = []
const accounts: AccountId[] = []

const MINUTE = 60_000
const AGO = [5, 50, 3 * 60, 20 * 60, 26 * 60, 3 * 1440, 6 * 1440 + 600, 9 * 1440, 20 * 1440, 33 * 1440]
const AGO_LONG = [45 * 1440, 100 * 1440, 200 * 1440, 370 * 1440]

beforeAll(async () => {
  t = await setupTestApp()
  const f = statsFixtures(t.db, t.a.id)
  await f.setTier('identified')
  const cs = [await f.campaign('One'), await f.campaign('Two')]
  campaigns.push(...cs.map((c) => c.campaignId))
  const contacts: ContactId[] = []
  for (let i = 0; i < 3; i++) {
    accounts.push(await f.account(`open${i}.example`))
    contacts.push(await f.contact(`p${i}@open${i}.example`, accounts[i]))
  }
  const now = Date.now()
  let i = 0
  for (const minutes of [...AGO, ...AGO_LONG]) {
    const c = i % 2
    const a = i % 3
    const delivery = await f.delivery(cs[c]!, t.a.employee.id as UserId, {
      accounts: [accounts[a]!],
      contacts: [contacts[a]!],
    })
    for (const kind of ['sent', 'view', 'click'] as const) {
      if (kind === 'click' && i % 2) continue
      const at = now - minutes * MINUTE + (kind === 'sent' ? 0 : 2 * MINUTE)
      if (at > now) continue
      await f.event(delivery, kind, new Date(at).toISOString())
      events.push({ kind, at, campaign: campaigns[c]!, account: accounts[a]!, contact: contacts[a]! })
    }
    i++
  }
  await refreshRollups(t.db)
})
afterAll(() => t.close())

const PRESETS = [
  'today',
  'yesterday',
  'last_7_days',
  'last_30_days',
  'this_month',
  'last_90_days',
  'last_12_months',
]
const ZONES = ['Europe/Berlin', 'UTC', 'America/New_York', 'Asia/Kolkata']

function within(from: number, to: number, keep: (e: Ev) => boolean = () => true) {
  return events.filter((e) => e.at >= from && e.at < to && keep(e))
}

const count = (evs: Ev[], kind: Ev['kind']) => evs.filter((e) => e.kind === kind).length

describe('statistics of ranges ending in the future', () => {
  it('count exactly the events inside every preset, in every zone', async () => {
    expect(events.length).toBeGreaterThan(30)
    for (const tz of ZONES)
      for (const preset of PRESETS) {
        const label = `${preset} ${tz}`
        const res = await t.request('GET', `/api/stats?preset=${preset}&tz=${tz}`, {
          token: t.a.marketer.token,
        })
        expect(res.status, label).toBe(200)
        const evs = within(Date.parse(res.body.range.from), Date.parse(res.body.range.to))
        expect([res.body.totals.sent, res.body.totals.views.raw, res.body.totals.clicks.raw], label).toEqual([
          count(evs, 'sent'),
          count(evs, 'view'),
          count(evs, 'click'),
        ])
        expect(res.body.totals.accounts.reached, label).toBe(new Set(evs.map((e) => e.account)).size)
        expect(res.body.totals.contacts.reached, label).toBe(new Set(evs.map((e) => e.contact)).size)
      }
  })

  it('break down a campaign by account and an account by campaign exactly', async () => {
    for (const tz of ['Europe/Berlin', 'America/New_York'])
      for (const preset of PRESETS) {
        const label = `${preset} ${tz}`
        const byAccount = await t.request(
          'GET',
          `/api/stats/breakdown?by=accounts&scope=campaign&id=${campaigns[0]}&preset=${preset}&tz=${tz}`,
          { token: t.a.marketer.token },
        )
        expect(byAccount.status, label).toBe(200)
        const range = [Date.parse(byAccount.body.range.from), Date.parse(byAccount.body.range.to)] as const
        for (const account of accounts) {
          const evs = within(...range, (e) => e.campaign === campaigns[0] && e.account === account)
          const row = byAccount.body.rows.find((r: { id: string }) => r.id === account)
          expect(row?.sent ?? 0, `${label} ${account}`).toBe(count(evs, 'sent'))
          expect(row?.views.raw ?? 0, `${label} ${account}`).toBe(count(evs, 'view'))
        }
        const byCampaign = await t.request(
          'GET',
          `/api/stats/breakdown?by=campaigns&scope=account&id=${accounts[0]}&preset=${preset}&tz=${tz}`,
          { token: t.a.marketer.token },
        )
        expect(byCampaign.status, label).toBe(200)
        for (const campaign of campaigns) {
          const evs = within(...range, (e) => e.campaign === campaign && e.account === accounts[0])
          const row = byCampaign.body.rows.find((r: { id: string }) => r.id === campaign)
          expect(row?.clicks.raw ?? 0, `${label} ${campaign}`).toBe(count(evs, 'click'))
          expect(row?.sent ?? 0, `${label} ${campaign}`).toBe(count(evs, 'sent'))
        }
      }
  })
})
