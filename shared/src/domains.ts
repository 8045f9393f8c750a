import { parse } from 'tldts'

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
