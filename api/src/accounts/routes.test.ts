import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

async function create(json: Record<string, unknown>, token = t.a.marketer.token) {
  const res = await t.request('POST', '/api/accounts', { token, json })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

describe('POST /api/accounts', () => {
  it.each([
    ['https://www.Acme.co.uk/x', 'acme.co.uk', 'acme.co.uk'],
    ['mail.acme.com', 'acme.com', 'acme.com'],
    ['bücher.de', 'xn--bcher-kva.de', 'bücher.de'],
  ])('stores %s as %s, shown as %s', async (domain, stored, shown) => {
    const body = await create({ domain, name: 'Acme', customFields: { tier: 'gold', seats: 12 } })
    expect(body).toMatchObject({
      domain: stored,
      domainDisplay: shown,
      customFields: { tier: 'gold', seats: 12 },
    })
    const got = await t.request('GET', `/api/accounts/${body.id}`, { token: t.a.marketer.token })
    expect(got.body.domain).toBe(stored)
  })

  it.each([
    [
      { domain: 'gmail.com' },
      'domain',
      'gmail.com is a free-mail or internet-provider domain and cannot be an account.',
    ],
    [{ domain: 'localhost' }, 'domain', 'Enter a company domain such as acme.com, or its web address.'],
    [{ domain: '10.0.0.1' }, 'domain', 'Enter a company domain such as acme.com, or its web address.'],
    [{ domain: 'garbage' }, 'domain', 'Enter a company domain such as acme.com, or its web address.'],
    [{}, 'domain', 'This field is required.'],
    [
      { domain: 'ok.example.com', aliases: ['web.de'] },
      'aliases.0',
      'web.de is a free-mail or internet-provider domain and cannot be an account.',
    ],
    [{ domain: 'ok.example.com', customFields: { x: [1] } }, 'customFields.x', /./],
    [{ domain: 'ok.example.com', colour: 'red' }, 'colour', 'Unknown field: colour.'],
  ])('answers 422 for %j and creates nothing', async (json, field, message) => {
    const res = await t.request('POST', '/api/accounts', { token: t.a.marketer.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const list = await t.request('GET', '/api/accounts?q=example.com', { token: t.a.marketer.token })
    expect(list.body.total).toBe(0)
  })

  it('refuses a domain that is already an account or an alias', async () => {
    await create({ domain: 'taken.com', aliases: ['taken-alias.com'] })
    for (const domain of ['www.taken.com', 'taken-alias.com']) {
      const res = await t.request('POST', '/api/accounts', { token: t.a.marketer.token, json: { domain } })
      expect(res.status).toBe(409)
      expect(res.body).toEqual(
        apiError('conflict', `${domain.replace('www.', '')} already belongs to another account.`, 'domain'),
      )
    }
  })

  it('lets another workspace use the same domain', async () => {
    await create({ domain: 'shared-domain.com' })
    await create({ domain: 'shared-domain.com' }, t.b.marketer.token)
  })

  it('is not for employees', async () => {
    const res = await t.request('POST', '/api/accounts', {
      token: t.a.employee.token,
      json: { domain: 'x.com' },
    })
    expect(res.status).toBe(403)
  })
})

describe('PATCH /api/accounts/:id', () => {
  it('changes fields, merges custom fields and removes those set to null', async () => {
    const a = await create({ domain: 'patch.com', customFields: { a: 1, b: 2 } })
    const res = await t.request('PATCH', `/api/accounts/${a.id}`, {
      token: t.a.marketer.token,
      json: { name: 'Patched', industry: 'Steel', customFields: { b: null, c: 'x' } },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ name: 'Patched', industry: 'Steel', customFields: { a: 1, c: 'x' } })
    expect(res.body.customFields).not.toHaveProperty('b')
  })

  it.each([
    [
      { domain: 'outlook.com' },
      'domain',
      'outlook.com is a free-mail or internet-provider domain and cannot be an account.',
    ],
    [{ name: 5 }, 'name', 'Expected a string, got a number.'],
    [{ website: 'x'.repeat(2001) }, 'website', 'Use at most 2000 characters.'],
  ])('answers 422 for %j and changes nothing', async (json, field, message) => {
    const a = await create({ domain: `bad-${field}.com`, name: 'Keep' })
    const res = await t.request('PATCH', `/api/accounts/${a.id}`, { token: t.a.marketer.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const got = await t.request('GET', `/api/accounts/${a.id}`, { token: t.a.marketer.token })
    expect(got.body).toMatchObject({ name: 'Keep', domain: `bad-${field}.com` })
  })
})

describe('aliases', () => {
  it('adds and removes an alias; a taken alias is refused', async () => {
    const a = await create({ domain: 'alias-main.com' })
    const added = await t.request('POST', `/api/accounts/${a.id}/aliases`, {
      token: t.a.marketer.token,
      json: { domain: 'https://alias-main.de' },
    })
    expect(added.status).toBe(201)
    expect(added.body.aliases).toEqual([{ domain: 'alias-main.de', domainDisplay: 'alias-main.de' }])
    const again = await t.request('POST', `/api/accounts/${a.id}/aliases`, {
      token: t.a.marketer.token,
      json: { domain: 'alias-main.de' },
    })
    expect(again.status).toBe(409)
    const removed = await t.request('DELETE', `/api/accounts/${a.id}/aliases/alias-main.de`, {
      token: t.a.marketer.token,
    })
    expect(removed.status).toBe(200)
    expect(removed.body.aliases).toEqual([])
    const gone = await t.request('DELETE', `/api/accounts/${a.id}/aliases/alias-main.de`, {
      token: t.a.marketer.token,
    })
    expect(gone.body).toEqual(apiError('not_found', 'Alias not found.'))
  })

  it('answers 422 for a free-mail alias', async () => {
    const a = await create({ domain: 'alias-bad.com' })
    const res = await t.request('POST', `/api/accounts/${a.id}/aliases`, {
      token: t.a.marketer.token,
      json: { domain: 'gmx.de' },
    })
    expect(res.body).toEqual(
      apiError(
        'validation_failed',
        'gmx.de is a free-mail or internet-provider domain and cannot be an account.',
        'domain',
      ),
    )
  })
})

/** A keyset cursor as the lists write it: the base64url JSON of the last row's sort values. */
const cursorOf = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url')
const ID = '0b0a2f4c-8a56-4c1e-9f3a-3e1d2c4b5a69'
const BAD_CURSOR = 'This page cursor is not valid; start from the first page.'
const LIMIT = 'Use a whole number written in plain digits, such as 50.'

describe('GET /api/accounts', () => {
  it('searches, sorts and pages with a total', async () => {
    const w = await t.addWorkspace('Lists')
    for (const name of ['Delta', 'alpha', 'Charlie', 'Bravo', 'Echo']) {
      await create({ domain: `${name.toLowerCase()}-list.com`, name }, w.marketer.token)
    }
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = `/api/accounts?sort=name&order=asc&limit=2${cursor ? `&cursor=${cursor}` : ''}`
      const res = await t.request('GET', query, { token: w.marketer.token })
      expect(res.status).toBe(200)
      expect(res.body.total).toBe(5)
      seen.push(...res.body.items.map((a: { name: string }) => a.name))
      cursor = res.body.nextCursor
    } while (cursor)
    expect(seen).toEqual(['Bravo', 'Charlie', 'Delta', 'Echo', 'alpha'])

    const newest = await t.request('GET', '/api/accounts?limit=1', { token: w.marketer.token })
    expect(newest.body.items[0].name).toBe('Echo')

    const search = await t.request('GET', '/api/accounts?q=CHARL', { token: w.marketer.token })
    expect(search.body).toMatchObject({ total: 1, items: [{ name: 'Charlie' }] })
    const byId = await t.request('GET', `/api/accounts?q=${search.body.items[0].id}`, {
      token: w.marketer.token,
    })
    expect(byId.body.total).toBe(1)
    const byDomain = await t.request('GET', '/api/accounts?q=bravo-list.com', { token: w.marketer.token })
    expect(byDomain.body.items.map((a: { name: string }) => a.name)).toEqual(['Bravo'])
  })

  it.each([
    ['sort=size', 'sort', 'Choose one of: created, updated, name.'],
    ['limit=0', 'limit', 'Must be at least 1.'],
    ['limit=500', 'limit', 'Must be at most 200.'],
    ['cursor=nonsense', 'cursor', BAD_CURSOR],
    [`cursor=${cursorOf('+275760-09-13T00:00:00.000Z', ID)}`, 'cursor', BAD_CURSOR],
    [`cursor=${cursorOf('2026-02-29T00:00:00+00:00', ID)}`, 'cursor', BAD_CURSOR],
    [`cursor=${cursorOf('2026-01-01T00:00:00+00:00', 'acme')}`, 'cursor', BAD_CURSOR],
    [`sort=name&cursor=${cursorOf('Acme\u0000', ID)}`, 'cursor', BAD_CURSOR],
    ['limit=0x10', 'limit', LIMIT],
    ['limit=1e2', 'limit', LIMIT],
  ])('answers 422 for %s', async (query, field, message) => {
    const res = await t.request('GET', `/api/accounts?${query}`, { token: t.a.marketer.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })

  it.each([
    [`cursor=${cursorOf('9999-99-99T99:99:99+00:00', ID)}`, 'cursor', BAD_CURSOR],
    [`sort=created&cursor=${cursorOf(null, ID)}`, 'cursor', BAD_CURSOR],
    ['limit=1e2', 'limit', LIMIT],
  ])('answers 422 on the deleted list for %s', async (query, field, message) => {
    const res = await t.request('GET', `/api/accounts/deleted?${query}`, { token: t.a.marketer.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })

  it('takes a well-formed cursor from before every account', async () => {
    const res = await t.request('GET', `/api/accounts?cursor=${cursorOf('2000-01-01T00:00:00+00:00', ID)}`, {
      token: t.a.marketer.token,
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ items: [], nextCursor: null })
  })
})

describe('delete, restore, erase', () => {
  it('soft-deletes with a reason, lists it as deleted, restores it', async () => {
    const a = await create({ domain: 'gone.com', name: 'Gone' })
    const del = await t.request('DELETE', `/api/accounts/${a.id}?reason=Closed%20down`, {
      token: t.a.marketer.token,
    })
    expect(del.status).toBe(204)
    expect((await t.request('GET', `/api/accounts/${a.id}`, { token: t.a.marketer.token })).status).toBe(404)
    const deleted = await t.request('GET', '/api/accounts/deleted?q=gone', { token: t.a.marketer.token })
    expect(deleted.body).toMatchObject({ total: 1, items: [{ id: a.id, deletedReason: 'Closed down' }] })
    expect(deleted.body.items[0].deletedAt).toEqual(expect.any(String))
    // A new live account may take the domain meanwhile; then restoring is refused.
    const other = await create({ domain: 'gone.com' })
    const refused = await t.request('POST', `/api/accounts/${a.id}/restore`, { token: t.a.marketer.token })
    expect(refused.status).toBe(409)
    await t.request('DELETE', `/api/accounts/${other.id}`, { token: t.a.marketer.token })
    const restored = await t.request('POST', `/api/accounts/${a.id}/restore`, { token: t.a.marketer.token })
    expect(restored.status).toBe(200)
    expect(restored.body).toMatchObject({ id: a.id, deletedAt: null, deletedReason: null })
  })

  it('erases only a deleted account, for good', async () => {
    const a = await create({ domain: 'erase-me.com' })
    const live = await t.request('POST', `/api/accounts/${a.id}/erase`, { token: t.a.marketer.token })
    expect(live.body).toEqual(apiError('not_found', 'Deleted account not found.'))
    await t.request('DELETE', `/api/accounts/${a.id}`, { token: t.a.marketer.token })
    const erased = await t.request('POST', `/api/accounts/${a.id}/erase`, { token: t.a.marketer.token })
    expect(erased.status).toBe(204)
    const deleted = await t.request('GET', '/api/accounts/deleted?q=erase-me', { token: t.a.marketer.token })
    expect(deleted.body.total).toBe(0)
  })
})

describe('isolation between workspaces', () => {
  it.each([
    ['GET', '', undefined],
    ['PATCH', '', { name: 'Hacked' }],
    ['DELETE', '', undefined],
    ['POST', '/aliases', { domain: 'hacked.com' }],
    ['DELETE', '/aliases/iso-alias.com', undefined],
  ])(
    '%s /api/accounts/:id%s of another workspace answers 404 and changes nothing',
    async (method, suffix, json) => {
      const a = await create({
        domain: `iso-${method}-${suffix.length}.com`,
        name: 'Mine',
        aliases: ['iso-alias.com'].filter(() => suffix.includes('iso')),
      })
      const res = await t.request(method, `/api/accounts/${a.id}${suffix}`, { token: t.b.admin.token, json })
      expect(res.status).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'Account not found.'))
      const still = await t.request('GET', `/api/accounts/${a.id}`, { token: t.a.marketer.token })
      expect(still.body).toMatchObject({
        name: 'Mine',
        aliases: suffix.includes('iso') ? [{ domain: 'iso-alias.com' }] : [],
      })
    },
  )

  it.each(['restore', 'erase'])(
    'POST /api/accounts/:id/%s of another workspace answers 404',
    async (action) => {
      const a = await create({ domain: `iso-${action}.com` })
      await t.request('DELETE', `/api/accounts/${a.id}`, { token: t.a.marketer.token })
      const res = await t.request('POST', `/api/accounts/${a.id}/${action}`, { token: t.b.admin.token })
      expect(res.body).toEqual(apiError('not_found', 'Deleted account not found.'))
      const deleted = await t.request('GET', `/api/accounts/deleted?q=iso-${action}`, {
        token: t.a.marketer.token,
      })
      expect(deleted.body.total).toBe(1)
    },
  )

  it('lists and searches only the caller’s accounts', async () => {
    await create({ domain: 'only-a.com' })
    const res = await t.request('GET', '/api/accounts?q=only-a', { token: t.b.marketer.token })
    expect(res.body.total).toBe(0)
  })
})
