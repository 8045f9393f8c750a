/// <reference path="./punycode.d.ts" />
import punycode from 'punycode/punycode.js'
import { parse } from 'tldts'
import { isFreeMailDomain } from './free-mail.ts'

/**
 * The registrable domain (public suffix + one label, punycode) of a domain, URL or email address:
 * `https://www.Acme.co.uk/about`, `mail.acme.co.uk`, `max@acme.co.uk` → `acme.co.uk`. Undefined for
 * IP addresses, single labels (`localhost`) and anything that is not a domain on the ICANN list.
 */
export function registrableDomain(input: string): string | undefined {
  let value = input
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '')
  if (!value || /\s/.test(value)) return undefined
  const at = value.lastIndexOf('@')
  if (at >= 0 && !value.includes('/')) value = value.slice(at + 1)
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(value)) value = `http://${value}`
  let hostname: string
  try {
    const url = new URL(value)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    hostname = url.hostname // WHATWG URL gives punycode for IDN hosts
  } catch {
    return undefined
  }
  const parsed = parse(hostname, { allowPrivateDomains: false })
  if (parsed.isIp || !parsed.isIcann || !parsed.domain) return undefined
  return parsed.domain
}

/** The Unicode form of a stored punycode domain, for display: `xn--bcher-kva.de` → `bücher.de`. */
export function displayDomain(domain: string): string {
  try {
    return punycode.toUnicode(domain)
  } catch {
    return domain
  }
}

export type AccountDomainResult =
  | { ok: true; domain: string }
  | { ok: false; reason: 'invalid' | 'free_mail'; message: string }

/**
 * The domain an account is stored under: the registrable domain of whatever the marketer typed,
 * refusing free-mail and ISP domains, which never identify one company.
 */
export function accountDomain(input: string): AccountDomainResult {
  const domain = registrableDomain(input)
  if (!domain) {
    return {
      ok: false,
      reason: 'invalid',
      message: 'Enter a company domain such as acme.com, or its web address.',
    }
  }
  if (isFreeMailDomain(domain)) {
    return {
      ok: false,
      reason: 'free_mail',
      message: `${displayDomain(domain)} is a free-mail or internet-provider domain and cannot be an account.`,
    }
  }
  return { ok: true, domain }
}
