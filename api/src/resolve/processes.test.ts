import type { ChildProcess } from 'node:child_process'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { startApi, stopApis } from '../../test/processes.ts'
import type { TargetGroupId } from '../db/schema.ts'
import { fixtures } from './fixture-queries.ts'

/**
 * Two real API processes (`api/src/main.ts`) over one PostgreSQL database, as behind a load
 * balancer. Each keeps campaigns, targets, settings and sessions in memory and hears the other's
 * changes by LISTEN/NOTIFY; a change made through one is served by the other within a second.
 * PostgreSQL only: a PGlite data folder belongs to one process.
 */
const postgres = Boolean(process.env.DATABASE_URL)

describe.skipIf(!postgres)('resolve in two API processes on one PostgreSQL database', () => {
  let t: TestContext
  let url: string
  const apis: { url: string; child: ChildProcess }[] = []
  let groupId: TargetGroupId
  let campaignId: string

  const call = async (api: number, method: string, path: string, token: string, json?: unknown) => {
    const res = await fetch(`${apis[api]!.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    })
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as any) }
  }
  const resolve = async (api: number, to: string, token = t.a.employee.token) => {
    const res = await call(api, 'POST', '/api/resolve', token, { to: [to] })
    return res.status === 200 ? (res.body.campaign?.name ?? null) : res.status
  }
  /** Milliseconds until `api` answers `expected`, polling; fails after a second. */
  const seenWithin = async (api: number, expected: unknown, read: (api: number) => Promise<unknown>) => {
    const started = Date.now()
    for (;;) {
      const value = await read(api)
      if (JSON.stringify(value) === JSON.stringify(expected)) return Date.now() - started
      if (Date.now() - started > 1000) expect(value).toEqual(expected)
      await new Promise((r) => setTimeout(r, 10))
    }
  }

  beforeAll(async () => {
    t = await setupTestApp()
    const { rows } = await sql<{ db: string }>`select current_database() as db`.execute(t.db)
    const u = new URL(process.env.DATABASE_URL!)
    u.pathname = `/${rows[0]!.db}`
    url = u.toString()
    const f = fixtures(t, t.a)
    groupId = await f.group('Key accounts', { accounts: [await f.account('acme.com')] })
    campaignId = await f.campaign('Webinar', { groups: [groupId] })
    await f.campaign('Brand for everyone')
    apis.push(...(await Promise.all([startApi(url, t.config.secret), startApi(url, t.config.secret)])))
    // Both processes warm: every cache holds the state before the changes below.
    for (const api of [0, 1]) {
      expect(await resolve(api, 'max@acme.com')).toBe('Webinar')
      expect(await resolve(api, 'eve@globex.com')).toBe('Brand for everyone')
    }
  }, 120_000)

  afterAll(async () => {
    await stopApis(apis)
    await t?.close()
  })

  it('serves a campaign paused in one process from the other within a second, both ways', async () => {
    const token = t.a.marketer.token
    expect((await call(0, 'POST', `/api/campaigns/${campaignId}/pause`, token)).status).toBe(200)
    expect(await resolve(0, 'max@acme.com')).toBe('Brand for everyone')
    expect(await seenWithin(1, 'Brand for everyone', (api) => resolve(api, 'max@acme.com'))).toBeLessThan(
      1000,
    )

    expect((await call(1, 'POST', `/api/campaigns/${campaignId}/resume`, token)).status).toBe(200)
    expect(await resolve(1, 'max@acme.com')).toBe('Webinar')
    expect(await seenWithin(0, 'Webinar', (api) => resolve(api, 'max@acme.com'))).toBeLessThan(1000)
  })

  it('serves a target group member added in one process from the other within a second', async () => {
    const added = await call(0, 'POST', `/api/target-groups/${groupId}/members/add`, t.a.marketer.token, {
      domains: ['globex.com'],
    })
    expect(added.status).toBe(200)
    expect(await resolve(0, 'eve@globex.com')).toBe('Webinar')
    expect(await seenWithin(1, 'Webinar', (api) => resolve(api, 'eve@globex.com'))).toBeLessThan(1000)
  })

  it('applies a settings change made in one process in the other within a second', async () => {
    const changed = await call(1, 'PATCH', '/api/workspace', t.a.admin.token, {
      internalDomains: ['acme.com'],
    })
    expect(changed.status).toBe(200)
    // Mail to an internal domain gets no receiver-based banner: the sender-based one.
    expect(await resolve(1, 'max@acme.com')).toBe(null)
    expect(await seenWithin(0, null, (api) => resolve(api, 'max@acme.com'))).toBeLessThan(1000)
    await call(1, 'PATCH', '/api/workspace', t.a.admin.token, { internalDomains: [] })
  })

  it('refuses a token signed out in one process in the other within a second', async () => {
    const token = t.b.employee.token
    expect(await resolve(0, 'max@acme.com', token)).toBe(null)
    expect(await resolve(1, 'max@acme.com', token)).toBe(null)
    expect((await call(0, 'POST', '/api/auth/sign-out', token)).status).toBe(204)
    expect(await resolve(0, 'max@acme.com', token)).toBe(401)
    expect(await seenWithin(1, 401, (api) => resolve(api, 'max@acme.com', token))).toBeLessThan(1000)
  })
})
