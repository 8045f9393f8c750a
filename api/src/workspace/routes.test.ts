import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

describe('GET /api/workspace', () => {
  it('shows the caller’s own workspace to a marketer', async () => {
    const res = await t.request('GET', '/api/workspace', { token: t.a.marketer.token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      id: t.a.id,
      name: 'Workspace A',
      internalDomains: [],
      trackingTier: 'aggregate',
    })
  })

  it('is not for employees', async () => {
    const res = await t.request('GET', '/api/workspace', { token: t.a.employee.token })
    expect(res.status).toBe(403)
  })
})

describe('PATCH /api/workspace', () => {
  it('changes name, internal domains, tracking tier and policy', async () => {
    const res = await t.request('PATCH', '/api/workspace', {
      token: t.a.admin.token,
      json: {
        name: 'Acme',
        internalDomains: ['ACME.com', 'acme.de', 'acme.com'],
        trackingTier: 'identified',
        multiRecipientPolicy: 'single_account',
      },
    })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      name: 'Acme',
      internalDomains: ['acme.com', 'acme.de'],
      trackingTier: 'identified',
      multiRecipientPolicy: 'single_account',
    })
    const b = await t.request('GET', '/api/workspace', { token: t.b.admin.token })
    expect(b.body).toMatchObject({ name: 'Workspace B', internalDomains: [], trackingTier: 'aggregate' })
  })

  it.each([
    [{ trackingTier: 'everything' }, 'trackingTier', 'Choose one of: off, aggregate, identified.'],
    [
      { multiRecipientPolicy: 'random' },
      'multiRecipientPolicy',
      'Choose one of: best_match, first_to, single_account.',
    ],
    [
      { internalDomains: ['acme.com', 'not a domain'] },
      'internalDomains.1',
      'Enter a domain such as acme.com.',
    ],
    [{ internalDomains: 'acme.com' }, 'internalDomains', 'Expected a list, got a string.'],
    [{ name: '' }, 'name', 'This field cannot be empty.'],
    [
      { disabledFeatures: ['gmail', 'teleport'] },
      'disabledFeatures.1',
      'Choose one of: gmail, outlook, insert_signature, report_sent, indicator.',
    ],
    [{ clientSignature: 'merge' }, 'clientSignature', 'Choose one of: keep, replace.'],
  ])('answers 422 for %j and changes nothing', async (json, field, message) => {
    const before = await t.request('GET', '/api/workspace', { token: t.b.admin.token })
    const res = await t.request('PATCH', '/api/workspace', { token: t.b.admin.token, json })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    const after = await t.request('GET', '/api/workspace', { token: t.b.admin.token })
    expect(after.body).toEqual(before.body)
  })

  it('switches extension features off and back on, and sets the client signature', async () => {
    const off = await t.request('PATCH', '/api/workspace', {
      token: t.a.admin.token,
      json: { disabledFeatures: ['gmail', 'report_sent', 'gmail'], clientSignature: 'replace' },
    })
    expect(off.status).toBe(200)
    expect(off.body).toMatchObject({ disabledFeatures: ['gmail', 'report_sent'], clientSignature: 'replace' })
    const b = await t.request('GET', '/api/workspace', { token: t.b.admin.token })
    expect(b.body).toMatchObject({ disabledFeatures: [], clientSignature: 'keep' })
    const on = await t.request('PATCH', '/api/workspace', {
      token: t.a.admin.token,
      json: { disabledFeatures: [] },
    })
    expect(on.body).toMatchObject({ disabledFeatures: [], clientSignature: 'replace' })
  })

  it('is for admins only', async () => {
    const res = await t.request('PATCH', '/api/workspace', {
      token: t.a.marketer.token,
      json: { name: 'Mine' },
    })
    expect(res.status).toBe(403)
    expect(res.body).toEqual(
      apiError('forbidden', 'This needs the admin role; you are signed in as marketer.'),
    )
  })
})
