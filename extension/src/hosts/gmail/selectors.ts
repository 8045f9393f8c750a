/**
 * Every selector the extension uses on mail.google.com. Stable attributes only: Gmail's own
 * attribute names and the class names Gmail writes into the sent HTML; never English aria-label or
 * tooltip text, never the minified layout classes that change with each release (one exception,
 * marked below, for the send button, which has no stable attribute).
 */
export const gmailSelectors = {
  /** The message editor. Gmail marks its editables with `g_editable="true"`. */
  body: 'div[g_editable="true"][contenteditable="true"]',
  /**
   * A recipient field, by the form field name Gmail posts. Variant 1 (2022+ composer): a row
   * wrapper `<div name="to">` holding chips. Variant 2 (older composer): hidden
   * `<input name="to">`/`<textarea name="to">` whose value is the comma-separated address list.
   */
  field: { to: '[name="to"]', cc: '[name="cc"]', bcc: '[name="bcc"]' },
  /** Anything that marks a compose window's recipient area; used to find the compose root. */
  anyField: '[name="to"], [name="cc"], [name="bcc"], input[name="subjectbox"]',
  /** A recipient chip; Gmail puts the address in `data-hovercard-id`. */
  chip: '[data-hovercard-id]',
  chipAddressAttribute: 'data-hovercard-id',
  /** A chip's display name when Gmail has no address for it (rare: invalid entries). */
  chipNameAttribute: 'data-name',
  /** Quoted text in replies and forwards (Gmail writes this class into the sent message). */
  quote: 'div.gmail_quote, blockquote.gmail_quote',
  /** Gmail's own signature (also written into the sent message). */
  clientSignature: 'div.gmail_signature, [data-smartmail="gmail_signature"]',
  /**
   * The send button. Exception: Gmail gives it no stable attribute; `.aoO` has identified it for
   * years and is what the major Gmail SDKs use. Ctrl/Cmd+Enter in the body is handled as well.
   */
  send: 'div[role="button"].aoO',
} as const
