import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'

let t: TestContext
let w: TestWorkspace

beforeAll(async () => {
  t = await setupTestApp()
  w = await t.addWorkspace('Compare')
  const post = (path: string, json: unknown) => t.request('POST', path, { token: w.marketer.token, json })
  for (const [domain, size, customFields] of [
    ['big.com', '1000', { seats: '1000', renewal: '2027-03-01' }],
    ['small.com', '90', { seats: 90, renewal: '2026-01-15T10:00:00Z' }],
    ['mid.com', ' 500 ', { seats: '500', renewal: '2026-02-31' }],
    ['vague.com', 'n/a', { seats: 'lots', renewal: 'soon' }],
    ['none.com', null, {}],
  ] as const) {
    const res = await post('/api/accounts', { domain, name: domain, size, customFields })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    await post('/api/contacts', { email: `someone@${domain}` })
  }
})
afterAll(() => t.close())

const group = (...conditions: unknown[]) => ({ type: 'group', combinator: 'and', conditions })

async function matching(kind: 'account' | 'contact', condition: unknown): Promise<string[]> {
  const filter = group(condition)
  const res = await t.request('GET', `/api/${kind}s?filter=${encodeURIComponent(JSON.stringify(filter))}`, {
    token: w.marketer.token,
  })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  const count = await t.request('POST', '/api/segments/count', {
    token: w.marketer.token,
    json: { kind, filter },
  })
  expect(count.status, JSON.stringify(count.body)).toBe(200)
  expect(count.body.count).toBe(res.body.total)
  return res.body.items.map((i: { domain: string }) => i.domain).sort()
}

describe('greater and less than compare numbers as numbers', () => {
  it.each([
    ['size > 500 (1000 is more, text that is no number never matches)', 'greater_than', '500', ['big.com']],
    ['size < 500 (90 is less)', 'less_than', '500', ['small.com']],
    ['a number value', 'less_than', 1000, ['mid.com', 'small.com']],
    ['spaces around the value', 'greater_than', ' 89.5 ', ['big.com', 'mid.com', 'small.com']],
    ['a negative value', 'greater_than', '-1', ['big.com', 'mid.com', 'small.com']],
    ['a text value still compares as text', 'greater_than', 'm', ['vague.com']],
  ])('on a built-in field: %s', async (_name, op, value, expected) => {
    expect(await matching('account', { type: 'field', field: 'size', op, value })).toEqual(expected)
  })

  it('on the account of a contact', async () => {
    const emails = await t.request('POST', '/api/segments/count', {
      token: w.marketer.token,
      json: {
        kind: 'contact',
        filter: group({ type: 'account_field', field: 'size', op: 'greater_than', value: '500' }),
      },
    })
    expect(emails.body.count).toBe(1)
  })

  it.each([
    ['greater than', 'greater_than', '500', ['big.com']],
    ['less than', 'less_than', 500, ['small.com']],
  ])('on a custom field: %s', async (_name, op, value, expected) => {
    expect(await matching('account', { type: 'custom_field', key: 'seats', op, value })).toEqual(expected)
  })
})

describe('dates compare as dates, and a date that cannot be one never matches', () => {
  it.each([
    ['after', 'after', '2026-06-01', ['big.com']],
    ['before', 'before', '2026-06-01', ['small.com']],
    ['greater than a date', 'greater_than', '2026-01-15T09:00:00Z', ['big.com', 'small.com']],
    ['less than a date', 'less_than', '2026-01-15T11:00:00+00:00', ['small.com']],
  ])('on a custom field: %s', async (_name, op, value, expected) => {
    expect(await matching('account', { type: 'custom_field', key: 'renewal', op, value })).toEqual(expected)
  })

  it.each([
    ['field', { type: 'field', field: 'createdAt', op: 'before', value: '2026-02-30' }],
    ['custom field', { type: 'custom_field', key: 'renewal', op: 'after', value: '2026-13-01' }],
  ])('refuses an impossible date value on a %s with 422', async (_name, condition) => {
    const res = await t.request('POST', '/api/segments/count', {
      token: w.marketer.token,
      json: { kind: 'account', filter: group(condition) },
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(
      apiError('validation_failed', 'Enter a date such as 2026-12-01.', 'filter.conditions.0.value'),
    )
  })
})
