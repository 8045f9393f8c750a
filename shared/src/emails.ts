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
  const parsedHost = hostOf(value.slice(at + 1))
  if (!parsedHost) return undefined
  const { host, domain } = parsedHost
  const email = `${value.slice(0, at)}@${host}`
  if (!EMAIL.test(email)) return undefined
  // RFC 5322's dot-atom, stricter than the browsers' rule: no dot at either end of the local part, no two in a row.
  if (/^\.|\.\.|\.@/.test(email.slice(0, at + 1))) return undefined
  if (!domain) return undefined
  return name ? { email, name, domain } : { email, domain }
}

/**
 * The host of an address in punycode and its registrable domain. Both depend on the host alone,
 * and a list of a million contacts has a few thousand hosts, so the answers are kept (bounded):
 * URL parsing and the public-suffix lookup are most of what reading an address costs.
 */
const hosts = new Map<string, { host: string; domain: string | undefined } | null>()
const MAX_HOSTS = 20_000

function hostOf(raw: string) {
  let known = hosts.get(raw)
  if (known !== undefined) return known
  try {
    const host = new URL(`http://${raw}`).hostname // IDN → punycode
    known = { host, domain: registrableDomain(host) }
  } catch {
    known = null
  }
  if (hosts.size >= MAX_HOSTS) hosts.clear()
  hosts.set(raw, known)
  return known
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
