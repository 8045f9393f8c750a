import {
  type ComposeRecipients,
  emailIn,
  firstUnquoted,
  type HostAdapter,
  nearestContaining,
  unique,
} from '../types.ts'
import { outlookSelectors as s } from './selectors.ts'

const OUTLOOK_HOSTS = new Set(['outlook.office.com', 'outlook.office365.com', 'outlook.live.com'])

function chipAddress(chip: Element): string | null {
  for (const attribute of s.chipAddressAttributes) {
    const email = emailIn(chip.getAttribute(attribute))
    if (email) return email
  }
  return emailIn(chip.textContent)
}

function readWell(well: Element, unreadable: string[]): string[] {
  const emails: string[] = []
  for (const chip of well.querySelectorAll(s.chip)) {
    const email = chipAddress(chip)
    if (email) emails.push(email)
    else unreadable.push(chip.textContent?.trim() ?? '')
  }
  return unique(emails)
}

/**
 * Outlook's quote markers are not wrappers: the earlier message follows them as siblings. A node is
 * quoted when it, an ancestor, or an earlier sibling of either (up to the editor) is a marker.
 */
function isAfterQuoteMarker(node: Element): boolean {
  for (
    let current: Element | null = node;
    current && !current.matches(s.body);
    current = current.parentElement
  ) {
    if (current.matches(s.quote)) return true
    for (let before = current.previousElementSibling; before; before = before.previousElementSibling) {
      if (before.matches(s.quote) || before.querySelector(s.quote)) return true
    }
  }
  return false
}

export const outlook: HostAdapter = {
  client: 'outlook',
  matches: (hostname) => OUTLOOK_HOSTS.has(hostname),
  findComposeWindows(root) {
    const windows = new Set<HTMLElement>()
    for (const body of root.querySelectorAll<HTMLElement>(s.body)) {
      const compose = nearestContaining(body, s.well)
      if (compose) windows.add(compose)
    }
    return [...windows]
  },
  findBody: (compose) => compose.querySelector<HTMLElement>(s.body),
  readRecipients(compose): ComposeRecipients {
    const unreadable: string[] = []
    const [to, cc, bcc] = [...compose.querySelectorAll(s.well)].map((well) => readWell(well, unreadable))
    return { to: to ?? [], cc: cc ?? [], bcc: bcc ?? [], unreadable: unreadable.filter(Boolean) }
  },
  findQuote: (body) => body.querySelector(s.quote),
  isQuoted: (node) => isAfterQuoteMarker(node),
  findClientSignature: (body) => firstUnquoted(body, s.clientSignature, outlook.isQuoted),
  findSendButton: (compose) => compose.querySelector<HTMLElement>(s.send),
}
