import { ErrorBodySchema, z } from '@signet/shared'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { FIXTURES, REQUESTS } from '../../test/fixtures.ts'
import { type RequestOptions, setupTestApp, type TestContext, type TestResponse } from '../../test/helpers.ts'
import { documentedRoutes } from '../http/openapi.ts'

/**
 * Garbage through every documented route: each path parameter, each query parameter and each
 * JSON body field the route's schema names gets values no client should send (NUL characters,
 * huge numbers, impossible dates, hex and exponent numbers, wrong types), and the body comes as
 * broken or non-object JSON. Every answer must be a 2xx or a 4xx in the one error shape, never a
 * 500, and a 422 must name the field. New routes are fuzzed without any change here.
 */
let t: TestContext
beforeAll(async () => {
  t = await setupTestApp({ rateLimitApi: 1_000_000, rateLimitTracking: 1_000_000 })
})
afterAll(() => t.close())

const PARAMS = ['not-a-uuid', '00000000-0000-0000-0000-000000000000', 'x'.repeat(3000), "'", '\u0000']
const QUERIES = [
  'abc',
  '-1',
  '1.5',
  '99999999999999999999999',
  '',
  '2026-13-45',
  '9999-12-30',
  '0001-01-01',
  '9999-99-99T99:99:99Z_1',
  '\u0000',
  'a\u0000b',
  'x'.repeat(5000),
  '0x10',
  '1e2',
]
const VALUES: unknown[] = [
  null,
  -1,
  1.5,
  1e308,
  'x',
  '',
  true,
  [],
  {},
  ['x'],
  'x'.repeat(200_000),
  '2026-13-45T99:99:99Z',
  'a\u0000b',
  ['a\u0000b'],
  { 'a\u0000': 'b' },
]
const RAW_BODIES = ['{', 'null', '[]', '"x"', '1', '{"a":1}{', '"\\u0000"']

/** The property names of a schema's JSON form, unions and intersections included. */
function propertiesOf(schema: z.ZodType | undefined): string[] {
  if (!schema) return []
  const names = new Set<string>()
  const walk = (node: Record<string, unknown> | undefined) => {
    if (!node) return
    for (const name of Object.keys((node.properties as object) ?? {})) names.add(name)
    for (const key of ['anyOf', 'oneOf', 'allOf'])
      for (const part of (node[key] as Record<string, unknown>[]) ?? []) walk(part)
  }
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>)
  return [...names]
}

function fixtureKey(path: string) {
  return Object.keys(FIXTURES)
    .filter((key) => path === key || path.startsWith(`${key}/`))
    .sort((a, b) => b.length - a.length)[0]
}

const fill = (path: string, params: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? 'missing'))

/** What is wrong with an answer to garbage; undefined when it is acceptable. */
function problem(res: TestResponse): string | undefined {
  if (res.status < 400) return undefined
  if (res.status >= 500) return `${res.status} ${res.text.slice(0, 160)}`
  if (!ErrorBodySchema.safeParse(res.body).success) return `${res.status} without the error shape`
  if (res.status === 422 && !res.body.error.field) return `422 naming no field: ${res.body.error.message}`
  return undefined
}

it('answers garbage in every parameter and field with a 4xx in the error shape, never a 500', async () => {
  const problems: string[] = []
  const routes = documentedRoutes(t.app).filter((r) => r.meta.role !== 'public')
  expect(routes.length).toBeGreaterThan(80)
  for (const route of routes) {
    const method = route.method.toUpperCase()
    const name = `${method} ${route.path}`
    let params: Record<string, string> = {}
    let token = route.meta.role === 'employee' ? t.a.employee.token : t.a.admin.token
    const key = route.path.includes('{') ? fixtureKey(route.path) : undefined
    if (key) {
      const fixture = await FIXTURES[key]!(t)
      params = fixture.params
      token = fixture.ownerToken ?? token
    }
    const base: RequestOptions = REQUESTS[name] ?? (route.meta.json ? { json: {} } : {})
    const send = async (label: string, path: string, options: RequestOptions) => {
      const res = await t.request(method, path, { token, ...options })
      const wrong = problem(res)
      if (wrong) problems.push(`${name} ${label}: ${wrong}`)
    }
    for (const param of [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))
      for (const value of PARAMS)
        await send(
          `path ${param}=${JSON.stringify(value.slice(0, 12))}`,
          fill(route.path, { ...params, [param]: value }),
          base,
        )
    const path = fill(route.path, params)
    const join = path.includes('?') ? '&' : '?'
    for (const query of propertiesOf(route.meta.query))
      for (const value of QUERIES)
        await send(
          `query ${query}=${JSON.stringify(value.slice(0, 24))}`,
          `${path}${join}${encodeURIComponent(query)}=${encodeURIComponent(value)}`,
          base,
        )
    if (!route.meta.json) continue
    for (const raw of RAW_BODIES)
      await send(`body ${raw}`, path, { body: raw, headers: { 'content-type': 'application/json' } })
    const fields = (base.json ?? {}) as Record<string, unknown>
    for (const field of propertiesOf(route.meta.json))
      for (const value of VALUES)
        await send(`field ${field}=${JSON.stringify(value)?.slice(0, 24)}`, path, {
          json: { ...fields, [field]: value },
        })
  }
  expect(problems).toEqual([])
})

/** The path of the first object in `schema` that would drop unknown keys instead of refusing them. */
function looseObject(schema: z.ZodType, path = ''): string | undefined {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def
  const inner = (s: unknown, p = path) => looseObject(s as z.ZodType, p)
  switch (def.type) {
    case 'object': {
      const catchall = def.catchall as { _zod: { def: { type: string } } } | undefined
      if (catchall?._zod.def.type !== 'never') return path || '(body)'
      for (const [key, value] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        const found = inner(value, path ? `${path}.${key}` : key)
        if (found) return found
      }
      return undefined
    }
    case 'union':
      for (const option of def.options as z.ZodType[]) {
        const found = inner(option)
        if (found) return found
      }
      return undefined
    case 'array':
      return inner(def.element)
    case 'pipe':
      return inner(def.in)
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
      return inner(def.innerType)
    default:
      return undefined
  }
}

it('refuses unknown fields in every JSON body, so a misspelt field is never silently ignored', () => {
  const loose = documentedRoutes(t.app)
    .filter((r) => r.meta.json)
    .map((r) => [`${r.method.toUpperCase()} ${r.path}`, looseObject(r.meta.json!)])
    .filter(([, path]) => path !== undefined)
  expect(loose).toEqual([])
})
