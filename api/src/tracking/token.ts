import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * The opaque token in banner image and link URLs: the delivery id and an HMAC over it, so a
 * token names exactly one delivery and cannot be forged, altered or moved to another one.
 * Format: base64url(16 bytes delivery uuid ‖ first 16 bytes of HMAC-SHA256), 43 characters.
 */
const MAC_BYTES = 16
const PURPOSE = 'signet/delivery/v1'

function mac(secret: string, id: Buffer): Buffer {
  return createHmac('sha256', secret).update(PURPOSE).update(id).digest().subarray(0, MAC_BYTES)
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
