import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import { statusAfter } from './service.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

describe('statusAfter', () => {
  it.each([
    ['blacklist', 'active', 'blacklisted'],
    ['blacklist', 'spam_report', 'blacklisted'],
    ['blacklist', 'blacklisted', 'This contact is already blacklisted.'],
    ['unsubscribe', 'active', 'unsubscribed'],
    ['unsubscribe', 'not_confirmed', 'unsubscribed'],
    ['unsubscribe', 'unsubscribed', 'This contact is already unsubscribed.'],
    [
      'unsubscribe',
      'hard_bounce',
      'This contact is hard-bounced, which already stops more than an unsubscribe.',
    ],
    [
      'unsubscribe',
      'blacklisted',
      'This contact is blacklisted, which already stops more than an unsubscribe.',
    ],
    ['remove-spam-report', 'spam_report', 'active'],
    ['remove-spam-report', 'active', 'This contact has no spam report to remove.'],
    ['reactivate', 'blacklisted', 'active'],
    ['reactivate', 'hard_bounce', 'active'],
    ['reactivate', 'not_confirmed', 'active'],
    ['reactivate', 'active', 'This contact is already active.'],
    ['reactivate', 'unsubscribed', 'Only the contact can undo an unsubscribe.'],
    ['reactivate', 'spam_report', 'Remove the spam report to make this contact active again.'],
  ] as const)('%s on %s → %s', (action, from, expected) => {
    if (expected.includes(' ')) expect(() => statusAfter(action, from)).toThrow(expected)
    else expect(statusAfter(action, from)).toBe(expected)
  })
})

describe('POST /api/contacts/:id/actions/:action', () => {
  it('changes the status and keeps its history with reason and actor', async () => {
    const named = await t.request('PATCH', `/api/users/${t.a.marketer.id}`, {
      token: t.a.admin.token,
      json: { firstName: 'Mia', lastName: 'Marketing' },
    })
    expect(named.status).toBe(200)
    const c = (
      await t.request('POST', '/api/contacts', { token: t.a.marketer.token, json: { email: 'h@hist.com' } })
    ).body
    const black = await t.request('POST', `/api/contacts/${c.id}/actions/blacklist`, {
      token: t.a.marketer.token,
      json: { reason: 'Asked us to stop' },
    })
    expect(black.body.status).toBe('blacklisted')
    await t.request('POST', `/api/contacts/${c.id}/actions/reactivate`, { token: t.a.admin.token, json: {} })
    const history = await t.request('GET', `/api/contacts/${c.id}/status-history`, {
      token: t.a.marketer.token,
    })
    // Who made each change, by name; the marketer is named in their profile, the admin is not.
    const admin = t.a.admin.email
    expect(history.body).toEqual([
      {
        from: 'blacklisted',
        to: 'active',
        reason: '',
        actorId: t.a.admin.id,
        actorName: admin,
        at: expect.any(String),
      },
      {
        from: 'active',
        to: 'blacklisted',
        reason: 'Asked us to stop',
        actorId: t.a.marketer.id,
        actorName: 'Mia Marketing',
        at: expect.any(String),
      },
      {
        from: null,
        to: 'active',
        reason: 'Created',
        actorId: t.a.marketer.id,
        actorName: 'Mia Marketing',
        at: expect.any(String),
      },
    ])
  })

  it('opts out of tracking once', async () => {
    const c = (
      await t.request('POST', '/api/contacts', { token: t.a.marketer.token, json: { email: 'o@optout.com' } })
    ).body
    const res = await t.request('POST', `/api/contacts/${c.id}/actions/opt-out`, {
      token: t.a.marketer.token,
      json: { reason: 'Asked by phone' },
    })
    expect(res.body.trackingOptOutAt).toEqual(expect.any(String))
    expect(res.body.status).toBe('active')
    const history = await t.request('GET', `/api/contacts/${c.id}/status-history`, {
      token: t.a.marketer.token,
    })
    expect(history.body[0]).toMatchObject({
      from: 'active',
      to: 'active',
      reason: 'Opted out of tracking: Asked by phone',
      actorId: t.a.marketer.id,
    })
    const again = await t.request('POST', `/api/contacts/${c.id}/actions/opt-out`, {
      token: t.a.marketer.token,
      json: {},
    })
    expect(again.status).toBe(409)
    expect(again.body).toEqual(
      apiError('conflict', 'This contact has already opted out of tracking.', 'action'),
    )
  })

  it('refuses a disallowed action with 409 and changes nothing', async () => {
    const c = (
      await t.request('POST', '/api/contacts', { token: t.a.marketer.token, json: { email: 'u@unsub.com' } })
    ).body
    await t.request('POST', `/api/contacts/${c.id}/actions/unsubscribe`, {
      token: t.a.marketer.token,
      json: {},
    })
    const res = await t.request('POST', `/api/contacts/${c.id}/actions/reactivate`, {
      token: t.a.marketer.token,
      json: {},
    })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(apiError('conflict', 'Only the contact can undo an unsubscribe.', 'action'))
    const got = await t.request('GET', `/api/contacts/${c.id}`, { token: t.a.marketer.token })
    expect(got.body.status).toBe('unsubscribed')
  })

  it.each([
    [
      'explode',
      {},
      'action',
      'Choose one of: blacklist, unsubscribe, remove-spam-report, opt-out, reactivate.',
    ],
    ['blacklist', { reason: 5 }, 'reason', 'Expected a string, got a number.'],
  ])('answers 422 for %s %j', async (action, json, field, message) => {
    const c = (
      await t.request('POST', '/api/contacts', {
        token: t.a.marketer.token,
        json: { email: `bad-${action}@act.com` },
      })
    ).body
    const res = await t.request('POST', `/api/contacts/${c.id}/actions/${action}`, {
      token: t.a.marketer.token,
      json,
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })
})

describe('delete, restore, erase', () => {
  it('soft-deletes, lists as deleted (searchable, by deletion date), restores', async () => {
    const c = (
      await t.request('POST', '/api/contacts', {
        token: t.a.marketer.token,
        json: { email: 'del@deleted.com' },
      })
    ).body
    await t.request('DELETE', `/api/contacts/${c.id}?reason=Left%20company`, { token: t.a.marketer.token })
    expect((await t.request('GET', `/api/contacts/${c.id}`, { token: t.a.marketer.token })).status).toBe(404)
    const list = await t.request('GET', '/api/contacts/deleted?q=deleted.com&sort=deleted', {
      token: t.a.marketer.token,
    })
    expect(list.body).toMatchObject({ total: 1, items: [{ id: c.id, deletedReason: 'Left company' }] })
    const live = await t.request('GET', '/api/contacts?q=deleted.com', { token: t.a.marketer.token })
    expect(live.body.total).toBe(0)
    // The address stays the deleted contact's: a new contact or a changed address may not take it.
    const taken = apiError(
      'conflict',
      'A deleted contact has this email address. Restore it from Deleted instead.',
      'email',
    )
    const again = await t.request('POST', '/api/contacts', {
      token: t.a.marketer.token,
      json: { email: 'Del@Deleted.com' },
    })
    expect(again.body).toEqual(taken)
    const other = (
      await t.request('POST', '/api/contacts', {
        token: t.a.marketer.token,
        json: { email: 'o@deleted.com' },
      })
    ).body
    const moved = await t.request('PATCH', `/api/contacts/${other.id}`, {
      token: t.a.marketer.token,
      json: { email: 'del@deleted.com' },
    })
    expect(moved.body).toEqual(taken)
    expect(
      (await t.request('GET', '/api/contacts?q=deleted.com', { token: t.a.marketer.token })).body,
    ).toMatchObject({ total: 1, items: [{ email: 'o@deleted.com' }] })
    // Another workspace's deleted contact takes nothing from this one.
    const elsewhere = await t.request('POST', '/api/contacts', {
      token: t.b.marketer.token,
      json: { email: 'del@deleted.com' },
    })
    expect(elsewhere.status).toBe(201)
    const restored = await t.request('POST', `/api/contacts/${c.id}/restore`, { token: t.a.marketer.token })
    expect(restored.body).toMatchObject({ id: c.id, deletedAt: null })
  })

  it('lists and exports the deleted contacts of a status', async () => {
    const token = t.a.marketer.token
    const made = []
    for (const email of ['spam@deleted-status.com', 'fine@deleted-status.com'])
      made.push((await t.request('POST', '/api/contacts', { token, json: { email } })).body)
    await t.request('POST', `/api/contacts/${made[0].id}/actions/blacklist`, { token, json: {} })
    for (const c of made) await t.request('DELETE', `/api/contacts/${c.id}`, { token })
    const list = await t.request('GET', '/api/contacts/deleted?q=deleted-status.com&status=blacklisted', {
      token,
    })
    expect(list.body).toMatchObject({ total: 1, items: [{ email: 'spam@deleted-status.com' }] })
    const csv = await t.app.request('/api/contacts/deleted/export.csv?q=deleted-status.com&status=active', {
      headers: { authorization: `Bearer ${token}` },
    })
    const text = await csv.text()
    expect(text).toContain('fine@deleted-status.com')
    expect(text).not.toContain('spam@deleted-status.com')
    const bad = await t.request('GET', '/api/contacts/deleted?status=gone', { token })
    expect(bad.status).toBe(422)
    expect(bad.body.error.field).toBe('status.0')
  })

  it('erases only a deleted contact', async () => {
    const c = (
      await t.request('POST', '/api/contacts', {
        token: t.a.marketer.token,
        json: { email: 'erase@erase.com' },
      })
    ).body
    const live = await t.request('POST', `/api/contacts/${c.id}/erase`, { token: t.a.marketer.token })
    expect(live.body).toEqual(apiError('not_found', 'Deleted contact not found.'))
    await t.request('DELETE', `/api/contacts/${c.id}`, { token: t.a.marketer.token })
    expect(
      (await t.request('POST', `/api/contacts/${c.id}/erase`, { token: t.a.marketer.token })).status,
    ).toBe(204)
    const list = await t.request('GET', '/api/contacts/deleted?q=erase.com', { token: t.a.marketer.token })
    expect(list.body.total).toBe(0)
  })
})

describe('GET /api/contacts/status-counts', () => {
  it('counts the live or the deleted contacts of each status, of this workspace only', async () => {
    const w = await t.addWorkspace('Counts')
    const token = w.marketer.token
    const made: { id: string }[] = []
    for (const email of ['a@counts.com', 'b@counts.com', 'c@counts.com', 'd@counts.com'])
      made.push((await t.request('POST', '/api/contacts', { token, json: { email } })).body)
    await t.request('POST', `/api/contacts/${made[0]!.id}/actions/unsubscribe`, { token, json: {} })
    await t.request('POST', `/api/contacts/${made[1]!.id}/actions/blacklist`, { token, json: {} })
    await t.request('DELETE', `/api/contacts/${made[1]!.id}`, { token })
    await t.request('POST', '/api/contacts', { token: t.b.marketer.token, json: { email: 'x@counts.com' } })
    const counts = async (query = '') => {
      const res = await t.request('GET', `/api/contacts/status-counts${query}`, { token })
      expect(res.status).toBe(200)
      return Object.fromEntries(res.body.map((r: { status: string; count: number }) => [r.status, r.count]))
    }
    const none = { not_confirmed: 0, hard_bounce: 0, spam_report: 0 }
    expect(await counts()).toEqual({ active: 2, unsubscribed: 1, blacklisted: 0, ...none })
    expect(await counts('?deleted=true')).toEqual({ active: 0, unsubscribed: 0, blacklisted: 1, ...none })
    const bad = await t.request('GET', '/api/contacts/status-counts?deleted=maybe', { token })
    expect(bad.status).toBe(422)
    expect(bad.body.error.field).toBe('deleted')
    expect((await t.request('GET', '/api/contacts/status-counts', { token: w.employee.token })).status).toBe(
      403,
    )
  })
})

describe('isolation between workspaces', () => {
  it.each([
    ['GET', '', undefined],
    ['PATCH', '', { firstName: 'Hacked' }],
    ['DELETE', '', undefined],
    ['POST', '/actions/blacklist', {}],
    ['GET', '/status-history', undefined],
  ])(
    '%s /api/contacts/:id%s of another workspace answers 404 and changes nothing',
    async (method, suffix, json) => {
      const c = (
        await t.request('POST', '/api/contacts', {
          token: t.a.marketer.token,
          json: { email: `iso-${method}${suffix.replaceAll('/', '-')}@iso.com`, firstName: 'Mine' },
        })
      ).body
      const res = await t.request(method, `/api/contacts/${c.id}${suffix}`, { token: t.b.admin.token, json })
      expect(res.status).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'Contact not found.'))
      const still = await t.request('GET', `/api/contacts/${c.id}`, { token: t.a.marketer.token })
      expect(still.body).toMatchObject({ firstName: 'Mine', status: 'active', deletedAt: null })
    },
  )

  it.each(['restore', 'erase'])(
    'POST /api/contacts/:id/%s of another workspace answers 404',
    async (action) => {
      const c = (
        await t.request('POST', '/api/contacts', {
          token: t.a.marketer.token,
          json: { email: `iso-${action}@iso.com` },
        })
      ).body
      await t.request('DELETE', `/api/contacts/${c.id}`, { token: t.a.marketer.token })
      const res = await t.request('POST', `/api/contacts/${c.id}/${action}`, { token: t.b.admin.token })
      expect(res.body).toEqual(apiError('not_found', 'Deleted contact not found.'))
      const list = await t.request('GET', `/api/contacts/deleted?q=iso-${action}`, {
        token: t.a.marketer.token,
      })
      expect(list.body.total).toBe(1)
    },
  )

  it('lists only the caller’s contacts and links only to the caller’s accounts', async () => {
    await t.request('POST', '/api/accounts', { token: t.b.marketer.token, json: { domain: 'iso-b.com' } })
    const c = (
      await t.request('POST', '/api/contacts', { token: t.a.marketer.token, json: { email: 'x@iso-b.com' } })
    ).body
    expect(c.accountId).toBeNull()
    const res = await t.request('GET', '/api/contacts?q=iso-b.com', { token: t.b.marketer.token })
    expect(res.body.total).toBe(0)
  })
})
