import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupTestApp, type TestContext } from '../../test/helpers.ts'
import { documentedRoutes } from './openapi.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

describe('GET /api/openapi.json', () => {
  it('documents every route of the app, with a summary and the role it needs', async () => {
    const res = await t.request('GET', '/api/openapi.json')
    expect(res.status).toBe(200)
    expect(res.body.openapi).toBe('3.1.0')
    const routes = documentedRoutes(t.app)
    expect(routes.length).toBeGreaterThan(10)
    const missing = routes
      .filter(({ method, path }) => !res.body.paths[path]?.[method])
      .map((r) => `${r.method} ${r.path}`)
    expect(missing).toEqual([])
    const withoutRole = routes.filter((r) => !r.meta.role).map((r) => `${r.method} ${r.path}`)
    expect(withoutRole).toEqual([])
  })

  it('describes request bodies, path parameters and shared components from the zod schemas', async () => {
    const { body } = await t.request('GET', '/api/openapi.json')
    const signIn = body.paths['/api/auth/sign-in'].post
    expect(signIn['x-signet-role']).toBe('public')
    expect(signIn.requestBody.content['application/json'].schema.required).toEqual(['email', 'password'])
    expect(signIn.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Session',
    })
    const patchUser = body.paths['/api/users/{id}'].patch
    expect(patchUser['x-signet-role']).toBe('admin')
    expect(patchUser.parameters).toEqual([
      expect.objectContaining({ name: 'id', in: 'path', required: true }),
    ])
    expect(patchUser.responses['404'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    })
    expect(body.components.schemas.User.properties.role.enum).toEqual(['admin', 'marketer', 'employee'])
    const refs = JSON.stringify(body).match(/#\/components\/schemas\/\w+/g) ?? []
    for (const ref of new Set(refs)) expect(body.components.schemas[ref.split('/').pop()!]).toBeDefined()
  })

  it('serves the interactive reference page and its assets', async () => {
    const page = await t.request('GET', '/api/docs')
    expect(page.status).toBe(200)
    expect(page.text).toContain('/api/docs/swagger-ui-bundle.js')
    const bundle = await t.app.request('/api/docs/swagger-ui-bundle.js')
    expect(bundle.status).toBe(200)
    expect(bundle.headers.get('content-type')).toContain('javascript')
    expect((await t.request('GET', '/api/docs/..%2F..%2Fpackage.json')).status).toBe(404)
  })
})
