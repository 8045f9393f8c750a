import {
  type ComposeRecipients,
  emailIn,
  firstUnquoted,
  type HostAdapter,
  nearestContaining,
  unique,
} from '../types.ts'
import { gmailSelectors as s } from './selectors.ts'

function readField(compose: HTMLElement, selector: string, unreadable: string[]): string[] {
  const emails: string[] = []
  for (const field of compose.querySelectorAll<HTMLElement>(selector)) {
    if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
      // Older composer: the value is a comma-separated list, possibly "Name <address>".
      for (const part of field.value.split(/[,;]/)) {
        const email = emailIn(part)
        if (email) emails.push(email)
        else if (part.trim()) unreadable.push(part.trim())
      }
      continue
    }
    for (const chip of field.querySelectorAll<HTMLElement>(s.chip)) {
      const email = emailIn(chip.getAttribute(s.chipAddressAttribute))
      if (email) emails.push(email)
      else unreadable.push(chip.getAttribute(s.chipNameAttribute) ?? chip.textContent?.trim() ?? '')
    }
  }
  return unique(emails)
}

export const gmail: HostAdapter = {
  client: 'gmail',
  matches: (hostname) => hostname === 'mail.google.com',
  findComposeWindows(root) {
    const windows = new Set<HTMLElement>()
    for (const body of root.querySelectorAll<HTMLElement>(s.body)) {
      const compose = nearestContaining(body, s.anyField)
      if (compose) windows.add(compose)
    }
    return [...windows]
  },
  findBody: (compose) => compose.querySelector<HTMLElement>(s.body),
  readRecipients(compose): ComposeRecipients {
    const unreadable: string[] = []
    return {
      to: readField(compose, s.field.to, unreadable),
      cc: readField(compose, s.field.cc, unreadable),
      bcc: readField(compose, s.field.bcc, unreadable),
      unreadable: unreadable.filter(Boolean),
    }
  },
  findQuote: (body) => body.querySelector(s.quote),
  isQuoted: (node) => node.closest(s.quote) !== null,
  findClientSignature: (body) => firstUnquoted(body, s.clientSignature, gmail.isQuoted),
  findSendButton: (compose) => compose.querySelector<HTMLElement>(s.send),
}
