import sanitizeHtml from 'sanitize-html'

/**
 * The allow-list for signature HTML: what email signatures are made of (tables, inline styles,
 * images, links, basic text formatting) and nothing that runs: no script, style or form
 * elements, no iframes, no event handlers, and only http(s), mailto and tel URLs. data: images
 * are refused too — Gmail and Outlook strip them, so they would only look fine in the preview.
 */
const styleValue = /^(?!.*(?:url\s*\(|expression\s*\(|javascript:|behavior\s*:|@import|\\)).*$/i

const styleProperties = [
  'color',
  'background-color',
  'background',
  'font',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-decoration',
  'text-align',
  'text-transform',
  'vertical-align',
  'line-height',
  'letter-spacing',
  'white-space',
  'width',
  'height',
  'max-width',
  'min-width',
  'max-height',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-width',
  'border-style',
  'border-radius',
  'border-collapse',
  'border-spacing',
  'display',
  'object-fit',
]

const layout = ['style', 'align', 'valign', 'width', 'height', 'bgcolor', 'dir', 'title', 'class']

const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'td',
    'th',
    'colgroup',
    'col',
    'caption',
    'div',
    'span',
    'p',
    'br',
    'hr',
    'a',
    'img',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'small',
    'big',
    'font',
    'center',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'ul',
    'ol',
    'li',
    'blockquote',
    'sup',
    'sub',
    'pre',
    'code',
  ],
  allowedAttributes: {
    '*': layout,
    a: [...layout, 'href', 'target', 'rel', 'name'],
    img: [...layout, 'src', 'alt', 'border'],
    table: [...layout, 'cellpadding', 'cellspacing', 'border', 'role'],
    td: [...layout, 'colspan', 'rowspan', 'nowrap'],
    th: [...layout, 'colspan', 'rowspan', 'nowrap'],
    font: [...layout, 'face', 'size', 'color'],
  },
  allowedStyles: { '*': Object.fromEntries(styleProperties.map((p) => [p, [styleValue]])) },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'background'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text of dropped elements such as <script> or <style> must not leak into the signature.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title', 'iframe', 'object', 'template'],
}

/** For HTML being saved: NUL characters cannot be stored and are dropped. */
export function sanitizeSignatureHtml(html: string): string {
  return sanitizeHtml(html.replaceAll('\u0000', ''), options)
}

/** For HTML being rendered; keeps the NUL-delimited banner mark of `renderSignature`. */
export function sanitizeRenderedHtml(html: string): string {
  return sanitizeHtml(html, options)
}
