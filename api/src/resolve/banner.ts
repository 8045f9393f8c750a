/** Escapes a value for a double-quoted attribute or text. */
function attr(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}

export interface BannerParts {
  href: string
  imageUrl: string
  altText: string
  width: number
  height: number
  /** Only on tracked banners: a link no person sees, followed only by scanners. */
  honeypotUrl?: string
}

/**
 * The banner block: the image wrapped in its link, at most 600 px wide so it fits every
 * signature, and on tracked banners a hidden honeypot link after it.
 */
export function bannerHtml(parts: BannerParts): string {
  const width = Math.min(parts.width, 600)
  const height = Math.round((parts.height * width) / parts.width)
  const image = `<img src="${attr(parts.imageUrl)}" alt="${attr(parts.altText)}" width="${width}" height="${height}" style="display:block;border:0;max-width:100%;height:auto" />`
  const link = `<a href="${attr(parts.href)}" target="_blank" rel="noopener">${image}</a>`
  const honeypot = parts.honeypotUrl
    ? `<a href="${attr(parts.honeypotUrl)}" style="display:none;font-size:0;line-height:0;max-height:0;overflow:hidden" aria-hidden="true" tabindex="-1">&#8203;</a>`
    : ''
  return `<div data-signet-banner="1" style="margin-top:12px">${link}${honeypot}</div>`
}

// Stands for the delivery token while a tracked banner is built: `attr` leaves it (and any
// token, base64url) as it is, so the escaped HTML splits around it.
const TOKEN_SLOT = '\u0001signet-token\u0001'
const trackedBanners = new WeakMap<object, { key: string; parts: string[] }>()

/**
 * The tracked banner of a variant, exactly `bannerHtml` with the token's three URLs: built once
 * per variant (and base URL and image version), then only the token is put in.
 */
export function trackedBannerHtml(
  variant: { altText: string; width: number; height: number },
  urls: (token: string) => { clickUrl: string; imageUrl: string; honeypotUrl: string },
  key: string,
  token: string,
): string {
  let cached = trackedBanners.get(variant)
  if (cached?.key !== key) {
    const slotted = urls(TOKEN_SLOT)
    const html = bannerHtml({
      altText: variant.altText,
      width: variant.width,
      height: variant.height,
      href: slotted.clickUrl,
      imageUrl: slotted.imageUrl,
      honeypotUrl: slotted.honeypotUrl,
    })
    cached = { key, parts: html.split(TOKEN_SLOT) }
    trackedBanners.set(variant, cached)
  }
  return cached.parts.join(token)
}
