import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext } from '../../test/helpers.ts'
import { gifHeader, jpegHeader, pngImage, webpHeader } from './test-images.ts'
import { MAX_BANNER_BYTES } from './variant-routes.ts'

let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const base = {
  name: 'Webinar Q4',
  destinationUrl: 'https://acme.example/webinar',
  altText: 'Join our webinar',
}

async function createCampaign(token: string, json: Record<string, unknown> = {}) {
  const res = await t.request('POST', '/api/campaigns', { token, json: { ...base, ...json } })
  expect(res.status).toBe(201)
  return res.body
}

function upload(
  token: string,
  campaignId: string,
  variantId: string,
  body: Buffer,
  contentType = 'image/png',
) {
  return t.request('PUT', `/api/campaigns/${campaignId}/variants/${variantId}/image`, {
    token,
    body: new Uint8Array(body),
    headers: { 'content-type': contentType },
  })
}

describe('POST /api/campaigns', () => {
  it('creates a sender-based draft with a first variant', async () => {
    const c = await createCampaign(t.a.marketer.token, {
      utm: { source: 'signature', medium: 'email', campaign: 'q4 webinar' },
    })
    expect(c).toMatchObject({
      name: 'Webinar Q4',
      kind: 'sender',
      senderScope: 'all',
      state: 'draft',
      priority: 0,
      landingUrl:
        'https://acme.example/webinar?utm_source=signature&utm_medium=email&utm_campaign=q4+webinar',
      variants: [{ name: 'A', altText: 'Join our webinar', weight: 1, image: null }],
    })
  })

  it.each([
    [
      { destinationUrl: 'javascript:alert(1)' },
      'destinationUrl',
      'Enter a web address starting with http:// or https://.',
    ],
    [
      { destinationUrl: '//evil.example' },
      'destinationUrl',
      'Enter a web address starting with http:// or https://.',
    ],
    [
      { destinationUrl: 'ftp://acme.example' },
      'destinationUrl',
      'Enter a web address starting with http:// or https://.',
    ],
    [
      { destinationUrl: 'data:text/html,x' },
      'destinationUrl',
      'Enter a web address starting with http:// or https://.',
    ],
    [
      { destinationUrl: 'https:\\\\evil.example' },
      'destinationUrl',
      'Enter a web address starting with http:// or https://.',
    ],
    [{ altText: '' }, 'altText', 'Describe the banner in the alt text.'],
    [{ altText: undefined }, 'altText', 'This field is required.'],
    [{ name: ' ' }, 'name', 'Give the campaign a name.'],
    [{ kind: 'both' }, 'kind', 'Choose one of: receiver, sender.'],
    [{ priority: 1.5 }, 'priority', 'Expected a whole number, got a number.'],
    [{ startsAt: 'tomorrow' }, 'startsAt', 'Enter a date and time such as 2026-12-01T09:00:00Z.'],
    [
      { startsAt: '2026-12-02T00:00:00Z', endsAt: '2026-12-01T00:00:00Z' },
      'endsAt',
      'The end must be after the start.',
    ],
    [{ utm: { source: 'x', evil: 'y' } }, 'utm.evil', 'Unknown field: evil.'],
    [
      { targetGroupIds: ['00000000-0000-4000-8000-000000000000'] },
      'targetGroupIds.0',
      'There is no such target group.',
    ],
    [{ departmentIds: ['nope'] }, 'departmentIds.0', 'This is not a valid id.'],
  ])('answers 422 for %j and creates nothing', async (json, field, message) => {
    const before = await t.request('GET', '/api/campaigns', { token: t.a.marketer.token })
    const res = await t.request('POST', '/api/campaigns', {
      token: t.a.marketer.token,
      json: { ...base, ...json },
    })
    expect(res.status).toBe(422)
    expect(res.body).toEqual(apiError('validation_failed', message, field))
    expect((await t.request('GET', '/api/campaigns', { token: t.a.marketer.token })).body).toEqual(
      before.body,
    )
  })

  it('refuses to publish without a banner', async () => {
    const res = await t.request('POST', '/api/campaigns', {
      token: t.a.marketer.token,
      json: { ...base, draft: false },
    })
    expect(res.status).toBe(409)
    expect(res.body).toEqual(
      apiError('conflict', 'Upload a banner image before publishing the campaign.', 'draft'),
    )
  })

  it('refuses a target group of another workspace', async () => {
    const [group] = await t.db
      .insertInto('target_group')
      .values({ workspace_id: t.b.id, name: 'B group', kind: 'account' })
      .returning('id')
      .execute()
    const res = await t.request('POST', '/api/campaigns', {
      token: t.a.marketer.token,
      json: { ...base, kind: 'receiver', targetGroupIds: [group!.id] },
    })
    expect(res.body).toEqual(
      apiError('validation_failed', 'There is no such target group.', 'targetGroupIds.0'),
    )
  })

  it('is not for employees', async () => {
    const res = await t.request('POST', '/api/campaigns', { token: t.a.employee.token, json: base })
    expect(res.status).toBe(403)
  })
})

describe('banner upload', () => {
  it.each([
    ['PNG', pngImage(600, 100), 'image/png', 600, 100],
    ['JPEG sent as application/octet-stream', jpegHeader(728, 90), 'image/jpeg', 728, 90],
    ['GIF', gifHeader(300, 50), 'image/gif', 300, 50],
    ['WebP', webpHeader(640, 120), 'image/webp', 640, 120],
  ])('accepts a %s and records its type and size', async (_n, bytes, contentType, width, height) => {
    const c = await createCampaign(t.a.marketer.token)
    const res = await upload(t.a.marketer.token, c.id, c.variants[0].id, bytes, 'application/octet-stream')
    expect(res.status).toBe(200)
    expect(res.body.variants[0].image).toMatchObject({ contentType, width, height, byteSize: bytes.length })
  })

  it('gives a changed banner a new version', async () => {
    const c = await createCampaign(t.a.marketer.token)
    const first = await upload(t.a.marketer.token, c.id, c.variants[0].id, pngImage(600, 100, 1))
    const second = await upload(t.a.marketer.token, c.id, c.variants[0].id, pngImage(600, 100, 2))
    expect(first.body.variants[0].image.version).toMatch(/^[0-9a-f]{16}$/)
    expect(second.body.variants[0].image.version).not.toBe(first.body.variants[0].image.version)
  })

  it('refuses an SVG named as a PNG with 415', async () => {
    const c = await createCampaign(t.a.marketer.token)
    const res = await upload(
      t.a.marketer.token,
      c.id,
      c.variants[0].id,
      Buffer.from('<svg onload="alert(1)"/>'),
      'image/png',
    )
    expect(res.status).toBe(415)
    expect(res.body).toEqual(
      apiError('unsupported_media_type', 'Upload a PNG, JPEG, GIF or WebP image.', 'body'),
    )
    expect(
      (await t.request('GET', `/api/campaigns/${c.id}`, { token: t.a.marketer.token })).body.variants[0]
        .image,
    ).toBeNull()
  })

  it('refuses an image over 2 MiB with 413', async () => {
    const c = await createCampaign(t.a.marketer.token)
    const big = Buffer.concat([pngImage(600, 100), Buffer.alloc(MAX_BANNER_BYTES)])
    const res = await upload(t.a.marketer.token, c.id, c.variants[0].id, big)
    expect(res.status).toBe(413)
    expect(res.body).toEqual(apiError('payload_too_large', 'The banner image is larger than 2 MiB.', 'body'))
  })

  it('publishes once a banner is there; state follows schedule and pause', async () => {
    const c = await createCampaign(t.a.marketer.token)
    await upload(t.a.marketer.token, c.id, c.variants[0].id, pngImage(600, 100))
    const patch = (json: unknown) =>
      t.request('PATCH', `/api/campaigns/${c.id}`, { token: t.a.marketer.token, json })
    expect((await patch({ draft: false })).body.state).toBe('active')
    expect((await patch({ startsAt: '2099-01-01T00:00:00Z' })).body.state).toBe('scheduled')
    expect(
      (await patch({ startsAt: '2020-01-01T00:00:00Z', endsAt: '2021-01-01T00:00:00Z' })).body.state,
    ).toBe('ended')
    expect((await patch({ endsAt: null })).body.state).toBe('active')
    const paused = await t.request('POST', `/api/campaigns/${c.id}/pause`, { token: t.a.marketer.token })
    expect(paused.body).toMatchObject({ state: 'paused', pausedAt: expect.any(String) })
    const listed = await t.request('GET', '/api/campaigns?state=paused', { token: t.a.marketer.token })
    expect(listed.body.map((x: { id: string }) => x.id)).toEqual([c.id])
    const resumed = await t.request('POST', `/api/campaigns/${c.id}/resume`, { token: t.a.marketer.token })
    expect(resumed.body).toMatchObject({ state: 'active', pausedAt: null })
  })
})

describe('variants', () => {
  it('adds, weights and deletes a variant, keeping at least one', async () => {
    const c = await createCampaign(t.a.marketer.token)
    const added = await t.request('POST', `/api/campaigns/${c.id}/variants`, {
      token: t.a.marketer.token,
      json: { name: 'B', altText: 'Webinar, version B', weight: 3 },
    })
    expect(added.status).toBe(201)
    expect(added.body.variants.map((v: { name: string; weight: number }) => [v.name, v.weight])).toEqual([
      ['A', 1],
      ['B', 3],
    ])
    const b = added.body.variants[1].id
    const dup = await t.request('POST', `/api/campaigns/${c.id}/variants`, {
      token: t.a.marketer.token,
      json: { name: 'B', altText: 'x' },
    })
    expect(dup.body).toEqual(
      apiError('conflict', 'This campaign already has a variant with this name.', 'name'),
    )
    const bad = await t.request('PATCH', `/api/campaigns/${c.id}/variants/${b}`, {
      token: t.a.marketer.token,
      json: { weight: 1001 },
    })
    expect(bad.body).toEqual(apiError('validation_failed', 'Must be at most 1000.', 'weight'))
    const removed = await t.request('DELETE', `/api/campaigns/${c.id}/variants/${b}`, {
      token: t.a.marketer.token,
    })
    expect(removed.body.variants).toHaveLength(1)
    const last = await t.request('DELETE', `/api/campaigns/${c.id}/variants/${c.variants[0].id}`, {
      token: t.a.marketer.token,
    })
    expect(last.body).toEqual(apiError('conflict', 'A campaign needs at least one banner variant.'))
  })
})

describe('isolation between workspaces', () => {
  it.each([
    ['GET', '', undefined],
    ['PATCH', '', { name: 'Hacked' }],
    ['DELETE', '', undefined],
    ['POST', '/pause', undefined],
    ['POST', '/variants', { name: 'X', altText: 'x' }],
  ])(
    '%s /api/campaigns/:id%s of another workspace answers 404 and changes nothing',
    async (method, suffix, json) => {
      const c = await createCampaign(t.a.marketer.token)
      const res = await t.request(method, `/api/campaigns/${c.id}${suffix}`, {
        token: t.b.marketer.token,
        json,
      })
      expect(res.status).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'Campaign not found.'))
      const still = await t.request('GET', `/api/campaigns/${c.id}`, { token: t.a.marketer.token })
      expect(still.body).toMatchObject({ name: base.name, state: 'draft', variants: [{ name: 'A' }] })
    },
  )

  it('does not let another workspace upload or change a variant', async () => {
    const c = await createCampaign(t.a.marketer.token)
    const v = c.variants[0].id
    expect((await upload(t.b.marketer.token, c.id, v, pngImage(10, 10))).status).toBe(404)
    const patch = await t.request('PATCH', `/api/campaigns/${c.id}/variants/${v}`, {
      token: t.b.marketer.token,
      json: { altText: 'Hacked' },
    })
    expect(patch.status).toBe(404)
    const still = await t.request('GET', `/api/campaigns/${c.id}`, { token: t.a.marketer.token })
    expect(still.body.variants[0]).toMatchObject({ altText: base.altText, image: null })
  })

  it('does not list another workspace’s campaigns', async () => {
    const c = await createCampaign(t.a.marketer.token, { name: 'Only A' })
    const res = await t.request('GET', '/api/campaigns', { token: t.b.marketer.token })
    expect(res.body.map((x: { id: string }) => x.id)).not.toContain(c.id)
  })
})
