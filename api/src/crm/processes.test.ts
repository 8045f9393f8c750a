import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FakeHubSpot, startFakeHubSpot } from '../../test/fake-hubspot.ts'
import { createWorkspace, openTestDatabase, type TestWorkspace, testConfig } from '../../test/helpers.ts'
import { startApi, stopApis } from '../../test/processes.ts'
import { openDatabase } from '../db/index.ts'
import { runDueSyncs } from './scheduler.ts'

/**
 * Two real API processes (`api/src/main.ts`, each with its own scheduler and connection pool)
 * over one PostgreSQL database never run the same group at once. PGlite cannot be shared by two
 * processes — its data folder belongs to the one process that opened it — so this needs
 * DATABASE_URL; on PGlite the in-process exclusion is shown by the 409 test in routes.test.ts.
 */
const postgres = Boolean(process.env.DATABASE_URL)

// PostgreSQL only: a PGlite data folder belongs to the one process that opened it, so two API
// processes cannot share one. CI runs this in its PostgreSQL pass.
describe.skipIf(!postgres)('two API processes on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>
  let hs: FakeHubSpot
  let w: TestWorkspace
  let groupId: string
  const apis: { url: string; child: ChildProcess }[] = []
  const config = testConfig()

  const call = async (api: number, method: string, path: string, json?: unknown) => {
    const res = await fetch(`${apis[api]!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${w.marketer.token}`, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    })
    return { status: res.status, body: (await res.json()) as any }
  }

  beforeAll(async () => {
    database = await openTestDatabase()
    hs = await startFakeHubSpot()
    w = await createWorkspace(database.db, config, 'Two processes')
    apis.push(
      ...(await Promise.all([
        startApi(database.url!, config.secret),
        startApi(database.url!, config.secret),
      ])),
    )
    const ids = Array.from({ length: 600 }, (_, i) => String(70_000 + i))
    for (const id of ids) hs.addContact(id, { email: `p${id}@two.example.com` })
    hs.setList('77', 'Shared list', ids)
    expect(
      (await call(0, 'PUT', '/api/integrations/hubspot', { token: hs.token, baseUrl: hs.url })).status,
    ).toBe(200)
    const group = await call(1, 'POST', '/api/target-groups', { name: 'Shared', kind: 'contact' })
    groupId = group.body.id
    expect(
      (await call(1, 'PUT', `/api/integrations/hubspot/links/${groupId}`, { listId: '77' })).status,
    ).toBe(200)
  }, 120_000)

  afterAll(async () => {
    await stopApis(apis)
    await hs?.close()
    await database?.close()
  })

  it('runs a group in one process while the other answers 409, whichever asks first', async () => {
    hs.delayMs = 80
    try {
      for (const order of [
        [0, 1],
        [1, 0],
      ]) {
        const results = await Promise.all(
          order.map((api) => call(api, 'POST', `/api/integrations/hubspot/links/${groupId}/sync`)),
        )
        expect(results.map((r) => r.status).sort()).toEqual([200, 409])
        expect(results.find((r) => r.status === 200)!.body.status).toBe('applied')
      }
    } finally {
      hs.delayMs = 0
    }
    // The runs that happened never overlapped in time.
    const runs = await database.db
      .selectFrom('import_job')
      .select(['created_at', 'applied_at'])
      .where('target_group_id', '=', groupId as never)
      .where('source', '=', 'hubspot')
      .orderBy('created_at')
      .execute()
    expect(runs).toHaveLength(2)
    expect(runs[0]!.applied_at!.getTime()).toBeLessThanOrEqual(runs[1]!.created_at.getTime())
  })

  it('lets only one of two schedulers claim a due link', async () => {
    const other = await openDatabase({ databaseUrl: database.url })
    try {
      await database.db
        .updateTable('crm_list_link')
        .set({ next_run_at: new Date(Date.now() - 1000) })
        .execute()
      const ran = await Promise.all([runDueSyncs(database.db, config), runDueSyncs(other.db, config)])
      expect(ran[0] + ran[1]).toBe(1)
    } finally {
      await other.close()
    }
  })
})
