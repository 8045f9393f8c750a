import { registrableDomain } from './domains.ts'

// Deliberately close to the WHATWG "valid email address" rule browsers use for <input type=email>.
const EMAIL =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/

export interface ParsedEmail {
  /** Lower-case address, the domain in punycode. */
  email: string
  /** The display name of `Max Mustermann <max@x.de>`, if one was given. */
  name?: string
  /** Registrable domain of the address, punycode. */
  domain: string
}

/**
 * Reads an address as people paste it: `max@x.de`, `MAX@X.DE`, `Max Mustermann <max@x.de>`,
 * `"Mustermann, Max" <max@x.de>`, `mailto:max@x.de`. Undefined when it is not a deliverable address.
 */
export function parseEmail(input: string): ParsedEmail | undefined {
  let value = input.trim()
  let name: string | undefined
  const angle = /^(.*)<([^<>]+)>$/s.exec(value)
  if (angle) {
    name =
      angle[1]!
        .trim()
        .replace(/^"(.*)"$/s, '$1')
        .trim() || undefined
    value = angle[2]!.trim()
  }
  value = value.replace(/^mailto:/i, '').toLowerCase()
  const at = value.lastIndexOf('@')
  if (at <= 0 || value.length > 254) return undefined
  let host = value.slice(at + 1)
  try {
    host = new URL(`http://${host}`).hostname // IDN → punycode
  } catch {
    return undefined
  }
  const email = `${value.slice(0, at)}@${host}`
  if (!EMAIL.test(email)) return undefined
  // RFC 5322's dot-atom, stricter than the browsers' rule: no dot at either end of the local part, no two in a row.
  if (/^\.|\.\.|\.@/.test(email.slice(0, at + 1))) return undefined
  const domain = registrableDomain(host)
  if (!domain) return undefined
  return name ? { email, name, domain } : { email, domain }
}

const GMAIL = new Set(['gmail.com', 'googlemail.com'])

/**
 * The form two addresses of one mailbox share, for finding duplicates: lower-case, `+tags`
 * dropped; for Gmail also dots ignored and googlemail.com = gmail.com.
 * `Max.Mustermann+news@googlemail.com` → `maxmustermann@gmail.com`.
 */
export function canonicalEmail(email: string): string {
  const value = email.trim().toLowerCase()
  const at = value.lastIndexOf('@')
  if (at < 0) return value
  let local = value.slice(0, at)
  let host = value.slice(at + 1)
  const plus = local.indexOf('+')
  if (plus > 0) local = local.slice(0, plus)
  if (GMAIL.has(host)) {
    local = local.replaceAll('.', '')
    host = 'gmail.com'
  }
  return `${local}@${host}`
}
