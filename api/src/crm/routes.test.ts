import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type FakeHubSpot, startFakeHubSpot } from '../../test/fake-hubspot.ts'
import { apiError, setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'
import { runDueSyncs } from './scheduler.ts'

let t: TestContext
let hs: FakeHubSpot
beforeAll(async () => {
  t = await setupTestApp()
  hs = await startFakeHubSpot()
})
afterAll(async () => {
  await hs.close()
  await t.close()
})

const base = '/api/integrations/hubspot'
const as = (w: TestWorkspace, method: string, path: string, json?: unknown) =>
  t.request(method, `${base}${path}`, { token: w.marketer.token, json })
const connect = (w: TestWorkspace, token = hs.token) => as(w, 'PUT', '', { token, baseUrl: hs.url })

async function group(w: TestWorkspace, name: string, kind: 'contact' | 'account' = 'contact') {
  const res = await t.request('POST', '/api/target-groups', { token: w.marketer.token, json: { name, kind } })
  expect(res.status).toBe(201)
  return res.body.id as string
}

async function members(groupId: string) {
  const rows = await t.db
    .selectFrom('target_group_contact as m')
    .innerJoin('contact as c', 'c.id', 'm.contact_id')
    .select('c.email')
    .where('m.group_id', '=', groupId as never)
    .orderBy('c.email')
    .execute()
  return rows.map((r) => r.email)
}

function contact(email: string) {
  return t.db
    .selectFrom('contact')
    .select([
      'email',
      'first_name',
      'last_name',
      'phone',
      'company',
      'job_title',
      'status',
      'source',
      'custom_fields',
      'consent_given_at',
      'consent_method',
    ])
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
}

describe('the HubSpot connection', () => {
  it('is not connected at first and defaults to HubSpot’s address', async () => {
    const res = await as(t.a, 'GET', '')
    expect(res.body).toEqual({
      connected: false,
      baseUrl: 'https://api.hubapi.com',
      tokenHint: null,
      status: null,
      error: null,
      connectedAt: null,
    })
  })

  it.each([
    [{}, 'token'],
    [{ token: 'short' }, 'token'],
    [{ token: 'pat na1 with spaces' }, 'token'],
    [{ token: 'x'.repeat(501) }, 'token'],
    [{ token: 'pat-na1-aaaaaaaa', baseUrl: 'ftp://api.hubapi.com' }, 'baseUrl'],
    [{ token: 'pat-na1-aaaaaaaa', baseUrl: 'not a url' }, 'baseUrl'],
  ])('refuses %j, naming %s, and stores nothing', async (json, field) => {
    const res = await as(t.b, 'PUT', '', json)
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe(field)
    expect((await as(t.b, 'GET', '')).body.connected).toBe(false)
  })

  it('refuses a token HubSpot refuses, and an address where HubSpot does not answer', async () => {
    const refused = await connect(t.b, 'pat-na1-wrong-token')
    expect(refused.status).toBe(422)
    expect(refused.body).toEqual(apiError('validation_failed', /HubSpot refused the access token/, 'token'))
    const nowhere = await as(t.b, 'PUT', '', { token: hs.token, baseUrl: 'http://127.0.0.1:9' })
    expect(nowhere.status).toBe(422)
    expect(nowhere.body.error.field).toBe('baseUrl')
    expect((await as(t.b, 'GET', '')).body.connected).toBe(false)
  })

  it('connects, shows only the last four characters and stores the token encrypted', async () => {
    const res = await connect(t.a)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      connected: true,
      baseUrl: hs.url,
      tokenHint: '0001',
      status: 'connected',
    })
    expect(JSON.stringify(res.body)).not.toContain(hs.token)
    expect((await as(t.a, 'GET', '')).text).not.toContain(hs.token)
    const row = await t.db
      .selectFrom('crm_connection')
      .selectAll()
      .where('workspace_id', '=', t.a.id)
      .executeTakeFirstOrThrow()
    expect(row.token_sealed).not.toContain(hs.token)
    expect(row.token_sealed).not.toContain(Buffer.from(hs.token).toString('base64url').slice(0, 12))
  })

  it('is for marketers, and another workspace sees its own (none)', async () => {
    const employee = await t.request('GET', base, { token: t.a.employee.token })
    expect(employee.status).toBe(403)
    expect((await as(t.b, 'GET', '')).body.connected).toBe(false)
  })
})

describe('HubSpot lists', () => {
  beforeAll(() => {
    hs.setList('7', 'Trade fair leads', ['101', '102'])
    hs.setList('8', 'Companies to call', [], '0-2')
    for (let i = 1; i <= 130; i++) hs.setList(String(1000 + i), `Newsletter ${i}`, [])
  })

  it('lists the contact lists, across HubSpot’s pages, and filters by name', async () => {
    const all = await as(t.a, 'GET', '/lists')
    expect(all.status).toBe(200)
    expect(all.body).toHaveLength(131)
    expect(all.body.map((l: { listId: string }) => l.listId)).not.toContain('8')
    expect(all.body).toContainEqual({
      listId: '7',
      name: 'Trade fair leads',
      size: 2,
      processingType: 'MANUAL',
    })
    const searched = await as(t.a, 'GET', '/lists?query=trade')
    expect(searched.body.map((l: { name: string }) => l.name)).toEqual(['Trade fair leads'])
  })

  it('needs a connection', async () => {
    const res = await as(t.b, 'GET', '/lists')
    expect(res.body).toEqual(apiError('conflict', 'Connect HubSpot first.', 'connection'))
  })
})

describe('linking a group to a list', () => {
  it.each([
    [{}, 'listId'],
    [{ listId: 'abc' }, 'listId'],
    [{ listId: '7', intervalMinutes: 2 }, 'intervalMinutes'],
    [{ listId: '7', intervalMinutes: 2000 }, 'intervalMinutes'],
    [{ listId: '7', intervalMinutes: 7.5 }, 'intervalMinutes'],
  ])('refuses %j, naming %s', async (json, field) => {
    const id = await group(t.a, `Bad input ${field} ${JSON.stringify(json)}`)
    const res = await as(t.a, 'PUT', `/links/${id}`, json)
    expect(res.status).toBe(422)
    expect(res.body.error.field).toBe(field)
    expect(
      (await as(t.a, 'GET', '/links')).body.map((l: { targetGroupId: string }) => l.targetGroupId),
    ).not.toContain(id)
  })

  it('refuses a group of accounts, a dynamic group, an unknown list and an unknown group', async () => {
    const accounts = await group(t.a, 'Account group', 'account')
    expect((await as(t.a, 'PUT', `/links/${accounts}`, { listId: '7' })).body).toEqual(
      apiError('validation_failed', /group of accounts/, 'targetGroupId'),
    )
    const segment = await t.request('POST', '/api/segments', {
      token: t.a.marketer.token,
      json: { name: 'All', kind: 'contact', filter: { type: 'group', combinator: 'and', conditions: [] } },
    })
    const dynamic = await t.request('POST', '/api/target-groups', {
      token: t.a.marketer.token,
      json: { name: 'Dynamic', kind: 'contact', segmentId: segment.body.id },
    })
    expect((await as(t.a, 'PUT', `/links/${dynamic.body.id}`, { listId: '7' })).body).toEqual(
      apiError('validation_failed', /takes its members from a segment/, 'targetGroupId'),
    )
    const id = await group(t.a, 'Unknown list')
    expect((await as(t.a, 'PUT', `/links/${id}`, { listId: '8' })).body).toEqual(
      apiError(
        'validation_failed',
        'The HubSpot list "Companies to call" is not a list of contacts.',
        'listId',
      ),
    )
    expect((await as(t.a, 'PUT', `/links/${id}`, { listId: '999' })).body).toEqual(
      apiError('validation_failed', 'HubSpot has no such list.', 'listId'),
    )
    const missing = await as(t.a, 'PUT', '/links/00000000-0000-4000-8000-000000000000', { listId: '7' })
    expect(missing.status).toBe(404)
  })
})

describe('synchronising', () => {
  let groupId: string
  beforeAll(async () => {
    groupId = await group(t.a, 'Trade fair')
    hs.addContact('101', {
      email: 'Ada@Example.com',
      firstname: 'Ada',
      lastname: 'Lovelace',
      company: 'Engines',
      jobtitle: 'CTO',
      phone: '+44 20 7946 0000',
      hs_legal_basis: 'Legitimate interest – prospect/lead;Freely given consent from contact',
    })
    hs.addContact('102', { email: 'blocked@example.com', firstname: 'Bea', lastname: 'Blocked' })
    hs.addContact('103', { email: 'not-an-email', firstname: 'Broken' })
    hs.addContact('104', {
      email: 'carl@example.com',
      firstname: 'Carl',
      lastname: null,
      hs_legal_basis: 'Legitimate interest - existing customer',
      hs_email_optout: 'true',
    })
    hs.setList('7', 'Trade fair leads', ['101', '102', '103', '104'])
    // A contact Signet already has, blacklisted: synchronising must not bring it back.
    const made = await t.request('POST', '/api/contacts', {
      token: t.a.marketer.token,
      json: { email: 'blocked@example.com', firstName: 'Old' },
    })
    await t.request('POST', `/api/contacts/${made.body.id}/actions/blacklist`, {
      token: t.a.marketer.token,
      json: {},
    })
  })

  it('links, then a first run creates the contacts (source crm) and fills the group', async () => {
    const linked = await as(t.a, 'PUT', `/links/${groupId}`, { listId: '7' })
    expect(linked.status).toBe(200)
    expect(linked.body).toMatchObject({
      targetGroupName: 'Trade fair',
      listId: '7',
      listName: 'Trade fair leads',
      intervalMinutes: 15,
      status: 'ok',
      lastRun: null,
    })

    const run = await as(t.a, 'POST', `/links/${groupId}/sync`)
    expect(run.status).toBe(200)
    expect(run.body).toMatchObject({ trigger: 'manual', status: 'applied', error: null })
    expect(run.body.report).toMatchObject({
      mode: 'synchronise',
      total: 4,
      new: 2,
      updated: 1,
      invalid: 1,
      joined: 3,
      leaving: 0,
    })
    expect(run.body.report.invalidRows).toEqual([{ line: 3, field: 'email', reason: expect.any(String) }])
    expect(await members(groupId)).toEqual(['ada@example.com', 'blocked@example.com', 'carl@example.com'])
    expect(await contact('ada@example.com')).toMatchObject({
      first_name: 'Ada',
      last_name: 'Lovelace',
      company: 'Engines',
      job_title: 'CTO',
      phone: '+442079460000',
      source: 'crm',
      status: 'active',
      custom_fields: { hubspotId: '101' },
      consent_given_at: expect.any(Date),
      consent_method: 'HubSpot: Freely given consent from contact',
    })
    // A legitimate interest is not consent; unsubscribed from all email in HubSpot is unsubscribed here.
    expect(await contact('carl@example.com')).toMatchObject({
      consent_given_at: null,
      consent_method: null,
      status: 'unsubscribed',
    })
    // The suppression status stays; the name is updated like a CSV synchronisation would.
    expect(await contact('blocked@example.com')).toMatchObject({
      status: 'blacklisted',
      first_name: 'Bea',
      source: 'manual',
    })
  })

  it('a second run after list changes: leavers leave, newcomers join, changes are applied', async () => {
    hs.addContact('105', { email: 'dora@example.com', firstname: 'Dora' })
    hs.addContact('101', {
      email: 'ada@example.com',
      firstname: 'Ada',
      lastname: 'King',
      company: 'Engines',
      jobtitle: 'CTO',
    })
    hs.setList('7', 'Trade fair leads 2026', ['101', '102', '105'])
    const run = await as(t.a, 'POST', `/links/${groupId}/sync`)
    expect(run.body.report).toMatchObject({
      total: 3,
      new: 1,
      updated: 1,
      unchanged: 1,
      leaving: 1,
      joined: 1,
      invalid: 0,
    })
    expect(await members(groupId)).toEqual(['ada@example.com', 'blocked@example.com', 'dora@example.com'])
    // Carl left the list: he leaves the group and stays a contact, as he was.
    expect(await contact('carl@example.com')).toMatchObject({ status: 'unsubscribed' })
    expect(await contact('ada@example.com')).toMatchObject({ last_name: 'King' })
    const links = await as(t.a, 'GET', '/links')
    expect(links.body).toEqual([
      expect.objectContaining({
        targetGroupId: groupId,
        listName: 'Trade fair leads 2026',
        lastRun: run.body,
      }),
    ])
  })

  it('shows the runs, newest first, and they are imports: in the history, undoable, not re-runnable as files', async () => {
    const runs = await as(t.a, 'GET', `/links/${groupId}/runs`)
    expect(runs.body).toHaveLength(2)
    expect(runs.body[0].report.leaving).toBe(1)
    const history = await t.request('GET', '/api/imports', { token: t.a.marketer.token })
    const job = history.body.find((i: { id: string }) => i.id === runs.body[0].importId)
    expect(job).toMatchObject({
      source: 'hubspot',
      fileName: 'HubSpot list Trade fair leads',
      mode: 'synchronise',
      status: 'applied',
      targetGroupId: groupId,
    })
    const one = await t.request('GET', `/api/imports/${job.id}`, { token: t.a.marketer.token })
    expect(one.body.preview).toEqual([])
    for (const step of ['dry-run', 'apply']) {
      const res = await t.request('POST', `/api/imports/${job.id}/${step}`, { token: t.a.marketer.token })
      expect(res.body).toEqual(apiError('conflict', /HubSpot synchronisation run/, 'id'))
    }
    const undo = await t.request('POST', `/api/imports/${job.id}/undo`, { token: t.a.marketer.token })
    expect(undo.status).toBe(200)
    expect(await members(groupId)).toEqual(['ada@example.com', 'blocked@example.com', 'carl@example.com'])
    expect(await contact('ada@example.com')).toMatchObject({ last_name: 'Lovelace' })
  })

  it('keeps another workspace out: 404 and nothing runs or changes', async () => {
    await connect(t.b)
    const before = hs.log.length
    for (const [method, path] of [
      ['POST', `/links/${groupId}/sync`],
      ['GET', `/links/${groupId}/runs`],
      ['DELETE', `/links/${groupId}`],
      ['PUT', `/links/${groupId}`],
    ] as const) {
      const res = await as(t.b, method, path, method === 'PUT' ? { listId: '7' } : undefined)
      expect(res.status, `${method} ${path}`).toBe(404)
    }
    expect(hs.log.length).toBe(before)
    expect((await as(t.b, 'GET', '/links')).body).toEqual([])
    expect((await as(t.a, 'GET', '/links')).body).toHaveLength(1)
    await as(t.b, 'DELETE', '')
  })

  it('answers 409 to a second run of the same group while one is under way', async () => {
    hs.delayMs = 100
    try {
      const [one, two] = await Promise.all([
        as(t.a, 'POST', `/links/${groupId}/sync`),
        as(t.a, 'POST', `/links/${groupId}/sync`),
      ])
      expect([one.status, two.status].sort()).toEqual([200, 409])
      expect([one.body, two.body]).toContainEqual(
        apiError('conflict', /being synchronised right now/, 'targetGroupId'),
      )
    } finally {
      hs.delayMs = 0
    }
  })
})

describe('the schedule and failures', () => {
  let groupId: string
  let w: TestWorkspace
  beforeAll(async () => {
    w = await t.addWorkspace('Scheduled')
    await connect(w)
    hs.addContact('201', { email: 'eve@example.com' })
    hs.setList('20', 'Scheduled list', ['201'])
    groupId = await group(w, 'Scheduled group')
    await as(w, 'PUT', `/links/${groupId}`, { listId: '20' })
  })
  beforeEach(async () => {
    // Only this workspace's link is due in these tests.
    await t.db
      .updateTable('crm_list_link')
      .set({ next_run_at: new Date(Date.now() + 3_600_000) })
      .where('workspace_id', '!=', w.id)
      .execute()
  })
  const due = () =>
    t.db
      .updateTable('crm_list_link')
      .set({ next_run_at: new Date(Date.now() - 1000) })
      .where('workspace_id', '=', w.id)
      .execute()

  it('runs a due link once, then not again until its interval has passed', async () => {
    await due()
    expect(await runDueSyncs(t.db, t.config)).toBe(1)
    expect(await runDueSyncs(t.db, t.config)).toBe(0)
    const [link] = (await as(w, 'GET', '/links')).body
    expect(link.lastRun).toMatchObject({ trigger: 'schedule', status: 'applied' })
    const minutes = (Date.parse(link.nextRunAt) - Date.parse(link.lastRunAt)) / 60_000
    expect(minutes).toBeCloseTo(15, 1)
    expect(await members(groupId)).toEqual(['eve@example.com'])
  })

  it('reports a revoked token to the marketer and stops scheduled runs until a reconnect', async () => {
    const good = hs.token
    hs.token = 'pat-na1-rotated-token-0002'
    try {
      await due()
      expect(await runDueSyncs(t.db, t.config)).toBe(1)
      const connection = (await as(w, 'GET', '')).body
      expect(connection).toMatchObject({
        status: 'failing',
        error: expect.stringMatching(/HubSpot refused the access token/),
      })
      const [link] = (await as(w, 'GET', '/links')).body
      expect(link.lastRun).toMatchObject({
        status: 'failed',
        error: expect.stringMatching(/refused the access token/),
      })
      expect(await members(groupId)).toEqual(['eve@example.com'])

      await due()
      const before = hs.log.length
      expect(await runDueSyncs(t.db, t.config)).toBe(0)
      expect(hs.log.length).toBe(before)

      // A run on demand still tries (and fails the same way, reported again).
      const manual = await as(w, 'POST', `/links/${groupId}/sync`)
      expect(manual.body).toMatchObject({ status: 'failed', error: expect.stringMatching(/refused/) })
      expect((await connect(w, 'pat-na1-wrong')).status).toBe(422)
      expect((await connect(w, hs.token)).body).toMatchObject({
        status: 'connected',
        error: null,
        tokenHint: '0002',
      })
      await due()
      expect(await runDueSyncs(t.db, t.config)).toBe(1)
    } finally {
      hs.token = good
      await connect(w, good)
    }
  })

  it('reports a list deleted in HubSpot and stops that link’s scheduled runs until it is linked again', async () => {
    hs.lists.delete('20')
    await due()
    expect(await runDueSyncs(t.db, t.config)).toBe(1)
    const [link] = (await as(w, 'GET', '/links')).body
    expect(link).toMatchObject({ status: 'failing', error: expect.stringMatching(/no longer exists/) })
    expect(link.lastRun.status).toBe('failed')
    await due()
    expect(await runDueSyncs(t.db, t.config)).toBe(0)
    hs.setList('21', 'Replacement', ['201'])
    const relinked = await as(w, 'PUT', `/links/${groupId}`, { listId: '21' })
    expect(relinked.body).toMatchObject({ status: 'ok', error: null, listName: 'Replacement' })
    expect(await runDueSyncs(t.db, t.config)).toBe(1)
  })

  it('treats a token it cannot decrypt (SECRET changed) like a refused one', async () => {
    await due()
    const before = hs.log.length
    expect(await runDueSyncs(t.db, { ...t.config, secret: 'another-secret-another-secret-another-1' })).toBe(
      1,
    )
    expect(hs.log.length).toBe(before)
    expect((await as(w, 'GET', '')).body).toMatchObject({
      status: 'failing',
      error: expect.stringMatching(/cannot be decrypted/),
    })
    await connect(w)
  })

  it('unlinks and disconnects; the group keeps its members', async () => {
    expect((await as(w, 'DELETE', `/links/${groupId}`)).status).toBe(204)
    expect((await as(w, 'DELETE', `/links/${groupId}`)).status).toBe(404)
    expect((await as(w, 'DELETE', '')).status).toBe(204)
    expect((await as(w, 'GET', '')).body.connected).toBe(false)
    expect(await members(groupId)).toEqual(['eve@example.com'])
  })
})
