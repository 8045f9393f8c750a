import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const post = (path: string, json: unknown, token = t.a.marketer.token) =>
  t.request('POST', path, { token, json })

async function group(json: Record<string, unknown>, token = t.a.marketer.token) {
  const res = await post('/api/target-groups', json, token)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

describe('static target groups', () => {
  it('adds accounts by id and domain (creating missing ones), lists, removes, counts', async () => {
    const acme = (await post('/api/accounts', { domain: 'tg-acme.com' })).body
    const g = await group({ name: 'Key accounts', kind: 'account' })
    expect(g).toMatchObject({ name: 'Key accounts', kind: 'account', segmentId: null, memberCount: 0 })

    const added = await post(`/api/target-groups/${g.id}/members/add`, {
      ids: [acme.id],
      domains: ['https://www.tg-new.com/about', 'tg-acme.com'],
    })
    expect(added.body).toEqual({ changed: 2, created: 1, memberCount: 2 })
    const again = await post(`/api/target-groups/${g.id}/members/add`, { domains: ['tg-new.com'] })
    expect(again.body).toEqual({ changed: 0, created: 0, memberCount: 2 })

    const members = await t.request('GET', `/api/target-groups/${g.id}/members?sort=name&q=tg-new`, {
      token: t.a.marketer.token,
    })
    expect(members.body).toMatchObject({ total: 1, items: [{ domain: 'tg-new.com' }] })

    const removed = await post(`/api/target-groups/${g.id}/members/remove`, { domains: ['tg-acme.com'] })
    expect(removed.body).toEqual({ changed: 1, created: 0, memberCount: 1 })

    const list = await t.request('GET', '/api/target-groups', { token: t.a.marketer.token })
    expect(list.body.find((x: { id: string }) => x.id === g.id).memberCount).toBe(1)
  })

  it('adds contacts by email (creating missing ones) and hides deleted members', async () => {
    const g = await group({ name: 'Webinar', kind: 'contact' })
    const res = await post(`/api/target-groups/${g.id}/members/add`, {
      emails: ['Max Mustermann <max@tg-contacts.com>', 'MAX@tg-contacts.com', 'eva@tg-contacts.com'],
    })
    expect(res.body).toEqual({ changed: 2, created: 2, memberCount: 2 })
    const members = await t.request('GET', `/api/target-groups/${g.id}/members?sort=name&order=asc`, {
      token: t.a.marketer.token,
    })
    expect(members.body.items.map((c: { email: string }) => c.email)).toEqual([
      'eva@tg-contacts.com',
      'max@tg-contacts.com',
    ])
    await t.request('DELETE', `/api/contacts/${members.body.items[0].id}`, { token: t.a.marketer.token })
    const after = await t.request('GET', `/api/target-groups/${g.id}`, { token: t.a.marketer.token })
    expect(after.body.memberCount).toBe(1)
  })

  it('renames, and deleting the group keeps its members', async () => {
    const g = await group({ name: 'Old', kind: 'account' })
    await post(`/api/target-groups/${g.id}/members/add`, { domains: ['tg-keep.com'] })
    const renamed = await t.request('PATCH', `/api/target-groups/${g.id}`, {
      token: t.a.marketer.token,
      json: { name: 'New' },
    })
    expect(renamed.body).toMatchObject({ name: 'New', memberCount: 1 })
    expect(
      (await t.request('DELETE', `/api/target-groups/${g.id}`, { token: t.a.marketer.token })).status,
    ).toBe(204)
    expect((await t.request('GET', `/api/target-groups/${g.id}`, { token: t.a.marketer.token })).status).toBe(
      404,
    )
    const kept = await t.request('GET', '/api/accounts?q=tg-keep.com', { token: t.a.marketer.token })
    expect(kept.body.total).toBe(1)
  })

  it.each([
    [
      { domains: ['gmail.com'] },
      'domains.0',
      'gmail.com is a free-mail or internet-provider domain and cannot be an account.',
    ],
    [{ ids: ['nope'] }, 'ids.0', 'This is not a valid id.'],
    [{ ids: ['00000000-0000-4000-8000-000000000000'] }, 'ids.0', 'There is no account with this id.'],
    [{ emails: ['a@tg-bad.com'] }, 'emails', 'Add accounts to an account group by id or domain.'],
    [
      { domains: ['tg-fine.com', 'x'] },
      'domains.1',
      'Enter a company domain such as acme.com, or its web address.',
    ],
  ])('answers 422 for %j and changes nothing', async (json, field, message) => {
    const g = await group({ name: 'Bad input', kind: 'account' })
    const res = await post(`/api/target-groups/${g.id}/members/add`, json)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const after = await t.request('GET', `/api/target-groups/${g.id}`, { token: t.a.marketer.token })
    expect(after.body.memberCount).toBe(0)
    const created = await t.request('GET', '/api/accounts?q=tg-fine.com', { token: t.a.marketer.token })
    expect(created.body.total).toBe(0)
  })

  it.each([
    [{ name: '', kind: 'account' }, 'name', 'This field cannot be empty.'],
    [{ name: 'X', kind: 'people' }, 'kind', 'Choose one of: account, contact.'],
    [
      { name: 'X', kind: 'account', segmentId: '00000000-0000-4000-8000-000000000000' },
      'segmentId',
      'This segment does not exist.',
    ],
  ])('refuses to create %j', async (json, field, message) => {
    const res = await post('/api/target-groups', json)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })
})

describe('dynamic target groups', () => {
  it('has as members whatever its segment matches now, and refuses manual members', async () => {
    const segment = await post('/api/segments', {
      name: 'VIPs',
      kind: 'contact',
      filter: {
        type: 'group',
        combinator: 'and',
        conditions: [{ type: 'labels', op: 'any', values: ['tg-vip'] }],
      },
    })
    expect(segment.status).toBe(201)
    const g = await group({ name: 'VIP group', kind: 'contact', segmentId: segment.body.id })
    expect(g.memberCount).toBe(0)
    const c = (await post('/api/contacts', { email: 'vip@tg-dyn.com', labels: ['tg-vip'] })).body
    const now = await t.request('GET', `/api/target-groups/${g.id}/members`, { token: t.a.marketer.token })
    expect(now.body).toMatchObject({ total: 1, items: [{ id: c.id }] })
    const refused = await post(`/api/target-groups/${g.id}/members/add`, { ids: [c.id] })
    expect(refused.status).toBe(409)
    expect(refused.body).toEqual(
      apiError(
        'conflict',
        'This group is defined by a segment; change the segment to change its members.',
        'id',
      ),
    )
    const del = await t.request('DELETE', `/api/segments/${segment.body.id}`, { token: t.a.marketer.token })
    expect(del.status).toBe(409)
  })

  it('refuses a segment of the other kind', async () => {
    const segment = await post('/api/segments', {
      name: 'Accounts',
      kind: 'account',
      filter: { type: 'group', combinator: 'and', conditions: [] },
    })
    const res = await post('/api/target-groups', { name: 'X', kind: 'contact', segmentId: segment.body.id })
    expect(res.body).toEqual(
      apiError('validation_failed', 'This is a segment of accounts, not of contacts.', 'segmentId'),
    )
  })
})

describe('isolation between workspaces', () => {
  it.each([
    ['GET', '', undefined],
    ['PATCH', '', { name: 'Hacked' }],
    ['DELETE', '', undefined],
    ['GET', '/members', undefined],
    ['POST', '/members/add', { domains: ['tg-hack.com'] }],
    ['POST', '/members/remove', { domains: ['tg-iso.com'] }],
  ])(
    '%s /api/target-groups/:id%s of another workspace answers 404 and changes nothing',
    async (method, suffix, json) => {
      const g = await group({ name: 'Mine', kind: 'account' })
      await post(`/api/target-groups/${g.id}/members/add`, { domains: ['tg-iso.com'] })
      const res = await t.request(method, `/api/target-groups/${g.id}${suffix}`, {
        token: t.b.admin.token,
        json,
      })
      expect(res.status).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'Target group not found.'))
      const still = await t.request('GET', `/api/target-groups/${g.id}`, { token: t.a.marketer.token })
      expect(still.body).toMatchObject({ name: 'Mine', memberCount: 1 })
    },
  )

  it('cannot add another workspace’s account by id', async () => {
    const theirs = (await post('/api/accounts', { domain: 'tg-theirs.com' }, t.b.marketer.token)).body
    const g = await group({ name: 'Mine', kind: 'account' })
    const res = await post(`/api/target-groups/${g.id}/members/add`, { ids: [theirs.id] })
    expect(res.body).toEqual(apiError('validation_failed', 'There is no account with this id.', 'ids.0'))
  })

  it('lists only the caller’s groups', async () => {
    await group({ name: 'Only A', kind: 'account' })
    const res = await t.request('GET', '/api/target-groups', { token: t.b.marketer.token })
    expect(res.body.map((g: { name: string }) => g.name)).not.toContain('Only A')
  })
})

describe('GET /api/target-groups?accountId|contactId', () => {
  it('lists the static and dynamic groups one account or contact is in', async () => {
    const accounts = await group({ name: 'Of: accounts', kind: 'account' })
    await post(`/api/target-groups/${accounts.id}/members/add`, { domains: ['tg-of.com'] })
    // The contact is linked to the account of its domain, created just above.
    const contact = (await post('/api/contacts', { email: 'eva@tg-of.com', labels: ['tg-of'] })).body
    const segment = await post('/api/segments', {
      name: 'tg-of label',
      kind: 'contact',
      filter: {
        type: 'group',
        combinator: 'and',
        conditions: [{ type: 'labels', op: 'any', values: ['tg-of'] }],
      },
    })
    const dynamic = await group({ name: 'Of: dynamic', kind: 'contact', segmentId: segment.body.id })
    const statics = await group({ name: 'Of: static', kind: 'contact' })
    await group({ name: 'Of: not a member', kind: 'contact' })
    await post(`/api/target-groups/${statics.id}/members/add`, { ids: [contact.id] })

    const ofContact = await t.request('GET', `/api/target-groups?contactId=${contact.id}`, {
      token: t.a.marketer.token,
    })
    expect(ofContact.status).toBe(200)
    expect(ofContact.body.map((g: { id: string }) => g.id).sort()).toEqual([dynamic.id, statics.id].sort())
    const ofAccount = await t.request('GET', `/api/target-groups?accountId=${contact.accountId}`, {
      token: t.a.marketer.token,
    })
    expect(ofAccount.body).toMatchObject([{ id: accounts.id, memberCount: 1 }])
  })

  it.each([
    ['contactId=nope', 'contactId', 'This is not a valid id.'],
    [
      'accountId=00000000-0000-4000-8000-000000000000&contactId=00000000-0000-4000-8000-000000000000',
      'contactId',
      'Ask for the groups of an account or of a contact, not both.',
    ],
  ])('answers 422 for ?%s', async (query, field, message) => {
    const res = await t.request('GET', `/api/target-groups?${query}`, { token: t.a.marketer.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })

  it.each([
    ['contactId', 'contacts', { email: 'iso@tg-of-b.com' }, 'Contact not found.'],
    ['accountId', 'accounts', { domain: 'tg-of-b.com' }, 'Account not found.'],
  ])('answers 404 for the %s of another workspace', async (param, path, json, message) => {
    const theirs = (await post(`/api/${path}`, json, t.b.marketer.token)).body
    const res = await t.request('GET', `/api/target-groups?${param}=${theirs.id}`, {
      token: t.a.marketer.token,
    })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', message))
  })
})
