import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeHubSpot, startFakeHubSpot } from '../../test/fake-hubspot.ts'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'

/** Volume and HubSpot's limits: several thousand members over many pages, and 429 back-off. */
let t: TestContext
let hs: FakeHubSpot
beforeAll(async () => {
  t = await setupTestApp()
  hs = await startFakeHubSpot()
  const connected = await t.request('PUT', '/api/integrations/hubspot', {
    token: t.a.marketer.token,
    json: { token: hs.token, baseUrl: hs.url },
  })
  expect(connected.status).toBe(200)
})
afterAll(async () => {
  await hs.close()
  await t.close()
})

async function linkedGroup(name: string, listId: string) {
  const group = await t.request('POST', '/api/target-groups', {
    token: t.a.marketer.token,
    json: { name, kind: 'contact' },
  })
  const link = await t.request('PUT', `/api/integrations/hubspot/links/${group.body.id}`, {
    token: t.a.marketer.token,
    json: { listId },
  })
  expect(link.status).toBe(200)
  return group.body.id as string
}

const sync = (groupId: string) =>
  t.request('POST', `/api/integrations/hubspot/links/${groupId}/sync`, { token: t.a.marketer.token })

function memberCount(groupId: string) {
  return t.db
    .selectFrom('target_group_contact')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('group_id', '=', groupId as never)
    .executeTakeFirstOrThrow()
    .then((r) => Number(r.n))
}

describe('a list of several thousand contacts', () => {
  const SIZE = 4321
  it('is read page by page and 100 at a time, and the group mirrors it', async () => {
    const ids: string[] = []
    for (let i = 1; i <= SIZE; i++) {
      const id = String(500_000 + i)
      ids.push(id)
      hs.addContact(id, { email: `person${i}@bulk${i % 7}.example.com`, firstname: `P${i}`, company: 'Bulk' })
    }
    hs.setList('3000', 'Everyone', ids)
    const groupId = await linkedGroup('Everyone', '3000')
    hs.log.length = 0

    const started = performance.now()
    const run = await sync(groupId)
    const ms = performance.now() - started
    expect(run.body).toMatchObject({ status: 'applied' })
    expect(run.body.report).toMatchObject({ total: SIZE, new: SIZE, joined: SIZE, invalid: 0 })
    expect(await memberCount(groupId)).toBe(SIZE)

    const pages = hs.log.filter((r) => r.path.endsWith('/memberships'))
    expect(pages).toHaveLength(Math.ceil(SIZE / 250))
    expect(pages[0]!.query.get('after')).toBeNull()
    expect(pages.slice(1).every((p) => p.query.get('after'))).toBe(true)
    const reads = hs.log.filter((r) => r.path === '/crm/v3/objects/contacts/batch/read')
    expect(reads).toHaveLength(Math.ceil(SIZE / 100))
    expect(reads.every((r) => (r.body as { inputs: unknown[] }).inputs.length <= 100)).toBe(true)
    expect(reads.reduce((n, r) => n + (r.body as { inputs: unknown[] }).inputs.length, 0)).toBe(SIZE)
    console.log(`[crm] first run of ${SIZE} contacts: ${ms.toFixed(0)} ms, ${hs.log.length} HubSpot requests`)

    // Half the list leaves HubSpot's list: the second run takes them out of the group.
    hs.setList('3000', 'Everyone', ids.slice(0, 2000))
    const second = await sync(groupId)
    expect(second.body.report).toMatchObject({ total: 2000, new: 0, unchanged: 2000, leaving: SIZE - 2000 })
    expect(await memberCount(groupId)).toBe(2000)
  })
})

describe('HubSpot’s rate limit', () => {
  it('is honoured: after a 429 the next request waits for Retry-After, and the run completes', async () => {
    const ids: string[] = []
    for (let i = 1; i <= 900; i++) {
      ids.push(String(900_000 + i))
      hs.addContact(String(900_000 + i), { email: `rate${i}@limited.example.com` })
    }
    hs.setList('4000', 'Limited', ids)
    const groupId = await linkedGroup('Limited', '4000')
    hs.log.length = 0
    // 4 requests per second: 1 list + 4 membership pages + 9 batch reads cannot pass without waiting.
    hs.rateLimit = { requests: 4, windowMs: 1000 }
    try {
      const run = await sync(groupId)
      expect(run.body).toMatchObject({ status: 'applied' })
      expect(run.body.report).toMatchObject({ total: 900, new: 900 })
    } finally {
      hs.rateLimit = undefined
    }
    const limited = hs.log.filter((r) => r.status === 429)
    expect(limited.length).toBeGreaterThan(0)
    for (const hit of limited) {
      const next = hs.log[hs.log.indexOf(hit) + 1]!
      // Retry-After is whole seconds (at least 1): the client never asks again sooner.
      expect(next.at - hit.at).toBeGreaterThanOrEqual(990)
    }
    // Every page and batch was eventually answered.
    expect(hs.log.filter((r) => r.status === 200 && r.path.endsWith('/batch/read'))).toHaveLength(9)
  })
})
