import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext, testConfig } from '../../test/helpers.ts'
import { createApp } from '../app.ts'
import type { Db } from '../db/index.ts'
import { documentedRoutes } from '../http/openapi.ts'

/**
 * The auth sweep: every route that is not public refuses a request without a token, with a
 * token that is not one of ours, and with a role weaker than the one the route documents. The
 * routes open to anyone are listed here, so a new public route is a decision someone reviews.
 */
const app = createApp({ db: {} as Db, config: testConfig() })
const routes = documentedRoutes(app)
const protectedRoutes = routes.filter((r) => r.meta.role !== 'public')

const PUBLIC = [
  'GET /*',
  // The live feed for EventSource, which cannot send a token: it takes a short-lived signed
  // ticket from POST /api/activity/stream-ticket instead (activity/routes.test.ts).
  'GET /api/activity/stream',
  'GET /api/docs',
  'GET /api/docs/init.js',
  'GET /api/docs/{asset}',
  'GET /api/health',
  'GET /api/openapi.json',
  'GET /b/{variantId}/{imageVersion}',
  'GET /t/c/{token}',
  'GET /t/h/{token}',
  'GET /t/v/{token}/{imageVersion}',
  'POST /api/auth/accept-invitation',
  'POST /api/auth/sign-in',
  'POST /api/auth/sign-up',
]

const weaker = { admin: 'marketer', marketer: 'employee', employee: undefined } as const

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const name = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`
// Authentication runs before any validation, so any well-formed id will do.
const concrete = (path: string) => path.replace(/\{\w+\}/g, () => randomUUID())

describe('auth sweep', () => {
  it('opens only the reviewed routes to anyone', () => {
    expect(
      routes
        .filter((r) => r.meta.role === 'public')
        .map(name)
        .sort(),
    ).toEqual(PUBLIC)
  })

  it.each(protectedRoutes.map((r) => [name(r), r] as const))(
    '%s refuses no token, a bad token and a weaker role',
    async (_n, route) => {
      const method = route.method.toUpperCase()
      const path = concrete(route.path)
      // A body of the right type, so a refusal cannot come from a missing body instead.
      const json = method === 'GET' ? undefined : {}
      const none = await t.request(method, path, { json })
      expect(none.status).toBe(401)
      expect(none.body).toEqual(
        apiError('unauthorized', 'Sign in first: send your token as "Authorization: Bearer …".'),
      )

      const bad = await t.request(method, path, { json, token: `sgt_${randomUUID()}` })
      expect(bad.status).toBe(401)
      expect(bad.body).toEqual(
        apiError('unauthorized', 'Your session has expired or was signed out. Please sign in again.'),
      )

      const role = route.meta.role as keyof typeof weaker
      const weak = weaker[role]
      if (!weak) return
      const refused = await t.request(method, path, { json, token: t.a[weak].token })
      expect(refused.status).toBe(403)
      expect(refused.body).toEqual(
        apiError('forbidden', `This needs the ${role} role; you are signed in as ${weak}.`),
      )
    },
  )
})
