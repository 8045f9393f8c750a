import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BODY_FIXTURES, FIXTURES, REQUESTS, UNSEEN_BY_VIEW } from '../../test/fixtures.ts'
import { type RequestOptions, setupTestApp, type TestContext, testConfig } from '../../test/helpers.ts'
import { createApp } from '../app.ts'
import type { Db } from '../db/index.ts'
import { buildOpenApiDocument, documentedRoutes } from '../http/openapi.ts'

/**
 * The tenant sweep: every route of the OpenAPI document that names an object by a path parameter
 * is called by workspace B's admin on an object of workspace A. B must get 404 — the same answer
 * as for an id that does not exist — and A's view of the object must not change. A then makes the
 * same call and must not get 404, which proves the fixture named a real object (so the 404 came
 * from the tenant check, not from a bad id); when the route writes, A's call must change A's view,
 * which proves the view would have shown a change made by B. New routes are swept without any
 * change here; a new kind of path parameter fails until api/test/fixtures.ts knows how to create
 * its object.
 */

// The route table, read without a database: routes are declared when the app is built.
const app = createApp({ db: {} as Db, config: testConfig() })
const document = buildOpenApiDocument(app, { version: 'sweep' }) as {
  paths: Record<string, Record<string, { 'x-signet-role': string; requestBody?: unknown }>>
}
const routes = documentedRoutes(app).map((r) => ({ ...r, operation: document.paths[r.path]?.[r.method] }))
const withParams = routes.filter((r) => r.path.includes('{') && r.meta.role !== 'public')

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const paramsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!)

/** The registry entry whose key is the longest prefix of `path` ending at a parameter. */
function fixtureKey(path: string): string | undefined {
  return Object.keys(FIXTURES)
    .filter((key) => path === key || path.startsWith(`${key}/`))
    .sort((a, b) => b.length - a.length)[0]
}

function fill(path: string, params: Record<string, string>) {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!))
}

/**
 * "B's call changed nothing" proves something only if A's view would show the change: A's own
 * call of a route that writes must change it, unless the route is listed in UNSEEN_BY_VIEW.
 */
function expectOwnCallSeen(name: string, before: unknown, after: unknown) {
  if (UNSEEN_BY_VIEW[name]) {
    expect(after, `${name} changes A's view: remove it from UNSEEN_BY_VIEW`).toEqual(before)
    return
  }
  expect(
    after,
    `${name} as workspace A left A's view as it was, so the check on B's call cannot fail. Make the ` +
      "fixture's object one the route changes and its snapshot show the change (api/test/fixtures.ts), " +
      'or list the route in UNSEEN_BY_VIEW with the reason.',
  ).not.toEqual(before)
}

describe('the OpenAPI document', () => {
  it('has every route of the app', () => {
    const missing = routes.filter((r) => !r.operation).map((r) => `${r.method.toUpperCase()} ${r.path}`)
    expect(missing, 'routes without describe({ summary }) are missing from /api/openapi.json').toEqual([])
    expect(withParams.length).toBeGreaterThan(40)
  })

  it('is the document the API serves', async () => {
    const served = await t.request('GET', '/api/openapi.json')
    expect(Object.keys(served.body.paths).sort()).toEqual(Object.keys(document.paths).sort())
  })
})

describe('tenant sweep: workspace B calls every by-id route on an object of workspace A', () => {
  it.each(withParams.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s answers 404 and changes nothing',
    async (name, route) => {
      const key = fixtureKey(route.path)
      const missing = paramsOf(route.path).filter((p) => !key || !paramsOf(key).includes(p))
      if (!key || missing.length) {
        const prefix = route.path.slice(0, route.path.lastIndexOf('}') + 1)
        throw new Error(
          `${name}: the tenant sweep cannot fill {${missing.join('}, {')}}. Add '${prefix}' to FIXTURES in ` +
            'api/test/fixtures.ts: a function that creates the object in workspace A and returns its ' +
            '{ params, snapshot } (snapshot: how A sees it, e.g. viewOf(t, [GET path])).',
        )
      }
      const fixture = await FIXTURES[key]!(t)
      const path = fill(route.path, fixture.params)
      const request: RequestOptions = REQUESTS[name] ?? (route.operation?.requestBody ? { json: {} } : {})
      const before = await fixture.snapshot()

      const asB = await t.request(route.method.toUpperCase(), path, { ...request, token: t.b.admin.token })
      if (asB.status === 422) {
        throw new Error(
          `${name}: B's request was refused as invalid (${asB.text}) before the tenant check could ` +
            `run. Add a valid body for '${name}' to REQUESTS in api/test/fixtures.ts.`,
        )
      }
      expect(asB.status, `${name} as workspace B: ${asB.text}`).toBe(404)
      expect(asB.body.error.code).toBe('not_found')
      expect(await fixture.snapshot(), `${name} as workspace B changed A's object`).toEqual(before)

      const owner = fixture.ownerToken ?? t.a.admin.token
      const asA = await t.request(route.method.toUpperCase(), path, { ...request, token: owner })
      expect([404, 422], `${name} as workspace A: ${asA.text}`).not.toContain(asA.status)
      expect(asA.status, `${name} as workspace A: ${asA.text}`).toBeLessThan(500)
      if (route.method !== 'get') expectOwnCallSeen(name, before, await fixture.snapshot())
    },
  )
})

/** Whether a JSON schema (or any schema inside it) has a property named `ids`. */
function namesIds(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return false
  const node = schema as Record<string, unknown>
  if (node.properties && typeof node.properties === 'object' && 'ids' in node.properties) return true
  return Object.values(node).some((child) => namesIds(child))
}

const withBodyIds = routes.filter((r) =>
  namesIds((r.operation?.requestBody as any)?.content?.['application/json']?.schema),
)

describe('tenant sweep: workspace B names objects of workspace A in a request body', () => {
  it('covers every route whose body has `ids`', () => {
    const names = withBodyIds.map((r) => `${r.method.toUpperCase()} ${r.path}`)
    expect(names.filter((name) => !BODY_FIXTURES[name])).toEqual([])
    expect(names).toContain('POST /api/contacts/bulk')
  })

  it.each(withBodyIds.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    "%s refuses A's ids and changes nothing",
    async (name, route) => {
      const fixture = await BODY_FIXTURES[name]!(t)
      const method = route.method.toUpperCase()
      const refusal = fixture.refusal ?? { status: 404, code: 'not_found' }
      const before = await fixture.snapshot()

      const asB = await t.request(method, fixture.path ?? route.path, {
        json: fixture.json,
        token: t.b.admin.token,
      })
      expect(asB.status, `${name} as workspace B: ${asB.text}`).toBe(refusal.status)
      expect(asB.body.error).toMatchObject({ code: refusal.code, field: 'ids.0' })
      expect(await fixture.snapshot(), `${name} as workspace B changed A's object`).toEqual(before)

      const asA = await t.request(method, fixture.ownerPath ?? fixture.path ?? route.path, {
        json: fixture.json,
        token: t.a.admin.token,
      })
      expect(asA.status, `${name} as workspace A: ${asA.text}`).toBeLessThan(300)
      expectOwnCallSeen(name, before, await fixture.snapshot())
    },
  )
})
