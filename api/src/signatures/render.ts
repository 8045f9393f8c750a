import { sanitizeRenderedHtml } from './sanitize.ts'

/** What the placeholders of a template are filled with. */
export interface SignatureValues {
  firstName: string
  lastName: string
  jobTitle: string
  department: string
  phone: string
  mobile: string
  email: string
  photoUrl: string
  custom: Record<string, unknown>
}

/** Used when a workspace has no default template yet. */
export const FALLBACK_TEMPLATE =
  '<p style="margin:0">{{firstName}} {{lastName}}<br>{{jobTitle}}</p><p style="margin:0">{{phone}}</p>{{banner}}'

const BANNER_MARK = '\u0000banner\u0000'

/** HTML-escapes a value; braces too, so a value can never form a placeholder of its own. */
export function escapeHtml(value: string): string {
  return value.replaceAll('\u0000', '').replace(/[&<>"'`{}=]/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

/**
 * Fills the placeholders of a stored (already sanitised) template with escaped values and
 * sanitises the result once more, so a value can never smuggle a `javascript:` link into an
 * `href="{{custom.linkedin}}"`. The banner block is our own HTML and goes in last.
 */
export function renderSignature(templateHtml: string, values: SignatureValues, bannerHtml: string): string {
  let hasBanner = false
  const filled = templateHtml.replace(/\{\{\s*([A-Za-z]+(?:\.[A-Za-z0-9_]+)?)\s*\}\}/g, (_m, key: string) => {
    if (key === 'banner') {
      hasBanner = true
      return BANNER_MARK
    }
    if (key.startsWith('custom.')) {
      const value = values.custom[key.slice(7)]
      return typeof value === 'string' ? escapeHtml(value) : ''
    }
    const value = (values as unknown as Record<string, unknown>)[key]
    return typeof value === 'string' ? escapeHtml(value) : ''
  })
  const clean = sanitizeRenderedHtml(filled)
  if (!hasBanner) return bannerHtml ? `${clean}${bannerHtml}` : clean
  // The mark is plain text and survives sanitising; a NUL cannot come from escaped values.
  return clean.split(BANNER_MARK).join(bannerHtml)
}
