import type { HostAdapter } from '../hosts/types.ts'
import { sanitizeSignature } from './sanitize.ts'

/** Marks our block in the body so it is found, replaced and removed — never duplicated. */
export const BLOCK_ATTRIBUTE = 'data-signet-signature'
/** Some clients drop data attributes when a draft is saved and reopened; the class survives more often. */
export const BLOCK_CLASS = 'signet-signature'
/** The API may mark the banner inside the signature so "leave the banner out" keeps the rest. */
export const BANNER_SELECTOR = '[data-signet-banner]'

const BLOCK_SELECTOR = `[${BLOCK_ATTRIBUTE}], .${BLOCK_CLASS}`

/** Our blocks in this message; a block inside quoted text belongs to an earlier message and stays. */
export function findBlocks(host: HostAdapter, body: HTMLElement): HTMLElement[] {
  return [...body.querySelectorAll<HTMLElement>(BLOCK_SELECTOR)].filter((block) => !host.isQuoted(block))
}

/** The child of `body` that contains `node`. */
function topLevel(body: HTMLElement, node: Element): Element {
  let current = node
  while (current.parentElement && current.parentElement !== body) current = current.parentElement
  return current
}

/** The client signatures our block replaced, by compose body, to put back when the block goes. */
const replaced = new WeakMap<HTMLElement, Element>()

export interface ApplyOptions {
  clientSignature: 'keep' | 'replace'
  leaveBannerOut: boolean
}

/** Tells the mail client its editor changed so it saves the draft with the block. */
function notify(body: HTMLElement) {
  body.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertReplacementText' }))
}

/**
 * Puts exactly one signature block into `body`: replaces ours if present, else goes above the
 * quoted text (or at the end). Nothing outside our block changes, except that the client's own
 * signature is taken out (and kept to put back) when the workspace replaces it. Returns the block, or null when the
 * employee left the banner out and the signature has no separately marked banner.
 */
export function applySignature(
  host: HostAdapter,
  body: HTMLElement,
  html: string,
  options: ApplyOptions,
): HTMLElement | null {
  const doc = body.ownerDocument
  const block = doc.createElement('div')
  block.setAttribute(BLOCK_ATTRIBUTE, '1')
  block.className = BLOCK_CLASS
  // The caret cannot enter the block, so nothing the employee types ends up inside it and is
  // lost when the block is replaced; the block can still be deleted as a whole.
  block.contentEditable = 'false'
  block.append(sanitizeSignature(html, doc))
  if (options.leaveBannerOut) {
    const banners = block.querySelectorAll(BANNER_SELECTOR)
    // Without a marked banner we cannot tell it from the rest: leave the whole block out.
    if (banners.length === 0) {
      removeSignature(host, body)
      return null
    }
    for (const banner of banners) banner.remove()
  }

  const [existing, ...duplicates] = findBlocks(host, body)
  for (const duplicate of duplicates) duplicate.remove()
  const clientSignature = options.clientSignature === 'replace' ? host.findClientSignature(body) : null
  if (existing) {
    existing.replaceWith(block)
    if (clientSignature) replaced.set(body, clientSignature)
    clientSignature?.remove()
  } else if (clientSignature) {
    // Take the place of the client's signature; it comes back if our block is removed.
    replaced.set(body, clientSignature)
    clientSignature.replaceWith(block)
  } else {
    const quote = host.findQuote(body)
    if (quote) body.insertBefore(block, topLevel(body, quote))
    else body.append(block)
  }
  notify(body)
  return block
}

/** Removes our block, putting back the client's signature it replaced. Returns whether anything changed. */
export function removeSignature(host: HostAdapter, body: HTMLElement): boolean {
  const [first, ...rest] = findBlocks(host, body)
  if (!first) return false
  const clientSignature = replaced.get(body)
  replaced.delete(body)
  if (clientSignature && !host.findClientSignature(body)) first.replaceWith(clientSignature)
  else first.remove()
  for (const block of rest) block.remove()
  notify(body)
  return true
}
