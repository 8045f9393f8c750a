/**
 * Keeps signature HTML to what an email signature needs, so nothing the API (or anyone who
 * managed to write a template) sends can run script in a compose window. Allow-list based.
 */
const TAGS = new Set(
  'a b strong i em u s span div p br img table thead tbody tfoot tr td th font small big hr center sup sub ul ol li h1 h2 h3 h4 h5 h6 blockquote'.split(
    ' ',
  ),
)
const ATTRIBUTES = new Set(
  'href src alt title width height style align valign border cellpadding cellspacing color bgcolor face size target rel colspan rowspan data-signet-banner'.split(
    ' ',
  ),
)
const SAFE_URL = /^(https?:|mailto:|tel:)/i
const SAFE_IMAGE = /^(https?:|data:image\/(png|gif|jpeg|webp);)/i

function clean(node: Element) {
  for (const child of [...node.children]) {
    const tag = child.tagName.toLowerCase()
    if (!TAGS.has(tag)) {
      child.remove()
      continue
    }
    for (const { name, value } of [...child.attributes]) {
      const allowed =
        ATTRIBUTES.has(name) &&
        (name !== 'href' || SAFE_URL.test(value.trim())) &&
        (name !== 'src' || SAFE_IMAGE.test(value.trim())) &&
        (name !== 'style' || !/url\s*\(|expression\s*\(/i.test(value))
      if (!allowed) child.removeAttribute(name)
    }
    if (tag === 'a' && child.hasAttribute('href')) {
      child.setAttribute('target', '_blank')
      child.setAttribute('rel', 'noopener noreferrer')
    }
    clean(child)
  }
}

/** Parses `html` inertly (a template's content runs nothing, loads nothing) and cleans it. */
export function sanitizeSignature(html: string, doc: Document): DocumentFragment {
  const template = doc.createElement('template')
  template.innerHTML = html
  const fragment = template.content
  for (const child of [...fragment.childNodes]) {
    if (child.nodeType === 8) child.remove() // comments
  }
  const wrapper = doc.createElement('div')
  wrapper.append(fragment)
  clean(wrapper)
  const result = doc.createDocumentFragment()
  result.append(...wrapper.childNodes)
  return result
}
