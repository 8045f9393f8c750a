import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const send = (method: string, path: string, json?: unknown, token = t.a.marketer.token) =>
  t.request(method, path, json === undefined ? { token } : { token, json })

async function created(path: string, json: unknown, token = t.a.marketer.token) {
  const res = await send('POST', path, json, token)
  expect(res.status, res.text).toBe(201)
  return res.body
}

/** `n` contacts at one domain, labelled with it, in workspace A (or the given token's). */
async function contacts(domain: string, n: number, token = t.a.marketer.token) {
  const list = []
  for (let i = 0; i < n; i++) {
    list.push(await created('/api/contacts', { email: `p${i}@${domain}`, labels: [domain] }, token))
  }
  return list as { id: string; email: string }[]
}

const get = async (path: string, token = t.a.marketer.token) =>
  (await send('GET', path, undefined, token)).body
const statusOf = async (id: string) => (await get(`/api/contacts/${id}`)).status

describe('POST /api/contacts/bulk', () => {
  it('adds the selected contacts to a static group in one request and counts what changed', async () => {
    const people = await contacts('bulk-group.com', 3)
    const group = await created('/api/target-groups', { name: 'Fair', kind: 'contact' })
    const ids = people.map((p) => p.id)
    const first = await send('POST', '/api/contacts/bulk', {
      action: 'add-to-group',
      targetGroupId: group.id,
      ids: ids.slice(0, 2),
    })
    expect(first.status, first.text).toBe(200)
    expect(first.body).toEqual({ matched: 2, changed: 2 })
    const again = await send('POST', '/api/contacts/bulk', {
      action: 'add-to-group',
      targetGroupId: group.id,
      ids,
    })
    expect(again.body).toEqual({ matched: 3, changed: 1 })
    expect((await get(`/api/target-groups/${group.id}`)).memberCount).toBe(3)

    const removed = await send('POST', '/api/contacts/bulk', {
      action: 'remove-from-group',
      targetGroupId: group.id,
      ids: [ids[0]],
    })
    expect(removed.body).toEqual({ matched: 1, changed: 1 })
    expect((await get(`/api/target-groups/${group.id}`)).memberCount).toBe(2)
  })

  it('acts on every contact a filter matches, with the list query (search, label, smart-search filter)', async () => {
    await contacts('bulk-match.com', 4)
    const vip = (await get('/api/contacts?q=p0@bulk-match.com')).items[0]
    await send('PATCH', `/api/contacts/${vip.id}`, { labels: ['bulk-match.com', 'vip'] })

    const labelled = await send('POST', '/api/contacts/bulk', {
      action: 'add-label',
      label: 'fair-2026',
      matching: { label: 'bulk-match.com' },
    })
    expect(labelled.body).toEqual({ matched: 4, changed: 4 })
    expect((await get('/api/contacts?label=fair-2026')).total).toBe(4)

    const filter = JSON.stringify({
      type: 'group',
      combinator: 'and',
      conditions: [{ type: 'labels', op: 'none', values: ['vip'] }],
    })
    const unlabelled = await send('POST', '/api/contacts/bulk', {
      action: 'remove-label',
      label: 'fair-2026',
      matching: { q: 'bulk-match', filter },
    })
    expect(unlabelled.body).toEqual({ matched: 3, changed: 3 })
    const left = await get('/api/contacts?label=fair-2026')
    expect(left.items.map((c: { email: string }) => c.email)).toEqual(['p0@bulk-match.com'])
    expect(left.items[0].labels).toEqual(['bulk-match.com', 'vip', 'fair-2026'])
  })

  it('applies a status action by the one-contact rules, with history, and leaves the others as they are', async () => {
    const [a, b, c] = await contacts('bulk-status.com', 3)
    await send('POST', `/api/contacts/${b!.id}/actions/blacklist`, {})
    const res = await send('POST', '/api/contacts/bulk', {
      action: 'unsubscribe',
      reason: 'Asked at the fair',
      ids: [a!.id, b!.id, c!.id],
    })
    // A blacklisted contact stays blacklisted: an unsubscribe would make it less restricted.
    expect(res.body).toEqual({ matched: 3, changed: 2 })
    expect([await statusOf(a!.id), await statusOf(b!.id), await statusOf(c!.id)]).toEqual([
      'unsubscribed',
      'blacklisted',
      'unsubscribed',
    ])
    const history = await get(`/api/contacts/${a!.id}/status-history`)
    expect(history[0]).toMatchObject({
      from: 'active',
      to: 'unsubscribed',
      reason: 'Asked at the fair',
      actorId: t.a.marketer.id,
    })
    expect(await get(`/api/contacts/${b!.id}/status-history`)).toHaveLength(2)

    const optOut = await send('POST', '/api/contacts/bulk', { action: 'opt-out', ids: [a!.id, b!.id] })
    expect(optOut.body).toEqual({ matched: 2, changed: 2 })
    expect((await get(`/api/contacts/${b!.id}/status-history`))[0]).toMatchObject({
      from: 'blacklisted',
      to: 'blacklisted',
      reason: 'Opted out of tracking',
      actorId: t.a.marketer.id,
    })
    const twice = await send('POST', '/api/contacts/bulk', {
      action: 'opt-out',
      ids: [a!.id],
      reason: 'Asked again',
    })
    expect(twice.body).toEqual({ matched: 1, changed: 0 })
    expect(await get(`/api/contacts/${a!.id}/status-history`)).toHaveLength(3)
    expect((await get(`/api/contacts/${a!.id}`)).trackingOptOutAt).not.toBeNull()
  })

  it('deletes (restorably) with the reason, and a deleted contact is no longer selectable', async () => {
    const people = await contacts('bulk-delete.com', 2)
    const ids = people.map((p) => p.id)
    const res = await send('POST', '/api/contacts/bulk', {
      action: 'delete',
      reason: 'Left the company',
      ids,
    })
    expect(res.body).toEqual({ matched: 2, changed: 2 })
    const deleted = await get('/api/contacts/deleted?q=bulk-delete.com')
    expect(deleted.total).toBe(2)
    expect(deleted.items[0].deletedReason).toBe('Left the company')
    const again = await send('POST', '/api/contacts/bulk', { action: 'delete', ids })
    expect(again.status).toBe(404)
    expect(again.body).toEqual(apiError('not_found', 'Contact not found.', 'ids.0'))
  })

  const many = Array.from({ length: 1001 }, () => randomUUID())
  it.each([
    [
      'ids',
      { action: 'add-label', label: 'x' },
      'Give the ids of the selected rows, or `matching` to act on every match of a filter.',
    ],
    ['ids', { action: 'add-label', label: 'x', ids: [] }, 'Select at least one row.'],
    ['ids.0', { action: 'add-label', label: 'x', ids: ['not-a-uuid'] }, /uuid|id/i],
    [
      'ids',
      { action: 'add-label', label: 'x', ids: many },
      'Select at most 1,000 rows, or act on every match of a filter.',
    ],
    [
      'ids',
      { action: 'add-label', label: 'x', ids: [randomUUID()], matching: {} },
      'Give either ids or `matching`, not both.',
    ],
    ['label', { action: 'add-label', label: 'x'.repeat(51), matching: {} }, /50/],
    ['action', { action: 'launch', matching: {} }, /action|expected/i],
    ['targetGroupId', { action: 'add-to-group', matching: {} }, /.+/],
    ['matching.sort', { action: 'delete', matching: { sort: 'name' } }, /sort|key/i],
    ['matching.status.0', { action: 'delete', matching: { status: 'sleeping' } }, /.+/],
    [
      'matching.filter',
      { action: 'delete', matching: { filter: '{not json' } },
      'The filter is not valid JSON.',
    ],
    [
      'matching.segmentId',
      { action: 'delete', matching: { segmentId: randomUUID() } },
      'This segment does not exist.',
    ],
  ] as const)('422 naming %s, nothing changed (case %#)', async (field, json, message) => {
    // The rows themselves: a list's total may come back as an estimate on a busy machine.
    const rows = async () => (await get('/api/contacts?limit=200')).items
    const before = await rows()
    const res = await send('POST', '/api/contacts/bulk', json)
    expect(res.status, res.text).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    expect(await rows()).toEqual(before)
  })

  it('records consent for many at once, keeps a consent already recorded, and withdraws it', async () => {
    const people = await contacts('bulk-consent.com', 3)
    const ids = people.map((p) => p.id)
    const earlier = await send('PATCH', `/api/contacts/${ids[0]}`, {
      consent: { given: true, at: '2026-01-05T09:00:00Z', method: 'Trade fair form' },
    })
    expect(earlier.status, earlier.text).toBe(200)

    const recorded = await send('POST', '/api/contacts/bulk', {
      action: 'record-consent',
      method: 'Double opt-in, spring mailing',
      at: '2026-03-01T08:00:00Z',
      matching: { label: 'bulk-consent.com' },
    })
    expect(recorded.status, recorded.text).toBe(200)
    expect(recorded.body).toEqual({ matched: 3, changed: 2 })
    const consents = async () =>
      Promise.all(ids.map(async (id) => (await get(`/api/contacts/${id}`)).consent))
    expect(await consents()).toEqual([
      { given: true, at: '2026-01-05T09:00:00.000Z', method: 'Trade fair form' },
      { given: true, at: '2026-03-01T08:00:00.000Z', method: 'Double opt-in, spring mailing' },
      { given: true, at: '2026-03-01T08:00:00.000Z', method: 'Double opt-in, spring mailing' },
    ])

    const withdrawn = await send('POST', '/api/contacts/bulk', {
      action: 'withdraw-consent',
      ids: ids.slice(1),
    })
    expect(withdrawn.body).toEqual({ matched: 2, changed: 2 })
    expect((await consents()).map((c) => c.given)).toEqual([true, false, false])
    const again = await send('POST', '/api/contacts/bulk', { action: 'withdraw-consent', ids: ids.slice(1) })
    expect(again.body).toEqual({ matched: 2, changed: 0 })
  })

  it.each([
    [{ method: '' }, 'method'],
    [{}, 'method'],
    [{ method: 'Form', at: '2999-01-01T00:00:00Z' }, 'at'],
    [{ method: 'Form', at: 'yesterday' }, 'at'],
    [{ method: 'Form', given: true }, 'given'],
  ])('refuses consent %j naming %s, and changes nothing', async (body, field) => {
    const [person] = await contacts(`bulk-consent-bad-${randomUUID().slice(0, 8)}.com`, 1)
    const res = await send('POST', '/api/contacts/bulk', {
      action: 'record-consent',
      ids: [person!.id],
      ...body,
    })
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe(field)
    expect((await get(`/api/contacts/${person!.id}`)).consent.given).toBe(false)
  })

  it('records no consent for another workspace’s contact', async () => {
    const [theirs] = await contacts('bulk-consent-b.com', 1, t.b.marketer.token)
    const res = await send('POST', '/api/contacts/bulk', {
      action: 'record-consent',
      method: 'Form',
      ids: [theirs!.id],
    })
    expect(res.status).toBe(404)
    expect((await get(`/api/contacts/${theirs!.id}`, t.b.marketer.token)).consent.given).toBe(false)
  })

  it('refuses a dynamic group, a group of accounts and a group of another workspace by targetGroupId', async () => {
    const [p] = await contacts('bulk-groups.com', 1)
    const segment = await created('/api/segments', {
      name: 'All',
      kind: 'contact',
      filter: { type: 'group', combinator: 'and', conditions: [] },
    })
    const dynamic = await created('/api/target-groups', {
      name: 'Dyn',
      kind: 'contact',
      segmentId: segment.id,
    })
    const accountsGroup = await created('/api/target-groups', { name: 'Acc', kind: 'account' })
    const theirs = await created('/api/target-groups', { name: 'B', kind: 'contact' }, t.b.marketer.token)
    const cases = [
      [
        dynamic.id,
        409,
        'conflict',
        'This group is defined by a segment; change the segment to change its members.',
      ],
      [
        accountsGroup.id,
        422,
        'validation_failed',
        'This is a group of accounts; choose a group of contacts.',
      ],
      [theirs.id, 404, 'not_found', 'Target group not found.'],
    ] as const
    for (const [targetGroupId, status, code, message] of cases) {
      const res = await send('POST', '/api/contacts/bulk', {
        action: 'add-to-group',
        targetGroupId,
        ids: [p!.id],
      })
      expect(res.status, res.text).toBe(status)
      expect(res.body).toEqual(apiError(code, message, 'targetGroupId'))
    }
    expect((await get(`/api/target-groups/${theirs.id}`, t.b.marketer.token)).memberCount).toBe(0)
  })

  it('refuses the whole request when one id is not a live contact of this workspace; nothing changes', async () => {
    const mine = await contacts('bulk-mine.com', 2)
    const [theirs] = await contacts('bulk-theirs.com', 1, t.b.marketer.token)
    for (const stranger of [theirs!.id, randomUUID()]) {
      const res = await send('POST', '/api/contacts/bulk', {
        action: 'blacklist',
        ids: [mine[0]!.id, mine[1]!.id, stranger],
      })
      // The same answer for another workspace's id as for one that does not exist.
      expect(res.status).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'Contact not found.', 'ids.2'))
    }
    expect([await statusOf(mine[0]!.id), await statusOf(mine[1]!.id)]).toEqual(['active', 'active'])
    expect((await get(`/api/contacts/${theirs!.id}`, t.b.marketer.token)).status).toBe('active')
  })

  it('never reaches another workspace through `matching`', async () => {
    await contacts('bulk-shared.com', 2)
    await contacts('bulk-shared.com', 3, t.b.marketer.token)
    const res = await send('POST', '/api/contacts/bulk', {
      action: 'add-label',
      label: 'mine',
      matching: { q: 'bulk-shared.com' },
    })
    expect(res.body).toEqual({ matched: 2, changed: 2 })
    expect((await get('/api/contacts?label=mine', t.b.marketer.token)).total).toBe(0)
  })

  it('is for marketers: an employee gets 403', async () => {
    const res = await send(
      'POST',
      '/api/contacts/bulk',
      { action: 'delete', matching: {} },
      t.a.employee.token,
    )
    expect(res.status).toBe(403)
  })
})

describe('POST /api/accounts/bulk', () => {
  it('adds to a group, deletes (unlinking their contacts) and refuses another workspace’s id', async () => {
    const one = await created('/api/accounts', { domain: 'bulk-one.com' })
    const two = await created('/api/accounts', { domain: 'bulk-two.com' })
    const [person] = await contacts('bulk-one.com', 1)
    expect((await get(`/api/contacts/${person!.id}`)).accountId).toBe(one.id)
    const theirs = await created('/api/accounts', { domain: 'bulk-three.com' }, t.b.marketer.token)
    const group = await created('/api/target-groups', { name: 'Key', kind: 'account' })

    const refused = await send('POST', '/api/accounts/bulk', { action: 'delete', ids: [one.id, theirs.id] })
    expect(refused.status).toBe(404)
    expect(refused.body).toEqual(apiError('not_found', 'Account not found.', 'ids.1'))
    expect((await get(`/api/accounts/${one.id}`)).deletedAt).toBeNull()

    const added = await send('POST', '/api/accounts/bulk', {
      action: 'add-to-group',
      targetGroupId: group.id,
      matching: { q: 'bulk-' },
    })
    expect(added.body).toEqual({ matched: 2, changed: 2 })

    const deleted = await send('POST', '/api/accounts/bulk', {
      action: 'delete',
      reason: 'Closed',
      ids: [one.id, two.id],
    })
    expect(deleted.body).toEqual({ matched: 2, changed: 2 })
    expect((await get('/api/accounts/deleted?q=bulk-one.com')).items[0].deletedReason).toBe('Closed')
    expect((await get(`/api/contacts/${person!.id}`)).accountId).toBeNull()
    expect((await get(`/api/accounts/${theirs.id}`, t.b.marketer.token)).deletedAt).toBeNull()
  })

  it('refuses contact actions and a contact group', async () => {
    const one = await created('/api/accounts', { domain: 'bulk-four.com' })
    const label = await send('POST', '/api/accounts/bulk', { action: 'add-label', label: 'x', ids: [one.id] })
    expect(label.status).toBe(422)
    expect(label.body.error.field).toBe('action')
    const group = await created('/api/target-groups', { name: 'People', kind: 'contact' })
    const res = await send('POST', '/api/accounts/bulk', {
      action: 'add-to-group',
      targetGroupId: group.id,
      ids: [one.id],
    })
    expect(res.body).toEqual(
      apiError(
        'validation_failed',
        'This is a group of contacts; choose a group of accounts.',
        'targetGroupId',
      ),
    )
  })
})
