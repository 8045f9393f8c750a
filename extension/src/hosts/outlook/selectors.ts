/**
 * Every selector the extension uses on Outlook on the web (outlook.office.com,
 * outlook.office365.com, outlook.live.com; pop-outs are the same DOM in their own window or frame).
 * Stable attributes and structure only; never English aria-label text.
 */
export const outlookSelectors = {
  /** The message editor: the only multi-line editable textbox of a compose form. */
  body: 'div[contenteditable="true"][role="textbox"][aria-multiline="true"]',
  /**
   * Recipient wells: the single-line editable textboxes of the compose form, in page order To,
   * Cc, Bcc. Outlook names them only by translated labels, so order is the locale-proof signal.
   * A well that is hidden (Cc/Bcc not opened) is not rendered at all.
   */
  well: 'div[contenteditable="true"][role="textbox"]:not([aria-multiline="true"])',
  /** A resolved recipient inside a well: a non-editable island (persona chip). */
  chip: '[contenteditable="false"]',
  /**
   * Where a chip's address may be, in order: Outlook's persona-card target, a title of the form
   * "Name <address>", the chip text when it is the address itself. Often none: then unreadable.
   */
  chipAddressAttributes: ['data-lpc-hover-target-id', 'title'],
  /** Quoted text of a reply or forward: Outlook's own markers, also present in the sent message. */
  quote: '[id="appendonsend"], [id="divRplyFwdMsg"], [id="x_divRplyFwdMsg"]',
  /** Outlook's own signature block. */
  clientSignature: '[id="Signature"], [id="signature"]',
  /** The send button (Outlook's test id, stable across locales). Ctrl+Enter is handled as well. */
  send: 'button[data-testid="ComposeSendButton"]',
} as const
