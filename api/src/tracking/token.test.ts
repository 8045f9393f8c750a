import { createHmac, randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { deliveryToken, verifyDeliveryToken } from './token.ts'

const secret = 'a-secret-of-at-least-thirty-two-characters'

describe('delivery tokens', () => {
  it('round-trips a delivery id', () => {
    const id = randomUUID()
    const token = deliveryToken(secret, id)
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(verifyDeliveryToken(secret, token)).toBe(id)
  })

  it('refuses a token signed with another secret', () => {
    const token = deliveryToken('another-secret-of-at-least-thirty-two-chars', randomUUID())
    expect(verifyDeliveryToken(secret, token)).toBeUndefined()
  })

  it('refuses a token whose id was changed', () => {
    const token = deliveryToken(secret, randomUUID())
    const raw = Buffer.from(token, 'base64url')
    raw[0] = raw[0]! ^ 1
    expect(verifyDeliveryToken(secret, raw.toString('base64url'))).toBeUndefined()
  })

  it.each([
    ['truncated', (t: string) => t.slice(0, 42)],
    ['extended', (t: string) => `${t}A`],
    ['last char changed', (t: string) => t.slice(0, 42) + (t.endsWith('A') ? 'B' : 'A')],
    ['empty', () => ''],
    ['url-encoded junk', () => '%2F%2Fevil.com'],
  ])('refuses a %s token', (_name, change) => {
    const token = deliveryToken(secret, randomUUID())
    expect(verifyDeliveryToken(secret, change(token))).toBeUndefined()
  })

  it.each([
    ['a short secret', 'short'],
    ['a secret of one block', 'x'.repeat(64)],
    ['a secret longer than a block', 'a-secret-longer-than-sixty-four-bytes-'.repeat(3)],
    ['a non-ASCII secret', 'geheimnis-äöü-秘密-of-some-length'],
    ['the test secret', secret],
  ])('signs with HMAC-SHA256 over purpose and id, for %s', (_name, key) => {
    for (let i = 0; i < 50; i++) {
      const id = randomUUID()
      const bytes = Buffer.from(id.replaceAll('-', ''), 'hex')
      const mac = createHmac('sha256', key).update('signet/delivery/v1').update(bytes).digest()
      const expected = Buffer.concat([bytes, mac.subarray(0, 16)]).toString('base64url')
      expect(deliveryToken(key, id)).toBe(expected)
      expect(verifyDeliveryToken(key, expected)).toBe(id)
    }
  })
})
