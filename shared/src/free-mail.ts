import data from './free-mail-domains.json' with { type: 'json' }

const freeMail = new Set<string>(data.domains)

/** Whether a registrable domain belongs to a free-mail or ISP provider (the list is data, not code). */
export function isFreeMailDomain(domain: string): boolean {
  return freeMail.has(domain.toLowerCase())
}

/** Every free-mail and ISP domain of the list (for a query that leaves them out). */
export function freeMailDomains(): string[] {
  return [...freeMail]
}
