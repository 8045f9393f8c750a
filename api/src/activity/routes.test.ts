import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import type { ContactId } from '../db/schema.ts'
import { statsFixtures } from '../stats/fixture-queries.ts'
import { issueTicket } from './ticket.ts'

let t: TestContext
let f: ReturnType<typeof statsFixtures>
let delivery: Awaited<ReturnType<ReturnType<typeof statsFixtures>['delivery']>>
let alice: ContactId
let campaignId: string

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

beforeAll(async () => {
  t = await setupTestApp()
  f = statsFixtures(t.db, t.a.id)
  await f.setTier('identified')
  const campaign = await f.campaign('Webinar')
  campaignId = campaign.campaignId
  const acme = await f.account('acme.example', 'Acme')
  alice = await f.contact('alice@acme.example', acme)
  await t.db
    .insertInto('contact_status_change')
    .values({
      workspace_id: t.a.id,
      contact_id: alice,
      from_status: null,
      to_status: 'active',
      reason: 'Created',
    })
    .execute()
  await t.db
    .updateTable('contact_status_change')
    .set({ created_at: ago(120) as never })
    .where('contact_id', '=', alice)
    .execute()
  delivery = await f.delivery(campaign, t.a.employee.id, {
    accounts: [acme],
    contacts: [alice],
    leadDomains: ['lead.example'],
  })
  await t.db
    .updateTable('delivery')
    .set({ created_at: ago(60) as never, sent_at: ago(59) })
    .where('id', '=', delivery.id)
    .execute()
  await f.event(delivery, 'sent', ago(59))
  await f.event(delivery, 'view', ago(30))
  await f.event(delivery, 'click', ago(20), 'scanner_network:microsoft')
  await f.event(delivery, 'click', ago(10))
})
afterAll(() => t.close())

const get = (path: string, token = t.a.marketer.token) => t.request('GET', path, { token })

describe('GET /api/activity/feed', () => {
  it('lists the latest events newest first with names, machine events on request', async () => {
    const res = await get('/api/activity/feed')
    expect(res.status).toBe(200)
    expect(res.body.items.map((i: { kind: string }) => i.kind)).toEqual(['click', 'view', 'sent'])
    expect(res.body.items[0]).toMatchObject({
      human: true,
      campaign: { id: campaignId, name: 'Webinar' },
      employee: { id: t.a.employee.id },
      accounts: [{ name: 'Acme' }],
      contacts: [{ id: alice, name: '<alice@acme.example>' }],
      leadDomains: ['lead.example'],
    })
    const all = await get('/api/activity/feed?includeMachine=true')
    expect(all.body.items.map((i: { machineReason: string | null }) => i.machineReason)).toEqual([
      null,
      'scanner_network:microsoft',
      null,
      null,
    ])
  })

  it('pages, exports CSV, hides contacts outside the identified tier and keeps workspaces apart', async () => {
    const first = await get('/api/activity/feed?limit=2')
    expect(first.body.items).toHaveLength(2)
    const second = await get(`/api/activity/feed?limit=2&cursor=${first.body.nextCursor}`)
    expect(second.body.items.map((i: { kind: string }) => i.kind)).toEqual(['sent'])
    expect(second.body.nextCursor).toBeNull()
    expect((await get('/api/activity/feed?cursor=x')).body).toEqual(
      apiError('validation_failed', 'This cursor is not valid.', 'cursor'),
    )
    const csv = await get('/api/activity/feed?format=csv')
    expect(csv.text.split('\r\n')[1]).toMatch(
      /^[\d-]+T[\d:.]+Z,click,true,,Webinar,[^,]*,Acme,<alice@acme.example>,lead.example$/,
    )
    await f.setTier('aggregate')
    expect((await get('/api/activity/feed')).body.items[0].contacts).toEqual([])
    await f.setTier('identified')
    expect((await get('/api/activity/feed', t.b.marketer.token)).body.items).toEqual([])
    expect((await get('/api/activity/feed', t.a.employee.token)).status).toBe(403)
  })
})

const LIMIT = 'Use a whole number written in plain digits, such as 50.'
const CURSOR = 'This cursor is not valid.'

describe('impossible page input', () => {
  it.each([
    ['feed', 'cursor=9999-99-99T99:99:99Z_1', 'cursor', CURSOR],
    ['feed', 'cursor=2026-02-30T00:00:00.000Z_1', 'cursor', CURSOR],
    ['feed', 'cursor=2026-01-01T24:00:00.000Z_1', 'cursor', CURSOR],
    ['feed', 'cursor=0000-01-01T00:00:00.000Z_1', 'cursor', CURSOR],
    ['feed', 'cursor=2026-01-01T00:00:00.000Z_9223372036854775808', 'cursor', CURSOR],
    ['feed', 'cursor=2026-01-01T00:00:00Z_99999999999999999999999', 'cursor', CURSOR],
    ['feed', 'limit=0x10', 'limit', LIMIT],
    ['feed', 'limit=1e2', 'limit', LIMIT],
    ['feed', 'limit=%205', 'limit', LIMIT],
    ['feed', 'limit=2.0', 'limit', LIMIT],
    ['feed', 'limit=', 'limit', LIMIT],
    ['feed', 'limit=201', 'limit', 'Must be at most 200.'],
    ['contacts', 'cursor=9999-99-99T99:99:99Z_d1', 'cursor', CURSOR],
    ['contacts', 'limit=0x10', 'limit', LIMIT],
  ])('answers 422 on the %s for %s', async (list, query, field, message) => {
    const path = list === 'feed' ? '/api/activity/feed' : `/api/activity/contacts/${alice}`
    const res = await get(`${path}?${query}`)
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
  })

  it('takes the largest event id and a leap day as a cursor, and a limit in digits', async () => {
    const res = await get('/api/activity/feed?limit=010&cursor=2028-02-29T00:00:00.000Z_9223372036854775807')
    expect(res.status).toBe(200)
    expect(res.body).toEqual((await get('/api/activity/feed')).body)
    const own = await get(`/api/activity/contacts/${alice}?cursor=2028-02-29T00:00:00.000Z_d1`)
    expect(own.status).toBe(200)
  })
})

describe('GET /api/activity/contacts/:id', () => {
  it('lists deliveries, views, clicks and status changes, newest first', async () => {
    const res = await get(`/api/activity/contacts/${alice}?limit=3`)
    expect(res.body.tracking).toBe(true)
    expect(
      res.body.items.slice(0, 3).map((i: { type: string; status: string }) => `${i.type}:${i.status}`),
    ).toEqual(['click:human', 'click:machine', 'view:human'])
    expect(res.body.items[1]).toMatchObject({
      channel: 'email',
      detail: 'scanner_network:microsoft',
      campaign: { name: 'Webinar' },
    })
    const rest = await get(`/api/activity/contacts/${alice}?limit=50&cursor=${res.body.nextCursor}`)
    expect(rest.body.items.map((i: { type: string; status: string }) => `${i.type}:${i.status}`)).toEqual([
      'delivery:sent',
      'status:active',
    ])
    expect(rest.body.items[1]).toMatchObject({ channel: 'system', detail: 'Created', campaign: null })
    const csv = await get(`/api/activity/contacts/${alice}?format=csv`)
    expect(csv.text.trim().split('\r\n')).toHaveLength(6)
  })

  it('keeps per-person history to the identified tier, and to the workspace', async () => {
    await f.setTier('aggregate')
    const res = await get(`/api/activity/contacts/${alice}`)
    expect(res.body).toMatchObject({ tracking: false, items: [{ type: 'status', status: 'active' }] })
    expect(res.body.items).toHaveLength(1)
    await f.setTier('identified')
    expect((await get(`/api/activity/contacts/${alice}`, t.b.marketer.token)).status).toBe(404)
    expect((await get('/api/activity/contacts/42')).body.error.field).toBe('id')
    expect((await get(`/api/activity/contacts/${alice}?cursor=x`)).body.error.field).toBe('cursor')
  })
})

/** Reads a Server-Sent Events response until `until` matches or `ms` pass. */
async function readStream(res: Response, until: (text: string) => boolean, ms: number) {
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  const deadline = Date.now() + ms
  while (!until(text) && Date.now() < deadline) {
    const next = await Promise.race([
      reader.read(),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), Math.max(1, deadline - Date.now()))),
    ])
    if (!next || next.done) break
    text += decoder.decode(next.value)
  }
  await reader.cancel()
  return text
}

describe('the live feed', () => {
  it('streams new events to the holder of a fresh ticket', async () => {
    const ticket = await t.request('POST', '/api/activity/stream-ticket', { token: t.a.marketer.token })
    expect(ticket.status).toBe(200)
    const res = await t.app.request(`/api/activity/stream?ticket=${ticket.body.ticket}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const id = String(await f.event(delivery, 'click', new Date().toISOString()))
    const text = await readStream(res, (s) => s.includes(`id: ${id}\n`), 5_000)
    expect(text).toContain('event: ready')
    const event = text.split('\n\n').find((block) => block.endsWith(`id: ${id}`))!
    expect(JSON.parse(/^data: (.*)$/m.exec(event)![1]!)).toMatchObject({
      id,
      kind: 'click',
      campaign: { name: 'Webinar' },
    })
  })

  it('refuses a forged, expired or employee’s ticket, and sends nothing of another workspace', async () => {
    const open = (ticket: string) => t.request('GET', `/api/activity/stream?ticket=${ticket}`)
    const real = issueTicket(t.config.secret, t.a.id, t.a.marketer.id).ticket
    expect((await open(`${real}x`)).status).toBe(401)
    expect(
      (await open(issueTicket('another-secret-another-secret-0123', t.a.id, t.a.marketer.id).ticket)).status,
    ).toBe(401)
    expect(
      (await open(issueTicket(t.config.secret, t.a.id, t.a.marketer.id, Date.now() - 120_000).ticket)).status,
    ).toBe(401)
    expect((await open(issueTicket(t.config.secret, t.a.id, t.a.employee.id).ticket)).status).toBe(401)
    expect((await open(issueTicket(t.config.secret, t.b.id, t.a.marketer.id).ticket)).status).toBe(401)
    expect((await t.request('GET', '/api/activity/stream')).body.error.field).toBe('ticket')

    await f.event(delivery, 'click', new Date().toISOString())
    const b = issueTicket(t.config.secret, t.b.id, t.b.marketer.id).ticket
    const text = await readStream(await t.app.request(`/api/activity/stream?ticket=${b}`), () => false, 800)
    expect(text).toContain('event: ready')
    expect(text).not.toContain('event: activity')
  })
})
