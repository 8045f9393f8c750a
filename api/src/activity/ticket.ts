import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * A browser's EventSource cannot send an Authorization header, and a bearer token in a URL
 * would end up in logs. So an authenticated POST hands out a ticket: workspace, user and
 * expiry, signed with the server secret, good for opening the stream within a minute. The
 * stream itself re-checks the user and ends after a while, so a disabled user stops receiving.
 */
export const TICKET_TTL_MS = 60_000

function sign(secret: string, payload: string) {
  return createHmac('sha256', `${secret}\nactivity-stream`).update(payload).digest('base64url')
}

export function issueTicket(secret: string, workspaceId: string, userId: string, now = Date.now()) {
  const expires = now + TICKET_TTL_MS
  const payload = Buffer.from(JSON.stringify([workspaceId, userId, expires])).toString('base64url')
  return { ticket: `${payload}.${sign(secret, payload)}`, expiresAt: new Date(expires) }
}

export function verifyTicket(secret: string, ticket: string, now = Date.now()) {
  const [payload = '', signature = ''] = ticket.split('.')
  const expected = Buffer.from(sign(secret, payload))
  const given = Buffer.from(signature)
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined
  try {
    const [workspaceId, userId, expires] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
    if (typeof workspaceId !== 'string' || typeof userId !== 'string' || typeof expires !== 'number')
      return undefined
    if (expires < now) return undefined
    return { workspaceId, userId }
  } catch {
    return undefined
  }
}
