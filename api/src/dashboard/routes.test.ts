import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Hono } from 'hono'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import { onNotFound } from '../http/errors.ts'
import { serveDashboard } from './routes.ts'

const INDEX = '<!doctype html><title>Signet</title><div id="app"></div>'
const SCRIPT = 'console.log("signet")'

let dir: string
let app: Hono
let t: TestContext

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signet-dist-'))
  await mkdir(join(dir, 'assets'))
  await writeFile(join(dir, 'index.html'), INDEX)
  await writeFile(join(dir, 'assets', 'index-abc123.js'), SCRIPT)
  await writeFile(join(dir, 'assets', 'index-abc123.css'), 'body{}')
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
  await writeFile(join(tmpdir(), 'signet-secret.txt'), 'secret')
  app = new Hono()
  app.route('/', serveDashboard(dir))
  app.notFound(onNotFound)
  t = await setupTestApp()
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await t.close()
})

describe('GET / (dashboard files)', () => {
  it('serves index.html at / with no-cache', async () => {
    const res = await app.request('/')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(res.headers.get('cache-control')).toBe('no-cache')
    expect(await res.text()).toBe(INDEX)
  })

  it.each([
    [
      '/assets/index-abc123.js',
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable',
      SCRIPT,
    ],
    ['/assets/index-abc123.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable', 'body{}'],
    ['/favicon.svg', 'image/svg+xml; charset=utf-8', 'no-cache', '<svg xmlns="http://www.w3.org/2000/svg"/>'],
  ])('serves %s as %s with cache-control %s', async (path, type, cache, body) => {
    const res = await app.request(path)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe(type)
    expect(res.headers.get('cache-control')).toBe(cache)
    expect(await res.text()).toBe(body)
  })

  it.each(['/users', '/settings/workspace', '/index.html'])(
    'falls back to index.html for %s',
    async (path) => {
      const res = await app.request(path)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await res.text()).toBe(INDEX)
    },
  )

  it.each([
    ['a missing script', '/assets/gone-000.js'],
    ['an API path', '/api/nothing-here'],
    ['a tracking path no route takes', '/t/c/data:text/html,<script>alert(1)</script>'],
    ['an untracked banner path no route takes', '/b/x/y/z'],
    ['a path escaping the folder', '/../signet-secret.txt'],
    ['an encoded escape', '/%2e%2e/signet-secret.txt'],
  ])('answers 404 JSON for %s', async (_what, path) => {
    const res = await app.request(path)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual(apiError('not_found', /^There is no GET /))
  })

  it('says how to build the dashboard when it has not been built', async () => {
    const empty = new Hono()
    empty.route('/', serveDashboard(join(dir, 'missing')))
    const res = await empty.request('/users')
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('npm run build:dashboard')
  })
})

describe('the dashboard inside the API', () => {
  it('leaves unknown /api paths to the JSON 404', async () => {
    const res = await t.request('GET', '/api/does-not-exist')
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'There is no GET /api/does-not-exist.'))
  })

  it('still answers API routes', async () => {
    const res = await t.request('GET', '/api/auth/me', { token: t.a.admin.token })
    expect(res.status).toBe(200)
    expect(res.body.user.email).toBe(t.a.admin.email)
  })

  it('is documented as a public route', async () => {
    const res = await t.request('GET', '/api/openapi.json')
    expect(res.body.paths['/*'].get['x-signet-role']).toBe('public')
  })
})
