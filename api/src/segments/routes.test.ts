import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'
import type { ContactId } from '../db/schema.ts'
import { statsFixtures } from '../stats/fixture-queries.ts'
import { insertCampaignFixture } from '../tracking/fixture-queries.ts'

let t: TestContext
let w: TestWorkspace
const ids: Record<string, string> = {}

beforeAll(async () => {
  t = await setupTestApp()
  w = await t.addWorkspace('Segments')
  const post = (path: string, json: unknown) => t.request('POST', path, { token: w.marketer.token, json })
  const acme = await post('/api/accounts', {
    domain: 'acme.com',
    name: 'Acme',
    industry: 'Steel',
    customFields: { seats: 50 },
  })
  await post('/api/accounts', {
    domain: 'beta.com',
    name: 'Beta',
    industry: 'Food',
    customFields: { seats: 5 },
  })
  ids.acme = acme.body.id
  for (const [email, extra] of [
    [
      'anna@acme.com',
      { firstName: 'Anna', labels: ['vip', 'fair'], customFields: { score: 90, since: '2020-01-01' } },
    ],
    ['bob@acme.com', { firstName: 'Bob', labels: ['fair'], customFields: { score: 'n/a' }, company: 'Acme' }],
    ['cleo@beta.com', { firstName: 'Cleo', labels: [], customFields: { score: 10, since: '2025-06-01' } }],
    ['dan@other.org', { firstName: 'Dan', labels: ['vip'], jobTitle: 'CEO' }],
  ] as const) {
    const res = await post('/api/contacts', { email, ...extra })
    ids[extra.firstName] = res.body.id
  }
  await post(`/api/contacts/${ids.Dan}/actions/unsubscribe`, {})
  const g = await post('/api/target-groups', { name: 'Fair', kind: 'contact' })
  ids.group = g.body.id
  await post(`/api/target-groups/${ids.group}/members/add`, { ids: [ids.Cleo] })
})
afterAll(() => t.close())

const group = (...conditions: unknown[]) => ({ type: 'group', combinator: 'and', conditions })

async function names(filter: unknown) {
  const res = await t.request(
    'GET',
    `/api/contacts?sort=name&order=asc&filter=${encodeURIComponent(JSON.stringify(filter))}`,
    {
      token: w.marketer.token,
    },
  )
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const count = await t.request('POST', '/api/segments/count', {
    token: w.marketer.token,
    json: { kind: 'contact', filter },
  })
  expect(count.body.count).toBe(res.body.total)
  return res.body.items.map((c: { firstName: string }) => c.firstName).sort()
}

describe('the filter language, compiled to SQL', () => {
  it.each([
    [
      'equals (case-insensitive)',
      { type: 'field', field: 'firstName', op: 'equals', value: 'ANNA' },
      ['Anna'],
    ],
    [
      'not equals',
      { type: 'field', field: 'firstName', op: 'not_equals', value: 'anna' },
      ['Bob', 'Cleo', 'Dan'],
    ],
    ['contains', { type: 'field', field: 'email', op: 'contains', value: '@acme' }, ['Anna', 'Bob']],
    ['starts with', { type: 'field', field: 'email', op: 'starts_with', value: 'cl' }, ['Cleo']],
    ['contains treats % literally', { type: 'field', field: 'email', op: 'contains', value: '%' }, []],
    ['is empty', { type: 'field', field: 'jobTitle', op: 'is_empty' }, ['Anna', 'Bob', 'Cleo']],
    ['is not empty', { type: 'field', field: 'company', op: 'is_not_empty' }, ['Bob']],
    [
      'after',
      { type: 'field', field: 'createdAt', op: 'after', value: '2000-01-01' },
      ['Anna', 'Bob', 'Cleo', 'Dan'],
    ],
    ['before', { type: 'field', field: 'createdAt', op: 'before', value: '2000-01-01' }, []],
    [
      'custom number greater than',
      { type: 'custom_field', key: 'score', op: 'greater_than', value: 50 },
      ['Anna'],
    ],
    [
      'custom number less than skips non-numbers',
      { type: 'custom_field', key: 'score', op: 'less_than', value: 100 },
      ['Anna', 'Cleo'],
    ],
    [
      'custom date before',
      { type: 'custom_field', key: 'since', op: 'before', value: '2024-01-01' },
      ['Anna'],
    ],
    ['custom is empty', { type: 'custom_field', key: 'since', op: 'is_empty' }, ['Bob', 'Dan']],
    ['labels any', { type: 'labels', op: 'any', values: ['vip', 'nothing'] }, ['Anna', 'Dan']],
    ['labels all', { type: 'labels', op: 'all', values: ['vip', 'fair'] }, ['Anna']],
    ['labels none', { type: 'labels', op: 'none', values: ['vip'] }, ['Bob', 'Cleo']],
    ['status in', { type: 'status', values: ['unsubscribed', 'blacklisted'] }, ['Dan']],
    [
      'account field',
      { type: 'account_field', field: 'industry', op: 'equals', value: 'steel' },
      ['Anna', 'Bob'],
    ],
    [
      'account custom field',
      { type: 'account_custom_field', key: 'seats', op: 'less_than', value: 10 },
      ['Cleo'],
    ],
    ['in target group', { type: 'target_group', op: 'in', groupId: '$group' }, ['Cleo']],
    [
      'not in target group',
      { type: 'target_group', op: 'not_in', groupId: '$group' },
      ['Anna', 'Bob', 'Dan'],
    ],
  ])('%s', async (_name, condition, expected) => {
    const c = JSON.parse(JSON.stringify(condition).replace('$group', ids.group!))
    expect(await names(group(c))).toEqual(expected)
  })

  it('combines AND and OR groups', async () => {
    const filter = {
      type: 'group',
      combinator: 'or',
      conditions: [
        group(
          { type: 'labels', op: 'any', values: ['fair'] },
          { type: 'field', field: 'company', op: 'is_empty' },
        ),
        { type: 'field', field: 'jobTitle', op: 'equals', value: 'ceo' },
      ],
    }
    expect(await names(filter)).toEqual(['Anna', 'Dan'])
  })

  it('treats quotes in values as data', async () => {
    expect(
      await names(group({ type: 'field', field: 'email', op: 'equals', value: "x' or '1'='1" })),
    ).toEqual([])
  })

  it('filters accounts too', async () => {
    const filter = group({ type: 'custom_field', key: 'seats', op: 'greater_than', value: '10' })
    const res = await t.request('GET', `/api/accounts?filter=${encodeURIComponent(JSON.stringify(filter))}`, {
      token: w.marketer.token,
    })
    expect(res.body).toMatchObject({ total: 1, items: [{ name: 'Acme' }] })
  })

  it.each([
    ['not JSON', '{', 'filter', 'The filter is not valid JSON.'],
    [
      'unknown combinator',
      { type: 'group', combinator: 'xor', conditions: [] },
      'filter.combinator',
      'Choose one of: and, or.',
    ],
    [
      'no value',
      group({ type: 'field', field: 'email', op: 'equals' }),
      'filter.conditions.0.value',
      'Give a value to compare with.',
    ],
    [
      'bad date',
      group({ type: 'field', field: 'createdAt', op: 'before', value: 'soon' }),
      'filter.conditions.0.value',
      'Enter a date such as 2026-12-01.',
    ],
    [
      'date op on text',
      group({ type: 'field', field: 'createdAt', op: 'contains', value: '2' }),
      'filter.conditions.0.op',
      'Compare dates with before, after, is empty or is not empty.',
    ],
    [
      'account field on contacts',
      group({ type: 'field', field: 'industry', op: 'is_empty' }),
      'filter.conditions.0.field',
      'Contacts have no field "industry".',
    ],
    [
      'unknown group',
      group({ type: 'target_group', op: 'in', groupId: '00000000-0000-4000-8000-000000000000' }),
      'filter.conditions.0.groupId',
      'This target group does not exist.',
    ],
  ])('answers 422 for %s', async (_name, filter, field, message) => {
    const raw = typeof filter === 'string' ? filter : JSON.stringify(filter)
    const res = await t.request('GET', `/api/contacts?filter=${encodeURIComponent(raw)}`, {
      token: w.marketer.token,
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })
})

describe('saved segments', () => {
  it('saves, shows a live count, changes, filters lists by segmentId and deletes', async () => {
    const created = await t.request('POST', '/api/segments', {
      token: w.marketer.token,
      json: { name: 'Fair', kind: 'contact', filter: group({ type: 'labels', op: 'any', values: ['fair'] }) },
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ name: 'Fair', kind: 'contact', count: 2 })
    await t.request('POST', '/api/contacts', {
      token: w.marketer.token,
      json: { email: 'new@fair.com', labels: ['fair'] },
    })
    const got = await t.request('GET', `/api/segments/${created.body.id}`, { token: w.marketer.token })
    expect(got.body.count).toBe(3)
    const listed = await t.request('GET', `/api/contacts?segmentId=${created.body.id}`, {
      token: w.marketer.token,
    })
    expect(listed.body.total).toBe(3)
    const changed = await t.request('PATCH', `/api/segments/${created.body.id}`, {
      token: w.marketer.token,
      json: { filter: group({ type: 'labels', op: 'all', values: ['fair', 'vip'] }) },
    })
    expect(changed.body.count).toBe(1)
    const all = await t.request('GET', '/api/segments', { token: w.marketer.token })
    expect(all.body.map((s: { name: string; count: number }) => [s.name, s.count])).toEqual([['Fair', 1]])
    expect(
      (await t.request('DELETE', `/api/segments/${created.body.id}`, { token: w.marketer.token })).status,
    ).toBe(204)
  })

  it.each([
    [{ name: '', kind: 'contact', filter: group() }, 'name', 'This field cannot be empty.'],
    [{ name: 'X', kind: 'lead', filter: group() }, 'kind', 'Choose one of: account, contact.'],
    [
      { name: 'X', kind: 'account', filter: group({ type: 'labels', op: 'any', values: ['a'] }) },
      'filter.conditions.0.type',
      'Labels apply to contact segments only.',
    ],
  ])('refuses to save %j', async (json, field, message) => {
    const res = await t.request('POST', '/api/segments', { token: w.marketer.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })

  it('refuses a dynamic group that contains itself', async () => {
    const seg = await t.request('POST', '/api/segments', {
      token: w.marketer.token,
      json: { name: 'Loop', kind: 'contact', filter: group() },
    })
    const g = await t.request('POST', '/api/target-groups', {
      token: w.marketer.token,
      json: { name: 'Loop', kind: 'contact', segmentId: seg.body.id },
    })
    const res = await t.request('PATCH', `/api/segments/${seg.body.id}`, {
      token: w.marketer.token,
      json: { filter: group({ type: 'target_group', op: 'in', groupId: g.body.id }) },
    })
    expect(res.body).toEqual(
      apiError(
        'validation_failed',
        'Dynamic groups refer to each other in a circle.',
        'filter.conditions.0.groupId',
      ),
    )
  })
})

describe('isolation between workspaces', () => {
  it.each([
    ['GET', undefined],
    ['PATCH', { name: 'Hacked' }],
    ['DELETE', undefined],
  ])('%s /api/segments/:id of another workspace answers 404 and changes nothing', async (method, json) => {
    const seg = await t.request('POST', '/api/segments', {
      token: t.a.marketer.token,
      json: { name: 'Mine', kind: 'contact', filter: group() },
    })
    const res = await t.request(method, `/api/segments/${seg.body.id}`, { token: t.b.admin.token, json })
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'Segment not found.'))
    const still = await t.request('GET', `/api/segments/${seg.body.id}`, { token: t.a.marketer.token })
    expect(still.body.name).toBe('Mine')
  })

  it('cannot use another workspace’s segment or target group in a filter', async () => {
    const vip = await t.request('POST', '/api/segments', {
      token: w.marketer.token,
      json: { name: 'VIPs', kind: 'contact', filter: group({ type: 'labels', op: 'any', values: ['vip'] }) },
    })
    expect(vip.status, vip.text).toBe(201)
    const bySegment = (token: string) =>
      t.request('GET', `/api/contacts?sort=name&order=asc&segmentId=${vip.body.id}`, { token })
    const mine = await bySegment(w.marketer.token)
    expect(mine.status, mine.text).toBe(200)
    expect(mine.body.items.map((c: { firstName: string }) => c.firstName)).toEqual(['Anna', 'Dan'])
    const theirs = await bySegment(t.b.marketer.token)
    expect(theirs.status).toBe(422)
    expect(theirs.body).toEqual(apiError('validation_failed', 'This segment does not exist.', 'segmentId'))

    const byGroup = (token: string) =>
      t.request('POST', '/api/segments/count', {
        token,
        json: { kind: 'contact', filter: group({ type: 'target_group', op: 'in', groupId: ids.group }) },
      })
    expect((await byGroup(w.marketer.token)).body.count).toBe(1)
    expect((await byGroup(t.b.marketer.token)).body).toEqual(
      apiError('validation_failed', 'This target group does not exist.', 'filter.conditions.0.groupId'),
    )
  })

  it('counts only the caller’s contacts', async () => {
    const res = await t.request('POST', '/api/segments/count', {
      token: t.b.marketer.token,
      json: { kind: 'contact', filter: group() },
    })
    expect(res.body.count).toBe(0)
  })
})

describe('activity conditions', () => {
  it('match targets with a human view or click of a campaign, or any, within N days', async () => {
    const f = statsFixtures(t.db, w.id)
    const campaign = await insertCampaignFixture(t.db, w.id)
    const other = await insertCampaignFixture(t.db, w.id)
    const contactId = async (email: string) =>
      (await t.request('POST', '/api/contacts', { token: w.marketer.token, json: { email } })).body.id
    const [recent, machine, old, viewer] = await Promise.all(
      ['recent@act.com', 'machine@act.com', 'old@act.com', 'viewer@act.com'].map(contactId),
    )
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString()
    const deliveryTo = (c: string, to = campaign) =>
      f.delivery(to, w.employee.id, { contacts: [c as ContactId] })
    await f.event(await deliveryTo(recent), 'click', at(2))
    await f.event(await deliveryTo(machine), 'click', at(2), 'bot_user_agent')
    await f.event(await deliveryTo(old), 'click', at(40))
    await f.event(await deliveryTo(viewer, other), 'view', at(1))
    const emails = async (condition: Record<string, unknown>) => {
      const res = await t.request(
        'GET',
        `/api/contacts?filter=${encodeURIComponent(JSON.stringify(group(condition)))}`,
        {
          token: w.marketer.token,
        },
      )
      expect(res.status).toBe(200)
      return res.body.items.map((c: { email: string }) => c.email).sort()
    }
    expect(await emails({ type: 'activity', action: 'clicked', withinDays: 30 })).toEqual(['recent@act.com'])
    expect(await emails({ type: 'activity', action: 'clicked', withinDays: 60 })).toEqual([
      'old@act.com',
      'recent@act.com',
    ])
    expect(await emails({ type: 'activity', action: 'viewed', withinDays: 30 })).toEqual(['viewer@act.com'])
    expect(
      await emails({ type: 'activity', action: 'viewed', withinDays: 30, campaignId: campaign.campaignId }),
    ).toEqual([])
    // Another workspace's events never match.
    const res = await t.request(
      'GET',
      `/api/contacts?filter=${encodeURIComponent(JSON.stringify(group({ type: 'activity', action: 'clicked', withinDays: 30 })))}`,
      {
        token: t.b.marketer.token,
      },
    )
    expect(res.body.items).toEqual([])
  })
})
