import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

describe('the error contract', () => {
  it('answers an unknown route with the JSON 404', async () => {
    const res = await t.request('GET', '/api/nothing-here')
    expect(res.status).toBe(404)
    expect(res.body).toEqual(apiError('not_found', 'There is no GET /api/nothing-here.'))
  })

  it('answers malformed JSON with 400 naming the body', async () => {
    const res = await t.request('POST', '/api/auth/sign-in', {
      body: '{"email": "a@b.example", ',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(400)
    expect(res.body).toEqual(apiError('malformed_json', 'The request body is not valid JSON.', 'body'))
  })

  it('answers a body that is not JSON with 415', async () => {
    const res = await t.request('POST', '/api/auth/sign-in', {
      body: 'email=a@b.example',
      headers: { 'content-type': 'text/plain' },
    })
    expect(res.status).toBe(415)
    expect(res.body).toEqual(
      apiError(
        'unsupported_media_type',
        'Send the request body as JSON (Content-Type: application/json).',
        'body',
      ),
    )
  })

  it('answers a JSON array where an object belongs with 422', async () => {
    const res = await t.request('POST', '/api/auth/sign-in', { json: ['a'] })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', 'Expected an object, got a list.', 'body'))
  })

  it('answers a body over 1 MiB with 413', async () => {
    const res = await t.request('POST', '/api/auth/sign-in', {
      json: { email: 'a@b.example', password: 'x'.repeat(1_100_000) },
    })
    expect(res.status).toBe(413)
    expect(res.body).toEqual(apiError('payload_too_large', 'The request body is larger than 1 MiB.', 'body'))
  })
})

describe('GET /api/health', () => {
  it('reports the database reachable', async () => {
    const res = await t.request('GET', '/api/health')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ status: 'ok', database: 'ok' })
  })
})
