import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import { statsFixtures } from './fixture-queries.ts'

/**
 * Impossible query input to the statistics endpoints — days outside 1970–2999, page cursors
 * PostgreSQL cannot read, page sizes not in plain digits — is a 422 naming the field, never a
 * 500; the largest valid values still answer. (Beside routes.test.ts, which is near its size limit.)
 */
let t: TestContext
const RANGE = 'preset=custom&from=2026-03-01&to=2026-03-31&tz=UTC'

beforeAll(async () => {
  t = await setupTestApp()
  const f = statsFixtures(t.db, t.a.id)
  const campaign = await f.campaign('Webinar')
  const delivery = await f.delivery(campaign, t.a.employee.id, {})
  await f.event(delivery, 'view', '2026-03-10T10:00:00Z', 'apple_privacy_prefetch')
  await f.event(delivery, 'click', '2026-03-10T10:05:00Z', 'burst')
})
afterAll(() => t.close())

const get = (path: string) => t.request('GET', path, { token: t.a.marketer.token })
const DAYS = 'Choose a date from 1970-01-01 to 2999-12-31.'
const LIMIT = 'Use a whole number written in plain digits, such as 50.'
const CURSOR = 'This cursor is not valid.'

describe('custom ranges', () => {
  const paths = ['/api/stats', '/api/stats/breakdown?by=accounts&', '/api/stats/events']
  it.each(
    paths.flatMap((path) => [
      [path, 'from=9999-12-30&to=9999-12-31', 'from'],
      [path, 'from=0001-01-01&to=0001-01-02', 'from'],
      [path, 'from=1969-12-31&to=1970-01-01', 'from'],
      [path, 'from=2999-12-31&to=3000-01-01', 'to'],
    ]),
  )('%s answers 422 for %s naming %s', async (path, days, field) => {
    const sep = path.endsWith('&') ? '' : '?'
    const res = await get(`${path}${sep}preset=custom&${days}&tz=UTC`)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', DAYS, field))
  })

  it.each([
    ['1970-01-01', '1970-01-02', 'Pacific/Honolulu', '1970-01-01T10:00:00.000Z'],
    ['2999-12-30', '2999-12-31', 'Pacific/Kiritimati', '2999-12-29T10:00:00.000Z'],
  ])('takes %s to %s in %s', async (from, to, tz, start) => {
    for (const path of ['/api/stats?', '/api/stats/breakdown?by=accounts&', '/api/stats/events?']) {
      const res = await get(`${path}preset=custom&from=${from}&to=${to}&tz=${tz}`)
      expect(res.status, JSON.stringify(res.body)).toBe(200)
      if (path !== '/api/stats/events?') expect(res.body.range).toMatchObject({ from: start, tz })
    }
  })
})

describe('GET /api/stats/events paging', () => {
  it('pages with the cursor it gave, and takes the largest event id', async () => {
    const first = await get(`/api/stats/events?${RANGE}&limit=1`)
    expect(first.body.items.map((e: { kind: string }) => e.kind)).toEqual(['click'])
    const second = await get(`/api/stats/events?${RANGE}&limit=1&cursor=${first.body.nextCursor}`)
    expect(second.body).toMatchObject({ nextCursor: null, items: [{ kind: 'view' }] })
    const edge = await get(
      `/api/stats/events?${RANGE}&limit=050&cursor=2026-03-10T10:05:00.000Z_9223372036854775807`,
    )
    // Every event at that instant has a smaller id, so the click is on the page too.
    expect(edge.body.items.map((e: { kind: string }) => e.kind)).toEqual(['click', 'view'])
  })

  it.each([
    ['cursor=2026-01-01T00:00:00Z_99999999999999999999999', 'cursor', CURSOR],
    ['cursor=2026-01-01T00:00:00Z_9223372036854775808', 'cursor', CURSOR],
    ['cursor=9999-99-99T99:99:99Z_1', 'cursor', CURSOR],
    ['cursor=2026-02-29T00:00:00.000Z_1', 'cursor', CURSOR],
    ['cursor=2026-01-01T00:00:60Z_1', 'cursor', CURSOR],
    ['limit=0x10', 'limit', LIMIT],
    ['limit=1e2', 'limit', LIMIT],
    ['limit=-1', 'limit', LIMIT],
    ['limit=0', 'limit', 'Must be at least 1.'],
    ['limit=99999999999999999999', 'limit', 'Must be at most 200.'],
  ])('answers 422 for %s', async (query, field, message) => {
    const res = await get(`/api/stats/events?${RANGE}&${query}`)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })
})

describe('page sizes of the other statistics lists', () => {
  it.each([
    ['/api/stats/breakdown', `${RANGE}&by=accounts&limit=0x10`],
    ['/api/stats/breakdown', `${RANGE}&by=accounts&limit=1e2`],
    ['/api/stats/last-clicks', `scope=account&id=${crypto.randomUUID()}&limit=1e1`],
  ])('%s answers 422 for %s', async (path, query) => {
    const res = await get(`${path}?${query}`)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', LIMIT, 'limit'))
  })
})
