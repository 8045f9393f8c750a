import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'
import { deleteVariant } from '../campaigns/queries.ts'
import type { AccountId, UserId } from '../db/schema.ts'
import { statsFixtures } from './fixture-queries.ts'
import { rebuildRollups, refreshRollups } from './rollup.ts'

/**
 * An A/B test read side by side: the breakdown by variant, of a campaign (from the raw events,
 * which name the variant) and of the workspace (from the variants' own rollup rows), with the
 * same figures either way, after the job and after a rebuild.
 */
let t: TestContext
let w: TestWorkspace
let ids: { campaign: string; a: string; b: string; other: string; account: AccountId }

beforeAll(async () => {
  t = await setupTestApp()
  w = await t.addWorkspace('Variants')
  const f = statsFixtures(t.db, w.id)
  const webinar = await f.campaign('Webinar')
  const b = await f.variant(webinar, 'B')
  const fair = await f.campaign('Fair')
  const account = await f.account('globex.com', 'Globex')
  const employee = w.employee.id as UserId
  // Variant A: two banners sent, one view, one click. B: one sent, two clicks (one a machine's).
  for (const at of ['2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z']) {
    const d = await f.delivery(webinar, employee, { accounts: [account] })
    await f.event(d, 'sent', at)
    if (at.startsWith('2026-03-02')) {
      await f.event(d, 'view', '2026-03-02T10:05:00Z')
      await f.event(d, 'click', '2026-03-02T10:06:00Z')
    }
  }
  const toB = await f.delivery(b, employee, { accounts: [account] })
  await f.event(toB, 'sent', '2026-03-04T09:00:00Z')
  await f.event(toB, 'click', '2026-03-04T09:00:02Z', 'too_soon')
  await f.event(toB, 'click', '2026-03-05T11:00:00Z')
  const toFair = await f.delivery(fair, employee, { accounts: [account] })
  await f.event(toFair, 'sent', '2026-03-06T09:00:00Z')
  await refreshRollups(t.db)
  ids = { campaign: webinar.campaignId, a: webinar.variantId, b: b.variantId, other: fair.variantId, account }
})
afterAll(() => t.close())

async function variants(scope: string, id?: string, range = 'preset=custom&from=2026-03-01&to=2026-03-31') {
  const res = await t.request(
    'GET',
    `/api/stats/breakdown?${range}&tz=UTC&by=variants&scope=${scope}${id ? `&id=${id}` : ''}`,
    { token: w.marketer.token },
  )
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return res.body.rows.map(
    (r: { id: string; name: string; sent: number; clicks: { human: number; raw: number } }) => [
      r.name,
      r.id,
      r.sent,
      r.clicks.human,
      r.clicks.raw,
    ],
  )
}

describe('the breakdown by variant', () => {
  const expected = () => ({
    a: ['Webinar · A', ids.a, 2, 1, 1],
    b: ['Webinar · B', ids.b, 1, 1, 2],
    fair: ['Fair · A', ids.other, 1, 0, 0],
  })

  it("shows a campaign's variants side by side", async () => {
    expect(await variants('campaign', ids.campaign)).toEqual([expected().a, expected().b])
  })

  it("shows every campaign's variants for the workspace, from the variants' rollup rows", async () => {
    const { a, b, fair } = expected()
    expect(await variants('workspace')).toEqual([a, b, fair])
    // A range that starts and ends inside days reads hours too, from rollups and raw events.
    const partial = await variants('workspace', undefined, 'preset=custom&from=2026-03-02&to=2026-03-04')
    expect(partial).toEqual([a, ['Webinar · B', ids.b, 1, 0, 1]])
  })

  it('shows the variants an account saw', async () => {
    const { a, b, fair } = expected()
    expect(await variants('account', ids.account)).toEqual([a, b, fair])
  })

  it('gives the same rows after a rebuild, and keeps a deleted variant as removed', async () => {
    await rebuildRollups(t.db)
    const { a, b, fair } = expected()
    expect(await variants('workspace')).toEqual([a, b, fair])
    expect(await variants('campaign', ids.campaign)).toEqual([a, b])
    // Only possible behind the API's back (it refuses to delete a delivered variant): the
    // workspace still counts its events; its campaign no longer names it.
    await deleteVariant(t.db, w.id, ids.b as never)
    expect(await variants('workspace')).toEqual([a, ['(removed)', ids.b, 1, 1, 2], fair])
    expect(await variants('campaign', ids.campaign)).toEqual([a])
  })
})
