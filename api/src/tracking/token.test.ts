import { randomUUID } from 'node:crypto'
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
})
