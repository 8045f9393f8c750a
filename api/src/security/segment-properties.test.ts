import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'

/**
 * Properties of the segment compiler, checked through POST /api/segments/count on a small varied
 * workspace: any filter the language allows compiles (never a 500), and AND/OR behave as set
 * intersection and union — |f ∪ g| = |f| + |g| − |f ∩ g|, a group of one is its condition.
 */
let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
  const token = t.a.marketer.token
  const names = ['Anna', 'anna', 'Ben', "O'Neil", 'Müller', '100%', 'a_b', '', 'Zoë']
  const industries = ['Steel', 'steel', 'Food', null]
  for (let i = 0; i < 4; i++) {
    await t.request('POST', '/api/accounts', {
      token,
      json: {
        domain: `firm${i}.com`,
        name: `Firm ${i}`,
        industry: industries[i],
        customFields: { seats: i * 10 },
      },
    })
  }
  for (let i = 0; i < 30; i++) {
    const res = await t.request('POST', '/api/contacts', {
      token,
      json: {
        email: `p${i}@${i % 5 === 4 ? 'elsewhere.de' : `firm${i % 4}.com`}`,
        firstName: names[i % names.length],
        lastName: names[(i * 7) % names.length],
        company: i % 3 ? `Firm ${i % 4}` : null,
        labels: [['vip'], ['fair', 'newsletter'], [], ['vip', 'fair']][i % 4],
        customFields: i % 6 ? { score: (i * 13) % 100, tier: i % 2 ? 'gold' : 'silver' } : {},
      },
    })
    expect(res.status).toBe(201)
    if (i % 7 === 0)
      await t.request('POST', `/api/contacts/${res.body.id}/actions/unsubscribe`, { token, json: {} })
  }
})
afterAll(() => t.close())

const text = fc.constantFrom('anna', 'An', 'ü', "o'n", '%', '_', ' ', 'firm1.com', 'gold')
const condition = fc.oneof(
  fc.record({
    type: fc.constant('field'),
    field: fc.constantFrom('email', 'domain', 'firstName', 'lastName', 'company'),
    op: fc.constantFrom('equals', 'not_equals', 'contains', 'starts_with', 'is_empty', 'is_not_empty'),
    value: text,
  }),
  fc.record({
    type: fc.constant('custom_field'),
    key: fc.constantFrom('score', 'tier', 'missing'),
    op: fc.constantFrom('equals', 'not_equals', 'greater_than', 'less_than', 'is_empty', 'is_not_empty'),
    value: fc.oneof(fc.integer({ min: -5, max: 105 }), text),
  }),
  fc.record({
    type: fc.constant('account_field'),
    field: fc.constantFrom('industry', 'name', 'domain'),
    op: fc.constantFrom('equals', 'contains', 'is_empty'),
    value: fc.constantFrom('steel', 'Firm', 'firm2.com', '%'),
  }),
  fc.record({
    type: fc.constant('account_custom_field'),
    key: fc.constant('seats'),
    op: fc.constantFrom('greater_than', 'less_than', 'equals'),
    value: fc.integer({ min: -1, max: 40 }),
  }),
  fc.record({
    type: fc.constant('labels'),
    op: fc.constantFrom('any', 'all', 'none'),
    values: fc.subarray(['vip', 'fair', 'newsletter', 'x'], { minLength: 1 }),
  }),
  fc.record({
    type: fc.constant('status'),
    values: fc.subarray(['active', 'unsubscribed', 'blacklisted'], { minLength: 1 }),
  }),
)
const { filter } = fc.letrec((tie) => ({
  filter: fc.record({
    type: fc.constant('group'),
    combinator: fc.constantFrom('and', 'or'),
    conditions: fc.array(fc.oneof({ depthSize: 'small' }, condition, tie('filter')), { maxLength: 3 }),
  }),
}))
const and = (...conditions: unknown[]) => ({ type: 'group', combinator: 'and', conditions })
const or = (...conditions: unknown[]) => ({ type: 'group', combinator: 'or', conditions })

async function count(f: unknown): Promise<number> {
  const res = await t.request('POST', '/api/segments/count', {
    token: t.a.marketer.token,
    json: { kind: 'contact', filter: f },
  })
  expect(res.status, res.text).toBe(200)
  return res.body.count
}

describe('the segment compiler', () => {
  it('compiles every filter, and AND and OR are intersection and union', async () => {
    const everyone = await count(and())
    expect(everyone).toBe(30)
    await fc.assert(
      fc.asyncProperty(filter, filter, async (f, g) => {
        const [cf, cg, both, either] = [
          await count(f),
          await count(g),
          await count(and(f, g)),
          await count(or(f, g)),
        ]
        expect(either).toBe(cf + cg - both)
        expect(both).toBeLessThanOrEqual(Math.min(cf, cg))
        expect(cf).toBeLessThanOrEqual(everyone)
        expect(await count(and(f))).toBe(cf)
      }),
      { numRuns: 40 },
    )
  })
})
