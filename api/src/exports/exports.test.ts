import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportSteps } from '../../test/exports.ts'
import { apiError, setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const { download, create } = exportSteps(() => t)

let evil: { id: string }
let segmentId: string
let groupId: string

beforeAll(async () => {
  await create(t.a, '/api/accounts', {
    domain: 'https://www.acme.de/about',
    name: '=cmd|"/c calc"!A1',
    customFields: { tier: 'gold' },
  })
  await create(t.a, '/api/accounts', { domain: 'beta-gmbh.de', name: 'Beta' })
  evil = await create(t.a, '/api/contacts', {
    email: 'evil@acme.de',
    firstName: '=HYPERLINK("http://x.test","click")',
    lastName: '@SUM(A1)',
    company: '-2+3',
    jobTitle: '+Chef',
    phone: '030 1234567',
    labels: ['vip', 'messe'],
    customFields: { shoe: '44', note: '+1 call' },
  })
  await create(t.a, '/api/contacts', {
    email: 'Anna Schmidt <anna@beta-gmbh.de>',
    company: 'Müller; Söhne, "GmbH"',
    address: 'Line 1\nLine 2',
  })
  await create(t.a, '/api/contacts', {
    email: 'bob@other-firm.com',
    language: 'de',
    consent: { given: true, at: '2026-02-03T10:00:00Z', method: 'Webinar form' },
  })
  const gone = await create(t.a, '/api/contacts', { email: 'gone@acme.de', firstName: 'Gone' })
  expect(
    (await t.request('DELETE', `/api/contacts/${gone.id}?reason=left`, { token: t.a.marketer.token })).status,
  ).toBe(204)
  await create(t.b, '/api/contacts', { email: 'b-only@acme.de', firstName: 'Bee' })

  segmentId = (
    await create(t.a, '/api/segments', {
      name: 'Acme people',
      kind: 'contact',
      filter: {
        type: 'group',
        combinator: 'and',
        conditions: [{ type: 'field', field: 'domain', op: 'equals', value: 'acme.de' }],
      },
    })
  ).id
  groupId = (await create(t.a, '/api/target-groups', { name: 'Beta', kind: 'contact' })).id
  const added = await t.request('POST', `/api/target-groups/${groupId}/members/add`, {
    token: t.a.marketer.token,
    json: { emails: ['anna@beta-gmbh.de'] },
  })
  expect(added.status).toBe(200)
})

describe('GET /api/contacts/export.csv', () => {
  it('streams every live contact with custom fields as columns and formulas neutralised', async () => {
    const { header, rows } = await download('/api/contacts/export.csv?sort=created&order=asc')
    expect(header).toEqual([
      'id',
      'email',
      'firstName',
      'lastName',
      'phone',
      'company',
      'jobTitle',
      'language',
      'timeZone',
      'address',
      'labels',
      'status',
      'consentGivenAt',
      'consentMethod',
      'trackingOptOutAt',
      'source',
      'domain',
      'accountId',
      'createdAt',
      'updatedAt',
      'custom.note',
      'custom.shoe',
    ])
    expect(rows.map((r) => r.email)).toEqual(['evil@acme.de', 'anna@beta-gmbh.de', 'bob@other-firm.com'])
    expect(rows[0]).toMatchObject({
      id: evil.id,
      firstName: `'=HYPERLINK("http://x.test","click")`,
      lastName: `'@SUM(A1)`,
      company: `'-2+3`,
      jobTitle: `'+Chef`,
      phone: `'+49301234567`,
      labels: 'vip, messe',
      status: 'active',
      domain: 'acme.de',
      'custom.shoe': '44',
      'custom.note': `'+1 call`,
    })
    expect(rows[1]).toMatchObject({
      firstName: 'Anna',
      lastName: 'Schmidt',
      company: 'Müller; Söhne, "GmbH"',
      address: 'Line 1\nLine 2',
      'custom.shoe': '',
    })
  })

  it('exports exactly what the list shows for a search, a status, an unsaved filter or a segment', async () => {
    const emails = async (query: string) =>
      (await download(`/api/contacts/export.csv?${query}`)).rows.map((r) => r.email).sort()
    expect(await emails('q=beta')).toEqual(['anna@beta-gmbh.de'])
    expect(await emails('q=030%201234567')).toEqual(['evil@acme.de'])
    expect(await emails('status=unsubscribed')).toEqual([])
    expect(await emails('label=vip')).toEqual(['evil@acme.de'])
    const filter = JSON.stringify({
      type: 'group',
      combinator: 'and',
      conditions: [{ type: 'field', field: 'language', op: 'equals', value: 'de' }],
    })
    expect(await emails(`filter=${encodeURIComponent(filter)}`)).toEqual(['bob@other-firm.com'])
    expect(await emails(`segmentId=${segmentId}`)).toEqual(['evil@acme.de'])
    const listed = await t.request('GET', `/api/contacts?segmentId=${segmentId}`, {
      token: t.a.marketer.token,
    })
    expect(listed.body.items.map((c: { email: string }) => c.email)).toEqual(['evil@acme.de'])
  })

  it('writes a header only when nothing matches', async () => {
    const { bytes, rows } = await download('/api/contacts/export.csv?q=nobody-matches-this')
    expect(rows).toEqual([])
    // No match uses a custom field, so there are no custom columns either.
    const header = (await download('/api/contacts/export.csv')).header.filter((h) => !h.startsWith('custom.'))
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)).toBe(`\uFEFF${header.join(',')}\r\n`)
  })

  it.each([
    ['sort=bogus', 'sort'],
    ['order=up', 'order'],
    ['status=asleep', 'status.0'],
    ['filter=%7Bnot-json', 'filter'],
    ['segmentId=not-a-uuid', 'segmentId'],
    [`segmentId=${crypto.randomUUID()}`, 'segmentId'],
    ['accountId=42', 'accountId'],
  ])('refuses %s with 422 naming the field', async (query, field) => {
    const res = await t.request('GET', `/api/contacts/export.csv?${query}`, { token: t.a.marketer.token })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', /./, field))
  })

  it('is for marketers and admins only', async () => {
    const res = await t.request('GET', '/api/contacts/export.csv', { token: t.a.employee.token })
    expect(res.status).toBe(403)
    expect((await t.request('GET', '/api/contacts/export.csv')).status).toBe(401)
  })

  it("never contains another workspace's rows", async () => {
    const b = await download('/api/contacts/export.csv', t.b)
    expect(b.rows.map((r) => r.email)).toEqual(['b-only@acme.de'])
    const a = await download('/api/contacts/export.csv')
    expect(a.rows.map((r) => r.email)).not.toContain('b-only@acme.de')
    // A's segment is not B's to use.
    const res = await t.request('GET', `/api/contacts/export.csv?segmentId=${segmentId}`, {
      token: t.b.marketer.token,
    })
    expect(res.body).toEqual(apiError('validation_failed', 'This segment does not exist.', 'segmentId'))
  })

  it('pages through thousands of rows in keyset batches without repeating or losing one', async () => {
    const w = await t.addWorkspace('Many')
    await sql`
      insert into contact (workspace_id, email, domain, first_name, created_at)
      select ${w.id}, 'p' || i || '@many-firm.com', 'many-firm.com', 'P' || i,
        now() - (i % 7) * interval '1 second'
      from generate_series(1, 2345) i`.execute(t.db)
    const { rows } = await download('/api/contacts/export.csv', w)
    expect(rows).toHaveLength(2345)
    expect(new Set(rows.map((r) => r.id)).size).toBe(2345)
    const created = rows.map((r) => r.createdAt)
    expect(created).toEqual([...created].sort().reverse())
  })
})

describe('GET /api/accounts/export.csv', () => {
  it('streams accounts with aliases and custom fields, formula-safe', async () => {
    const { header, rows } = await download('/api/accounts/export.csv?sort=created&order=asc')
    expect(header).toEqual([
      'id',
      'domain',
      'name',
      'size',
      'industry',
      'contactPerson',
      'website',
      'notes',
      'aliases',
      'createdAt',
      'updatedAt',
      'custom.tier',
    ])
    expect(rows.map((r) => [r.domain, r.name, r['custom.tier']])).toEqual([
      ['acme.de', `'=cmd|"/c calc"!A1`, 'gold'],
      ['beta-gmbh.de', 'Beta', ''],
    ])
    expect((await download('/api/accounts/export.csv', t.b)).rows).toEqual([])
  })

  it('refuses a filter of the wrong shape', async () => {
    const res = await t.request('GET', '/api/accounts/export.csv?filter=%5B%5D', {
      token: t.a.marketer.token,
    })
    expect(res.status).toBe(422)
    expect(res.body.error.field).toMatch(/^filter/)
  })
})

describe('the Deleted lists', () => {
  it('export deleted contacts with when and why, and only those', async () => {
    const { header, rows } = await download('/api/contacts/deleted/export.csv')
    expect(header).toContain('deletedAt')
    expect(rows.map((r) => [r.email, r.deletedReason])).toEqual([['gone@acme.de', 'left']])
    expect(rows[0]!.deletedAt).toMatch(/^\d{4}-\d\d-\d\dT/)
    const live = await download('/api/contacts/export.csv')
    expect(live.rows.map((r) => r.email)).not.toContain('gone@acme.de')
    expect((await download('/api/contacts/deleted/export.csv', t.b)).rows).toEqual([])
  })

  it('export deleted accounts', async () => {
    const w = await t.addWorkspace('Deleted accounts')
    await create(w, '/api/accounts', { domain: 'old-firm.de', name: 'Old' })
    const old = await t.request('GET', '/api/accounts?q=old', { token: w.marketer.token })
    await t.request('DELETE', `/api/accounts/${old.body.items[0].id}?reason=closed`, {
      token: w.marketer.token,
    })
    const { rows } = await download('/api/accounts/deleted/export.csv', w)
    expect(rows.map((r) => [r.domain, r.deletedReason])).toEqual([['old-firm.de', 'closed']])
  })

  it('refuses a sort the Deleted list does not have', async () => {
    const res = await t.request('GET', '/api/contacts/deleted/export.csv?sort=name', {
      token: t.a.marketer.token,
    })
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe('sort')
  })
})

describe('GET /api/segments/:id/export.csv', () => {
  it("exports the segment's matches; another workspace gets 404", async () => {
    const { rows } = await download(`/api/segments/${segmentId}/export.csv`)
    expect(rows.map((r) => r.email)).toEqual(['evil@acme.de'])
    const res = await t.request('GET', `/api/segments/${segmentId}/export.csv`, { token: t.b.marketer.token })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'Segment not found.'))
    const bad = await t.request('GET', '/api/segments/nope/export.csv', { token: t.a.marketer.token })
    expect(bad.status).toBe(422)
    expect(bad.body.error.field).toBe('id')
  })

  it('exports an account segment as accounts', async () => {
    const segment = await create(t.a, '/api/segments', {
      name: 'Beta accounts',
      kind: 'account',
      filter: {
        type: 'group',
        combinator: 'and',
        conditions: [{ type: 'field', field: 'name', op: 'equals', value: 'Beta' }],
      },
    })
    const { header, rows } = await download(`/api/segments/${segment.id}/export.csv`)
    expect(header).toContain('aliases')
    expect(rows.map((r) => r.domain)).toEqual(['beta-gmbh.de'])
  })
})

describe('GET /api/target-groups/:id/members/export.csv', () => {
  it("exports the group's members; another workspace gets 404", async () => {
    const { rows } = await download(`/api/target-groups/${groupId}/members/export.csv`)
    expect(rows.map((r) => r.email)).toEqual(['anna@beta-gmbh.de'])
    const searched = await download(`/api/target-groups/${groupId}/members/export.csv?q=nomatch`)
    expect(searched.rows).toEqual([])
    const res = await t.request('GET', `/api/target-groups/${groupId}/members/export.csv`, {
      token: t.b.marketer.token,
    })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'Target group not found.'))
  })
})

describe('GET /api/duplicates/export.csv', () => {
  it('exports each duplicate group with its key, one contact per row', async () => {
    const w = await t.addWorkspace('Dupes')
    await create(w, '/api/contacts', { email: 'max.muster@gmail.com', phone: '030 5556667' })
    await create(w, '/api/contacts', { email: 'maxmuster+news@gmail.com' })
    await create(w, '/api/contacts', { email: 'other@firma-xy.de', phone: '+49 30 5556667' })
    const email = await download('/api/duplicates/export.csv', w)
    expect(email.header.slice(0, 4)).toEqual(['channel', 'key', 'count', 'id'])
    expect(email.rows.map((r) => [r.channel, r.key, r.count, r.email])).toEqual([
      ['email', 'maxmuster@gmail.com', '2', 'max.muster@gmail.com'],
      ['email', 'maxmuster@gmail.com', '2', 'maxmuster+news@gmail.com'],
    ])
    const phone = await download('/api/duplicates/export.csv?channel=phone', w)
    expect(phone.rows.map((r) => [r.key, r.email])).toEqual([
      [`'+49305556667`, 'max.muster@gmail.com'],
      [`'+49305556667`, 'other@firma-xy.de'],
    ])
    expect((await download('/api/duplicates/export.csv', t.b)).rows).toEqual([])
    const bad = await t.request('GET', '/api/duplicates/export.csv?channel=fax', { token: w.marketer.token })
    expect(bad.status).toBe(422)
    expect(bad.body.error.field).toBe('channel')
  })
})

describe('round trip', () => {
  it('an exported file imports into a fresh workspace as the same contacts', async () => {
    // A status and an opt-out travel too.
    const [one] = (await t.request('GET', '/api/contacts?sort=name', { token: t.a.marketer.token })).body
      .items
    for (const action of ['blacklist', 'opt-out'])
      await t.request('POST', `/api/contacts/${one.id}/actions/${action}`, {
        token: t.a.marketer.token,
        json: {},
      })
    const exported = await download('/api/contacts/export.csv')
    const fresh = await t.addWorkspace('Round trip')
    const up = await t.request('POST', '/api/imports?kind=contacts', {
      token: fresh.marketer.token,
      body: exported.bytes,
      headers: { 'content-type': 'text/csv' },
    })
    expect(up.status).toBe(201)
    expect(up.body.mapping).toEqual([
      null,
      'email',
      'firstName',
      'lastName',
      'phone',
      'company',
      'jobTitle',
      'language',
      'timeZone',
      'address',
      'labels',
      'status',
      'consent',
      'consentMethod',
      'trackingOptOut',
      ...Array(5).fill(null),
      'custom.note',
      'custom.shoe',
    ])
    const applied = await t.request('POST', `/api/imports/${up.body.id}/apply?wait=true`, {
      token: fresh.marketer.token,
    })
    expect(applied.status, JSON.stringify(applied.body)).toBe(200)
    expect(applied.body).toMatchObject({ total: 3, new: 3, invalid: 0 })

    const fields = (c: Record<string, unknown>) => ({
      email: c.email,
      firstName: c.firstName,
      lastName: c.lastName,
      phone: c.phone,
      company: c.company,
      jobTitle: c.jobTitle,
      language: c.language,
      timeZone: c.timeZone,
      address: c.address,
      labels: c.labels,
      customFields: c.customFields,
      consent: c.consent,
      status: c.status,
      trackingOptOutAt: c.trackingOptOutAt,
    })
    const list = async (w: TestWorkspace) =>
      (
        await t.request('GET', '/api/contacts?sort=name&limit=200', { token: w.marketer.token })
      ).body.items.map(fields)
    expect(await list(fresh)).toEqual(await list(t.a))
  })
})
