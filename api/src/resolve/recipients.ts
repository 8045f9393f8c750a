import { registrableDomain } from '@signet/shared'

export interface ParsedRecipient {
  /** Lower-case address, or the raw input when it is not one. */
  email: string
  field: 'to' | 'cc' | 'bcc'
  /** Registrable domain; null for invalid addresses. */
  domain: string | null
  ignored: 'internal' | 'invalid' | 'duplicate' | null
}

const EMAIL = /^[^\s@<>"(),;:]+@[^\s@<>"(),;:]+\.[^\s@<>"(),;:]+$/

/** `Max Mustermann <Max@Acme.com>` → `max@acme.com`; anything else is trimmed and lower-cased. */
export function addressOf(raw: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(raw)
  return (angle ? angle[1]! : raw)
    .trim()
    .replace(/^mailto:/i, '')
    .toLowerCase()
}

/**
 * `registrableDomain(email)` for an address that passed `EMAIL`, remembered by host: without a
 * `/` the function reads nothing but what follows the `@` (the address is already lower-case and
 * has no space), so one host always gives one answer. Parsing (URL, public suffix list) is the
 * costly part of a resolve's recipients.
 */
const domainsByHost = new Map<string, string | null>()
const MAX_HOSTS = 20_000

function domainOf(email: string): string | null {
  if (email.includes('/')) return registrableDomain(email) ?? null
  const host = email.slice(email.lastIndexOf('@') + 1)
  let domain = domainsByHost.get(host)
  if (domain === undefined) {
    domain = registrableDomain(email) ?? null
    if (domainsByHost.size >= MAX_HOSTS) domainsByHost.clear()
    domainsByHost.set(host, domain)
  }
  return domain
}

function isInternal(email: string, domain: string | null, internalDomains: string[]): boolean {
  const host = email.slice(email.lastIndexOf('@') + 1)
  return internalDomains.some((d) => d === domain || host === d || host.endsWith(`.${d}`))
}

/**
 * Rule 1 of resolve: internal and invalid recipients are ignored, and a recipient listed twice
 * counts once (at its first place, To before Cc before Bcc).
 */
export function parseRecipients(
  lists: { to: string[]; cc: string[]; bcc: string[] },
  internalDomains: string[],
): ParsedRecipient[] {
  const seen = new Set<string>()
  const result: ParsedRecipient[] = []
  for (const field of ['to', 'cc', 'bcc'] as const) {
    for (const raw of lists[field]) {
      const email = addressOf(raw)
      const address = EMAIL.test(email)
      const domain = address ? domainOf(email) : null
      let ignored: ParsedRecipient['ignored'] = null
      // An internal host needs no public suffix (`mail.ourco.internal`): it is a colleague.
      if (!domain) ignored = address && isInternal(email, null, internalDomains) ? 'internal' : 'invalid'
      else if (seen.has(email)) ignored = 'duplicate'
      else if (isInternal(email, domain, internalDomains)) ignored = 'internal'
      if (domain) seen.add(email)
      result.push({ email, field, domain, ignored })
    }
  }
  return result
}
