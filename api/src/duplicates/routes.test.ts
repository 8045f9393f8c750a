import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'
import type { UserId } from '../db/schema.ts'
import { statsFixtures } from '../stats/fixture-queries.ts'
import { rebuildRollups, refreshRollups } from '../stats/rollup.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

async function contact(w: TestWorkspace, json: Record<string, unknown>) {
  const res = await t.request('POST', '/api/contacts', { token: w.marketer.token, json })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

describe('GET /api/duplicates', () => {
  it('groups by canonical email (gmail dots, +tags, googlemail) and by phone, with counts', async () => {
    const w = await t.addWorkspace('Dupes')
    await contact(w, { email: 'Max.Mustermann+news@googlemail.com' })
    await contact(w, { email: 'maxmustermann@gmail.com' })
    await contact(w, { email: 'max.mustermann@acme.com', phone: '030 1234567' })
    await contact(w, { email: 'max.mustermann+x@acme.com' })
    await contact(w, { email: 'other@acme.com', phone: '+49 30 1234567' })
    await contact(w, { email: 'm.ax@acme.com' }) // dots count outside Gmail
    const email = await t.request('GET', '/api/duplicates?channel=email', { token: w.marketer.token })
    expect(email.status).toBe(200)
    expect(email.body.counts).toEqual({ email: 2, phone: 1 })
    expect(
      email.body.groups.map((g: { key: string; count: number; members: { email: string }[] }) => [
        g.key,
        g.count,
        g.members.map((m) => m.email),
      ]),
    ).toEqual([
      ['max.mustermann@acme.com', 2, ['max.mustermann@acme.com', 'max.mustermann+x@acme.com']],
      ['maxmustermann@gmail.com', 2, ['max.mustermann+news@googlemail.com', 'maxmustermann@gmail.com']],
    ])
    const paged = await t.request('GET', '/api/duplicates?channel=email&limit=1', { token: w.marketer.token })
    expect(paged.body.groups).toHaveLength(1)
    const next = await t.request(
      'GET',
      `/api/duplicates?channel=email&limit=1&cursor=${paged.body.nextCursor}`,
      {
        token: w.marketer.token,
      },
    )
    expect(next.body).toMatchObject({ nextCursor: null, groups: [{ key: 'maxmustermann@gmail.com' }] })
    const phone = await t.request('GET', '/api/duplicates?channel=phone', { token: w.marketer.token })
    expect(phone.body.groups).toMatchObject([{ channel: 'phone', key: '+49301234567', count: 2 }])
  })

  it.each([
    ['channel=fax', 'channel', 'Choose one of: email, phone.'],
    ['cursor=zzz', 'cursor', 'This page cursor is not valid; start from the first page.'],
  ])('answers 422 for %s', async (query, field, message) => {
    const res = await t.request('GET', `/api/duplicates?${query}`, { token: t.a.marketer.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })
})

describe('POST /api/duplicates/merge', () => {
  it.each([
    ['earlier', 0],
    ['later', 1],
  ] as const)('keeps the %s record and unites the rest', async (keep, survivorIndex) => {
    const w = await t.addWorkspace(`Merge ${keep}`)
    const first = await contact(w, {
      email: 'anna@merge.com',
      labels: ['a'],
      customFields: { x: 1, shared: 'first' },
      consent: { given: true, method: 'form' },
    })
    const second = await contact(w, {
      email: 'anna+2@merge.com',
      firstName: 'Anna',
      phone: '+49 30 1234567',
      labels: ['b'],
      customFields: { y: 2, shared: 'second' },
    })
    await t.request('POST', `/api/contacts/${second.id}/actions/unsubscribe`, {
      token: w.marketer.token,
      json: {},
    })
    await t.request('POST', `/api/contacts/${first.id}/actions/opt-out`, {
      token: w.marketer.token,
      json: {},
    })
    const group = await t.request('POST', '/api/target-groups', {
      token: w.marketer.token,
      json: { name: 'G', kind: 'contact' },
    })
    await t.request('POST', `/api/target-groups/${group.body.id}/members/add`, {
      token: w.marketer.token,
      json: { ids: [second.id] },
    })

    const res = await t.request('POST', '/api/duplicates/merge', {
      token: w.marketer.token,
      json: { contactIds: [first.id, second.id], keep },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    const survivor = [first, second][survivorIndex]
    const loser = [first, second][1 - survivorIndex]
    expect(res.body).toMatchObject({
      id: survivor.id,
      email: survivor.email,
      firstName: 'Anna',
      phone: '+49301234567',
      status: 'unsubscribed',
      consent: { given: true, method: 'form' },
      customFields: { x: 1, y: 2, shared: keep === 'earlier' ? 'first' : 'second' },
    })
    expect(res.body.labels.sort()).toEqual(['a', 'b'])
    expect(res.body.trackingOptOutAt).toEqual(expect.any(String))
    const members = await t.request('GET', `/api/target-groups/${group.body.id}/members`, {
      token: w.marketer.token,
    })
    expect(members.body.items.map((m: { id: string }) => m.id)).toEqual([survivor.id])
    const deleted = await t.request('GET', '/api/contacts/deleted', { token: w.marketer.token })
    expect(deleted.body.items).toMatchObject([
      { id: loser.id, deletedReason: `merged into ${survivor.email}` },
    ])
  })

  it('carries the statistics over: each event counts once, for the survivor', async () => {
    const w = await t.addWorkspace('Merge stats')
    const f = statsFixtures(t.db, w.id)
    await f.setTier('identified')
    const campaign = await f.campaign('Webinar')
    const kept = await f.contact('max.mustermann@gmail.com')
    const merged = await f.contact('maxmustermann@gmail.com')
    // PGlite's clock counts milliseconds: two rows made in one tie, and "earlier" is a coin toss.
    await t.db
      .updateTable('contact')
      .set({ created_at: new Date(Date.now() - 60_000) as never })
      .where('id', '=', kept)
      .execute()
    const bystander = await f.contact('erika@example.org')
    const group = await f.contactGroup('Merged people', [merged])
    const employee = w.employee.id as UserId
    // One email to the merged contact alone, one to both, one to the survivor alone.
    const toMerged = await f.delivery(campaign, employee, { contacts: [merged, bystander] })
    const toBoth = await f.delivery(campaign, employee, { contacts: [kept, merged] })
    const toKept = await f.delivery(campaign, employee, { contacts: [kept] })
    await f.event(toMerged, 'sent', '2026-03-09T10:00:00Z')
    await f.event(toMerged, 'click', '2026-03-10T10:05:00Z')
    await f.event(toBoth, 'sent', '2026-03-11T09:00:00Z')
    await f.event(toBoth, 'view', '2026-03-11T09:30:00Z')
    await f.event(toKept, 'sent', '2026-03-12T08:00:00Z')
    await refreshRollups(t.db)
    const totals = async (scope: string, id?: string) => {
      const res = await t.request(
        'GET',
        `/api/stats?preset=custom&from=2026-03-01&to=2026-03-31&tz=UTC&scope=${scope}${id ? `&id=${id}` : ''}`,
        { token: w.marketer.token },
      )
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      const { sent, views, clicks } = res.body.totals
      return { sent, views: views.raw, clicks: clicks.raw }
    }
    /** Unique contacts reached and clicked (raw), in a scope: the reach sets. */
    const people = async (scope: string, id?: string) => {
      const res = await t.request(
        'GET',
        `/api/stats?preset=custom&from=2026-03-01&to=2026-03-31&tz=UTC&scope=${scope}${id ? `&id=${id}` : ''}`,
        { token: w.marketer.token },
      )
      return { reached: res.body.totals.contacts.reached, clicked: res.body.totals.contacts.clicked.raw }
    }
    expect(await people('workspace')).toEqual({ reached: 3, clicked: 2 })
    expect(await people('campaign', campaign.campaignId)).toEqual({ reached: 3, clicked: 2 })
    expect(await totals('contact', merged)).toEqual({ sent: 2, views: 1, clicks: 1 })
    expect(await totals('contact', kept)).toEqual({ sent: 2, views: 1, clicks: 0 })
    expect(await totals('target_group', group)).toEqual({ sent: 2, views: 1, clicks: 1 })
    const workspace = await totals('workspace')

    const res = await t.request('POST', '/api/duplicates/merge', {
      token: w.marketer.token,
      json: { contactIds: [kept, merged], keep: 'earlier' },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    // A click still queued when the contacts were merged counts for the survivor too.
    await f.event(toMerged, 'click', '2026-03-13T10:00:00Z')
    await refreshRollups(t.db)
    expect(await totals('contact', kept)).toEqual({ sent: 3, views: 1, clicks: 2 })
    expect(await totals('contact', merged)).toEqual({ sent: 0, views: 0, clicks: 0 })
    expect(await totals('contact', bystander)).toEqual({ sent: 1, views: 0, clicks: 2 })
    expect(await totals('target_group', group)).toEqual({ sent: 3, views: 1, clicks: 2 })
    expect(await totals('workspace')).toEqual({ ...workspace, clicks: workspace.clicks + 1 })
    // Max reached as two contacts is one person now: counted once, in every scope.
    expect(await people('workspace')).toEqual({ reached: 2, clicked: 2 })
    expect(await people('campaign', campaign.campaignId)).toEqual({ reached: 2, clicked: 2 })
    // The same figures when everything is counted anew from the events.
    await rebuildRollups(t.db)
    expect(await totals('contact', kept)).toEqual({ sent: 3, views: 1, clicks: 2 })
    expect(await totals('target_group', group)).toEqual({ sent: 3, views: 1, clicks: 2 })
    expect(await people('workspace')).toEqual({ reached: 2, clicked: 2 })
  })

  it('the most restrictive status wins', async () => {
    const w = await t.addWorkspace('Severity')
    const a = await contact(w, { email: 'a@sev.com' })
    const b = await contact(w, { email: 'b@sev.com' })
    const c = await contact(w, { email: 'c@sev.com' })
    await t.request('POST', `/api/contacts/${b.id}/actions/blacklist`, { token: w.marketer.token, json: {} })
    await t.request('POST', `/api/contacts/${c.id}/actions/unsubscribe`, {
      token: w.marketer.token,
      json: {},
    })
    const res = await t.request('POST', '/api/duplicates/merge', {
      token: w.marketer.token,
      json: { contactIds: [a.id, b.id, c.id], keep: 'earlier' },
    })
    expect(res.body).toMatchObject({ id: a.id, status: 'blacklisted' })
    const history = await t.request('GET', `/api/contacts/${a.id}/status-history`, {
      token: w.marketer.token,
    })
    expect(history.body[0]).toMatchObject({
      from: 'active',
      to: 'blacklisted',
      reason: 'Merged with b@sev.com, c@sev.com',
    })
  })

  it.each([
    [
      { contactIds: ['00000000-0000-4000-8000-000000000000'], keep: 'earlier' },
      'contactIds',
      'Give at least 2 items.',
    ],
    [{ contactIds: ['x', 'y'], keep: 'earlier' }, 'contactIds.0', 'This is not a valid id.'],
    [{ contactIds: ['$a', '$b'], keep: 'first' }, 'keep', 'Choose one of: earlier, later.'],
    [{ contactIds: ['$a', '$a'], keep: 'earlier' }, 'contactIds', 'Choose at least two contacts.'],
    [{ contactIds: ['$a', '$other'], keep: 'earlier' }, 'contactIds.1', 'There is no contact with this id.'],
  ])('answers 422 for %j and changes nothing', async (json, field, message) => {
    const a = await contact(t.a, { email: `a-${Math.random()}@bad-merge.com` })
    const b = await contact(t.a, { email: `b-${Math.random()}@bad-merge.com` })
    const other = await contact(t.b, { email: `o-${Math.random()}@bad-merge.com` })
    const ids = { $a: a.id, $b: b.id, $other: other.id } as Record<string, string>
    const body = { ...json, contactIds: json.contactIds.map((id) => ids[id] ?? id) }
    const res = await t.request('POST', '/api/duplicates/merge', { token: t.a.marketer.token, json: body })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    for (const [w, c] of [
      [t.a, a],
      [t.a, b],
      [t.b, other],
    ] as const) {
      const still = await t.request('GET', `/api/contacts/${c.id}`, { token: w.marketer.token })
      expect(still.body.deletedAt).toBeNull()
    }
  })

  it('lists only the caller’s duplicates', async () => {
    await contact(t.b, { email: 'iso@dupe.com' })
    await contact(t.b, { email: 'iso+1@dupe.com' })
    const res = await t.request('GET', '/api/duplicates', { token: t.a.marketer.token })
    expect(res.body.groups.map((g: { key: string }) => g.key)).not.toContain('iso@dupe.com')
  })
})

describe('POST /api/duplicates/merge-all', () => {
  it('removes every duplicate of a channel, keeping the earlier record of each, and no one else’s', async () => {
    const w = await t.addWorkspace('Remove duplicates')
    const other = await t.addWorkspace('Untouched')
    await contact(other, { email: 'anna@merge-all.com' })
    await contact(other, { email: 'anna+x@merge-all.com' })
    const anna = await contact(w, { email: 'anna@merge-all.com', labels: ['fair'] })
    await contact(w, { email: 'anna+news@merge-all.com', labels: ['vip'] })
    await contact(w, { email: 'anna+2@merge-all.com' })
    const ben = await contact(w, { email: 'b.en@gmail.com' })
    const blocked = await contact(w, { email: 'ben@googlemail.com' })
    await t.request('POST', `/api/contacts/${blocked.id}/actions/blacklist`, {
      token: w.marketer.token,
      json: {},
    })
    await contact(w, { email: 'single@merge-all.com', phone: '030 1234567' })
    await contact(w, { email: 'same-phone@merge-all.com', phone: '+49 30 1234567' })

    const post = (json: unknown, token = w.marketer.token) =>
      t.request('POST', '/api/duplicates/merge-all', { token, json })
    expect((await post({ channel: 'fax', keep: 'earlier' })).body).toEqual(
      apiError('validation_failed', 'Choose one of: email, phone.', 'channel'),
    )
    expect((await post({ channel: 'email' })).body.error.field).toBe('keep')
    expect((await post({ channel: 'email', keep: 'earlier' }, w.employee.token)).status).toBe(403)

    const res = await post({ channel: 'email', keep: 'earlier' })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ groups: 2, contacts: 3 })
    const live = await t.request('GET', '/api/contacts?limit=50', { token: w.marketer.token })
    live.body.items.sort((a: { email: string }, b: { email: string }) => a.email.localeCompare(b.email))
    expect(
      live.body.items.map((c: { email: string; status: string; labels: string[] }) => [
        c.email,
        c.status,
        c.labels,
      ]),
    ).toEqual([
      ['anna@merge-all.com', 'active', ['fair', 'vip']],
      ['b.en@gmail.com', 'blacklisted', []],
      ['same-phone@merge-all.com', 'active', []],
      ['single@merge-all.com', 'active', []],
    ])
    expect(live.body.items.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining([anna.id, ben.id]),
    )
    const dupes = await t.request('GET', '/api/duplicates', { token: w.marketer.token })
    expect(dupes.body.counts).toEqual({ email: 0, phone: 1 })
    // Another workspace's duplicates are not touched.
    expect(
      (await t.request('GET', '/api/duplicates', { token: other.marketer.token })).body.counts.email,
    ).toBe(1)
  })
})
