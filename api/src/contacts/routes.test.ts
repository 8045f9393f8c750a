import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

async function create(json: Record<string, unknown>, token = t.a.marketer.token) {
  const res = await t.request('POST', '/api/contacts', { token, json })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

describe('POST /api/contacts', () => {
  it('reads "Name <address>", lower-cases the email and stores the phone as E.164', async () => {
    const body = await create({
      email: 'Max Mustermann <Max@Create.Example.com>',
      phone: '030 1234567',
      labels: ['vip', 'vip', 'fair'],
      customFields: { shoe: 44 },
      consent: { given: true, method: 'form' },
      source: 'api',
      language: 'Deutsch',
      timeZone: 'europe/berlin',
    })
    expect(body).toMatchObject({
      language: 'de',
      timeZone: 'Europe/Berlin',
      email: 'max@create.example.com',
      firstName: 'Max',
      lastName: 'Mustermann',
      phone: '+49301234567',
      labels: ['vip', 'fair'],
      customFields: { shoe: 44 },
      source: 'api',
      status: 'active',
      consent: { given: true, method: 'form' },
      trackingOptOutAt: null,
      accountId: null,
    })
    expect(body.consent.at).toEqual(expect.any(String))
  })

  it('refuses the same email in another case', async () => {
    await create({ email: 'dup@case.example.com' })
    const res = await t.request('POST', '/api/contacts', {
      token: t.a.marketer.token,
      json: { email: 'DUP@Case.Example.com' },
    })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(apiError('conflict', 'A contact with this email already exists.', 'email'))
  })

  it.each([
    [{ email: 'not an email' }, 'email', 'Enter a valid email address, such as max@acme.com.'],
    [{ email: 'max@localhost' }, 'email', 'Enter a valid email address, such as max@acme.com.'],
    [{}, 'email', 'This field is required.'],
    [
      { email: 'bad-phone@x-bad.com', phone: '12' },
      'phone',
      'Enter a valid phone number; use the +country code for numbers outside Germany.',
    ],
    [
      { email: 'bad-status@x-bad.com', status: 'blacklisted' },
      'status',
      'Choose one of: active, not_confirmed.',
    ],
    [{ email: 'bad-source@x-bad.com', source: 'fax' }, 'source', 'Choose one of: manual, import, api, crm.'],
    [
      { email: 'bad-language@x-bad.com', language: 'Klingon' },
      'language',
      'Use a language code such as de or en-GB, or a name such as German.',
    ],
    [
      { email: 'bad-zone@x-bad.com', timeZone: 'Mars/Olympus' },
      'timeZone',
      'Use a time zone such as Europe/Berlin.',
    ],
    [{ email: 'bad-label@x-bad.com', labels: [''] }, 'labels.0', 'This field cannot be empty.'],
    [
      { email: 'bad-consent@x-bad.com', consent: { given: 'yes' } },
      'consent.given',
      'Expected a boolean, got a string.',
    ],
  ])('answers 422 for %j and creates nothing', async (json, field, message) => {
    const res = await t.request('POST', '/api/contacts', { token: t.a.marketer.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const list = await t.request('GET', '/api/contacts?q=x-bad.com', { token: t.a.marketer.token })
    expect(list.body.total).toBe(0)
  })
})

describe('link to the account of the email domain', () => {
  it('links at creation, when the account appears later, by alias, and unlinks on delete', async () => {
    const acme = await t.request('POST', '/api/accounts', {
      token: t.a.marketer.token,
      json: { domain: 'linked.com' },
    })
    const early = await create({ email: 'early@sales.linked.com' })
    expect(early.accountId).toBe(acme.body.id)

    const late = await create({ email: 'late@later.com' })
    expect(late.accountId).toBeNull()
    const laterAccount = await t.request('POST', '/api/accounts', {
      token: t.a.marketer.token,
      json: { domain: 'later.com' },
    })
    const got = await t.request('GET', `/api/contacts/${late.id}`, { token: t.a.marketer.token })
    expect(got.body.accountId).toBe(laterAccount.body.id)

    const aliased = await create({ email: 'alias@linked.de' })
    await t.request('POST', `/api/accounts/${acme.body.id}/aliases`, {
      token: t.a.marketer.token,
      json: { domain: 'linked.de' },
    })
    const viaAlias = await t.request('GET', `/api/contacts/${aliased.id}`, { token: t.a.marketer.token })
    expect(viaAlias.body.accountId).toBe(acme.body.id)

    await t.request('DELETE', `/api/accounts/${acme.body.id}`, { token: t.a.marketer.token })
    const unlinked = await t.request('GET', `/api/contacts/${early.id}`, { token: t.a.marketer.token })
    expect(unlinked.body.accountId).toBeNull()
  })
})

describe('PATCH /api/contacts/:id', () => {
  it('changes fields and relinks on a new email', async () => {
    const c = await create({ email: 'move@old-co.com', customFields: { a: 1, b: 2 } })
    const account = await t.request('POST', '/api/accounts', {
      token: t.a.marketer.token,
      json: { domain: 'new-co.com' },
    })
    const res = await t.request('PATCH', `/api/contacts/${c.id}`, {
      token: t.a.marketer.token,
      json: {
        email: 'move@new-co.com',
        jobTitle: 'CTO',
        phone: '+44 20 7946 0958',
        customFields: { a: null },
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      email: 'move@new-co.com',
      jobTitle: 'CTO',
      phone: '+442079460958',
      accountId: account.body.id,
      customFields: { b: 2 },
    })
  })

  it.each([
    [{ email: 'nope' }, 'email', 'Enter a valid email address, such as max@acme.com.'],
    [
      { phone: 'abc' },
      'phone',
      'Enter a valid phone number; use the +country code for numbers outside Germany.',
    ],
    [{ status: 'active' }, 'status', 'Unknown field: status.'],
    [{ labels: 'vip' }, 'labels', 'Expected a list, got a string.'],
  ])('answers 422 for %j and changes nothing', async (json, field, message) => {
    const c = await create({ email: `keep-${field || 'x'}@patch.example.com`, firstName: 'Keep' })
    const res = await t.request('PATCH', `/api/contacts/${c.id}`, { token: t.a.marketer.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const got = await t.request('GET', `/api/contacts/${c.id}`, { token: t.a.marketer.token })
    expect(got.body).toMatchObject({ firstName: 'Keep', email: c.email, labels: [] })
  })
})

describe('GET /api/contacts', () => {
  it('searches by email, phone, name, company, domain and id; filters by status and label; pages', async () => {
    const w = await t.addWorkspace('Contact lists')
    const token = w.marketer.token
    const anna = await create(
      { email: 'anna@alpha.com', firstName: 'Anna', lastName: 'Zeller', labels: ['vip'] },
      token,
    )
    await create(
      {
        email: 'bob@beta.com',
        firstName: 'Bob',
        lastName: 'Young',
        company: 'Beta GmbH',
        phone: '+49 30 1234567',
      },
      token,
    )
    const carl = await create(
      { email: 'carl@gamma.com', firstName: 'Carl', lastName: 'Xavier', labels: ['vip', 'fair'] },
      token,
    )
    await t.request('POST', `/api/contacts/${carl.id}/actions/blacklist`, { token, json: {} })

    const names = async (query: string) => {
      const res = await t.request('GET', `/api/contacts?${query}`, { token })
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      return res.body.items.map((c: { firstName: string }) => c.firstName)
    }
    expect(await names('q=ANNA@')).toEqual(['Anna'])
    expect(await names('q=030%201234567')).toEqual(['Bob'])
    expect(await names('q=young')).toEqual(['Bob'])
    expect(await names('q=beta%20gmbh')).toEqual(['Bob'])
    expect(await names('q=gamma.com')).toEqual(['Carl'])
    expect(await names(`q=${anna.id}`)).toEqual(['Anna'])
    expect(await names('status=blacklisted')).toEqual(['Carl'])
    expect(await names('status=active,unsubscribed&sort=name&order=asc')).toEqual(['Bob', 'Anna'])
    expect(await names('label=vip&sort=name&order=asc')).toEqual(['Carl', 'Anna'])

    const first = await t.request('GET', '/api/contacts?sort=name&order=desc&limit=2', { token })
    expect(first.body.total).toBe(3)
    expect(first.body.items.map((c: { lastName: string }) => c.lastName)).toEqual(['Zeller', 'Young'])
    const second = await t.request(
      'GET',
      `/api/contacts?sort=name&order=desc&limit=2&cursor=${first.body.nextCursor}`,
      { token },
    )
    expect(second.body).toMatchObject({ total: 3, nextCursor: null, items: [{ lastName: 'Xavier' }] })
  })

  it.each([
    [
      'status=gone',
      'status.0',
      'Choose one of: active, not_confirmed, unsubscribed, hard_bounce, spam_report, blacklisted.',
    ],
    ['sort=email', 'sort', 'Choose one of: created, updated, name.'],
    ['accountId=1', 'accountId', 'This is not a valid id.'],
    ['cursor=xyz', 'cursor', 'This page cursor is not valid; start from the first page.'],
  ])('answers 422 for %s', async (query, field, message) => {
    const res = await t.request('GET', `/api/contacts?${query}`, { token: t.a.marketer.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })
})

/** A keyset cursor as the lists write it: the base64url JSON of the last row's sort values. */
const cursorOf = (...values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url')
const ID = '0b0a2f4c-8a56-4c1e-9f3a-3e1d2c4b5a69'
const AT = '2026-01-01T00:00:00.123456+00:00'
const BAD_CURSOR = 'This page cursor is not valid; start from the first page.'
const LIMIT = 'Use a whole number written in plain digits, such as 50.'

describe('contact list paging', () => {
  it('pages by creation and by deletion with the cursors it gave', async () => {
    const w = await t.addWorkspace('Contact paging')
    const token = w.marketer.token
    const ids: string[] = []
    for (const n of [1, 2, 3]) ids.push((await create({ email: `p${n}@paging.example.com` }, token)).id)
    const walk = async (path: string) => {
      const seen: string[] = []
      let cursor: string | null = null
      do {
        const res = await t.request('GET', `${path}?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { token })
        expect(res.status, JSON.stringify(res.body)).toBe(200)
        seen.push(...res.body.items.map((c: { id: string }) => c.id))
        cursor = res.body.nextCursor
      } while (cursor)
      return seen
    }
    expect(await walk('/api/contacts')).toEqual([...ids].reverse())
    for (const id of ids) await t.request('DELETE', `/api/contacts/${id}`, { token })
    expect(await walk('/api/contacts/deleted')).toEqual([...ids].reverse())
    const old = await t.request('GET', `/api/contacts?cursor=${cursorOf(AT, ID)}`, { token })
    expect(old.body).toMatchObject({ items: [], nextCursor: null })
  })

  it.each([
    ['/api/contacts', cursorOf('+275760-09-13T00:00:00.000Z', ID)],
    ['/api/contacts', cursorOf('99999-01-01T00:00:00+00:00', ID)],
    ['/api/contacts', cursorOf('2026-02-30T00:00:00+00:00', ID)],
    ['/api/contacts', cursorOf('2026-01-01T25:00:00+00:00', ID)],
    ['/api/contacts', cursorOf('2026-01-01T00:00:00+99:00', ID)],
    ['/api/contacts', cursorOf('0000-01-01T00:00:00+00:00', ID)],
    ['/api/contacts', cursorOf('yesterday', ID)],
    ['/api/contacts', cursorOf(AT, 'not-a-uuid')],
    ['/api/contacts', cursorOf(AT, null)],
    ['/api/contacts', cursorOf(1767225600000, ID)],
    ['/api/contacts?sort=name', cursorOf('Young', 'Bob\u0000', ID)],
    ['/api/contacts?sort=updated', cursorOf(ID, AT)],
    ['/api/contacts/deleted', cursorOf('9999-99-99T99:99:99+00:00', ID)],
    ['/api/contacts/deleted?sort=created', cursorOf(AT, 'x')],
  ])('answers 422 on %s for cursor %s', async (path, cursor) => {
    const sep = path.includes('?') ? '&' : '?'
    const res = await t.request('GET', `${path}${sep}cursor=${cursor}`, { token: t.a.marketer.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', BAD_CURSOR, 'cursor'))
  })

  it.each([
    ['/api/contacts', 'limit=0x10'],
    ['/api/contacts', 'limit=1e2'],
    ['/api/contacts', 'limit=%205'],
    ['/api/contacts', 'limit=12.5'],
    ['/api/contacts/deleted', 'limit=0x10'],
    ['/api/duplicates', 'limit=1e1'],
  ])('answers 422 on %s for %s', async (path, query) => {
    const res = await t.request('GET', `${path}?${query}`, { token: t.a.marketer.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', LIMIT, 'limit'))
  })
})
