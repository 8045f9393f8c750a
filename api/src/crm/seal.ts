import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

/**
 * CRM access tokens at rest: AES-256-GCM under a key derived from SECRET with HKDF and a purpose
 * label, so the tracking-token key and this one never coincide. The workspace id is the
 * additional authenticated data: a sealed token copied into another workspace's row does not open.
 */
const PURPOSE = 'signet/crm-token/v1'

function keyFor(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'signet', PURPOSE, 32))
}

/** `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
export function sealToken(secret: string, workspaceId: string, token: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret), iv)
  cipher.setAAD(Buffer.from(workspaceId))
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()])
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.')
}

/** The token, or an error when SECRET changed or the value was tampered with. */
export function openToken(secret: string, workspaceId: string, sealed: string): string {
  const [version, iv, tag, body] = sealed.split('.')
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unknown sealed token format.')
  const decipher = createDecipheriv('aes-256-gcm', keyFor(secret), Buffer.from(iv, 'base64url'))
  decipher.setAAD(Buffer.from(workspaceId))
  decipher.setAuthTag(Buffer.from(tag, 'base64url'))
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
}

/** What the API shows of a token: its last four characters. */
export function tokenHint(token: string): string {
  return token.slice(-4)
}
