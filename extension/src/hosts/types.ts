import type { Client } from '../lib/messages.ts'

export interface ComposeRecipients {
  to: string[]
  cc: string[]
  bcc: string[]
  /** Chips the page shows without an address we can read (display names only). Never guessed. */
  unreadable: string[]
}

/** Everything the content script needs to know about one mail client's page. */
export interface HostAdapter {
  client: Client
  /** Whether this adapter is for the page at this host name. */
  matches(hostname: string): boolean
  /** Every open compose window (new, reply, forward, inline or popped out) under `root`. */
  findComposeWindows(root: ParentNode): HTMLElement[]
  /** The message editor of a compose window. */
  findBody(compose: HTMLElement): HTMLElement | null
  readRecipients(compose: HTMLElement): ComposeRecipients
  /** Quoted text of a reply or forward, inside the body; the signature goes above it. */
  findQuote(body: HTMLElement): Element | null
  /** Whether `node` is part of quoted text (an earlier message, possibly with its own signatures). */
  isQuoted(node: Element): boolean
  /** The mail client's own signature for this message, inside the body but not in quoted text. */
  findClientSignature(body: HTMLElement): Element | null
  findSendButton(compose: HTMLElement): HTMLElement | null
}

const EMAIL = /[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/

/** The first email address in a string, lower-cased, or null. */
export function emailIn(text: string | null | undefined): string | null {
  const match = text ? EMAIL.exec(text) : null
  return match ? match[0].toLowerCase() : null
}

export function unique(values: string[]): string[] {
  return [...new Set(values)]
}

/** The nearest ancestor of `start` (itself included) that also contains a match for `selector`. */
export function nearestContaining(start: Element, selector: string, stop?: Element): HTMLElement | null {
  for (let node: Element | null = start; node && node !== stop; node = node.parentElement) {
    if (node.querySelector(selector)) return node as HTMLElement
  }
  return null
}

/** The first match of `selector` in `body` that is not inside quoted text. */
export function firstUnquoted(body: HTMLElement, selector: string, isQuoted: (node: Element) => boolean) {
  for (const node of body.querySelectorAll<HTMLElement>(selector)) if (!isQuoted(node)) return node
  return null
}
