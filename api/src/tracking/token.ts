import { createHash, hash, timingSafeEqual } from 'node:crypto'

/**
 * The opaque token in banner image and link URLs: the delivery id and an HMAC over it, so a
 * token names exactly one delivery and cannot be forged, altered or moved to another one.
 * Format: base64url(16 bytes delivery uuid ‖ first 16 bytes of HMAC-SHA256), 43 characters.
 */
const MAC_BYTES = 16
const PURPOSE = 'signet/delivery/v1'

const BLOCK = 64
const PREFIX = Buffer.from(PURPOSE)

/**
 * HMAC-SHA256(secret, PURPOSE ‖ id) as RFC 2104 defines it, over two one-shot `hash` calls with
 * the key's pads worked out once per secret: `createHmac` builds a stream object per call, which
 * cost several times the hashing on every resolve and click (`binary`, i.e. latin1: a byte per character,
 * cheaper than a `buffer` answer on Node 20). `token.test.ts` holds it to `createHmac`.
 */
let keyed: { secret: string; inner: Buffer; outer: Buffer } | undefined

function mac(secret: string, id: Buffer): Buffer {
  if (keyed?.secret !== secret) {
    let key = Buffer.from(secret)
    if (key.length > BLOCK) key = createHash('sha256').update(key).digest()
    const inner = Buffer.alloc(BLOCK + PREFIX.length + 16)
    const outer = Buffer.alloc(BLOCK + 32)
    for (let i = 0; i < BLOCK; i++) {
      inner[i] = (key[i] ?? 0) ^ 0x36
      outer[i] = (key[i] ?? 0) ^ 0x5c
    }
    PREFIX.copy(inner, BLOCK)
    keyed = { secret, inner, outer }
  }
  // Synchronous: nothing else writes the two buffers in between.
  id.copy(keyed.inner, BLOCK + PREFIX.length)
  Buffer.from(hash('sha256', keyed.inner, 'binary'), 'binary').copy(keyed.outer, BLOCK)
  return Buffer.from(hash('sha256', keyed.outer, 'binary'), 'binary').subarray(0, MAC_BYTES)
}

export function deliveryToken(secret: string, deliveryId: string): string {
  const id = Buffer.from(deliveryId.replaceAll('-', ''), 'hex')
  if (id.length !== 16) throw new Error(`Not a uuid: ${deliveryId}`)
  return Buffer.concat([id, mac(secret, id)]).toString('base64url')
}

/** The delivery id the token was made for, or undefined for anything forged, altered or truncated. */
export function verifyDeliveryToken(secret: string, token: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return undefined
  const raw = Buffer.from(token, 'base64url')
  // Only the canonical spelling: the last character has spare bits that decode to the same bytes.
  if (raw.length !== 16 + MAC_BYTES || raw.toString('base64url') !== token) return undefined
  const id = raw.subarray(0, 16)
  if (!timingSafeEqual(raw.subarray(16), mac(secret, id))) return undefined
  const hex = id.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * Where a tracked banner points. The image URL carries a version of the banner image, so a
 * changed banner gets a new URL and mail clients' caches do not show the old one.
 */
export function trackingUrls(publicBaseUrl: string, token: string, imageVersion: string) {
  return {
    imageUrl: `${publicBaseUrl}/t/v/${token}/${imageVersion}`,
    clickUrl: `${publicBaseUrl}/t/c/${token}`,
    /** A link no person sees; only scanners that follow every link request it. */
    honeypotUrl: `${publicBaseUrl}/t/h/${token}`,
  }
}

/** An untracked banner (opted-out recipient, tracking off): the image by variant, no delivery. */
export function untrackedImageUrl(publicBaseUrl: string, variantId: string, imageVersion: string) {
  return `${publicBaseUrl}/b/${variantId}/${imageVersion}`
}
