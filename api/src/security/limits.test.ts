import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import { pngImage } from '../campaigns/test-images.ts'

/** Limits on size, type and rate: every refusal is a 413, 415 or 429 in the one error shape. */
let t: TestContext
beforeAll(async () => {
  t = await setupTestApp({ rateLimitApi: 5, rateLimitTracking: 3 })
})
afterAll(() => t.close())

describe('request rate limits', () => {
  it('answers 429 with Retry-After once a token has made its requests of the minute, other tokens unaffected', async () => {
    const token = t.a.marketer.token
    for (let i = 0; i < 5; i++) expect((await t.request('GET', '/api/accounts', { token })).status).toBe(200)
    const refused = await t.request('GET', '/api/accounts', { token })
    expect(refused.status).toBe(429)
    expect(refused.body).toEqual(
      apiError(
        'rate_limited',
        /^Too many requests with this token\. Please wait \d+ seconds? and try again\.$/,
      ),
    )
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect((await t.request('GET', '/api/accounts', { token: t.b.marketer.token })).status).toBe(200)
  })

  it('limits tracking requests per client network (/24), before the link is even read', async () => {
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } })
    for (const address of ['198.51.100.7', '198.51.100.8', '198.51.100.9']) {
      expect((await t.request('GET', '/t/c/not-a-token', from(address))).status).toBe(404)
    }
    const refused = await t.request('GET', '/t/v/not-a-token/v1', from('198.51.100.200'))
    expect(refused.status).toBe(429)
    expect(refused.body).toEqual(apiError('rate_limited', /^Too many requests from your network\./))
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await t.request('GET', '/t/c/not-a-token', from('203.0.113.5'))).status).toBe(404)
  })

  it('keeps locking sign-in after repeated failures for one email', async () => {
    const json = { email: t.b.admin.email, password: 'not the password' }
    const answers: number[] = []
    for (let i = 0; i < 6; i++) answers.push((await t.request('POST', '/api/auth/sign-in', { json })).status)
    expect(answers).toEqual([401, 401, 401, 401, 401, 429])
  })
})

describe('size and type limits', () => {
  const oneMiB = 1024 * 1024
  it.each([
    [
      'a JSON body over 1 MiB',
      'POST',
      '/api/contacts',
      { json: { email: 'big@acme.com', address: 'x'.repeat(oneMiB) } },
      413,
      apiError('payload_too_large', 'The request body is larger than 1 MiB.', 'body'),
    ],
    [
      'a CSV upload sent as an image',
      'POST',
      '/api/imports?kind=contacts',
      { body: 'email\na@b.com\n', headers: { 'content-type': 'image/png' } },
      415,
      apiError(
        'unsupported_media_type',
        'Send the CSV file as the request body (Content-Type: text/csv) or as multipart form field "file".',
        'file',
      ),
    ],
    [
      'a binary file sent as CSV',
      'POST',
      '/api/imports?kind=contacts',
      { body: new Uint8Array(pngImage(600, 100)), headers: { 'content-type': 'text/csv' } },
      415,
      apiError('unsupported_media_type', 'This file is not a CSV text file.', 'file'),
    ],
    [
      'a multipart upload over 32 MiB',
      'POST',
      '/api/imports?kind=contacts',
      {
        body: 'x',
        headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(33 * oneMiB) },
      },
      413,
      apiError(
        'payload_too_large',
        'Upload files over 32 MiB as the raw request body (Content-Type: text/csv).',
        'file',
      ),
    ],
  ])('refuses %s', async (_name, method, path, options, status, body) => {
    const res = await t.request(method, path, { ...options, token: t.a.admin.token })
    expect(res.status).toBe(status)
    expect(res.body).toEqual(body)
  })
})
