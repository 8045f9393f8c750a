import type { ChildNode, Element } from 'domhandler'
import { parseDocument } from 'htmlparser2'

const RUNNABLE = new Set([
  'script',
  'iframe',
  'object',
  'embed',
  'frame',
  'frameset',
  'base',
  'form',
  'meta',
  'link',
  'style',
  'svg',
  'math',
])
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel'])

/** The scheme a browser reads from a URL attribute (WHATWG URL: controls and spaces around, tabs and newlines inside, ignored). */
function schemeOf(value: string): string | undefined {
  let from = 0
  let to = value.length
  while (from < to && value.charCodeAt(from) <= 0x20) from++
  while (to > from && value.charCodeAt(to - 1) <= 0x20) to--
  const cleaned = value.slice(from, to).replace(/[\t\n\r]/g, '')
  return /^([a-z][a-z0-9+.-]*):/i.exec(cleaned)?.[1]?.toLowerCase()
}
const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'action',
  'formaction',
  'background',
  'poster',
  'xlink:href',
  'srcset',
])

/**
 * What in an HTML fragment could run script in a browser or mail client: runnable elements,
 * event-handler attributes, script URLs. Parsed as a browser would (htmlparser2), so text that
 * merely looks like markup (escaped `&lt;script&gt;`) is not reported.
 */
export function runnableMarkup(html: string): string[] {
  const found: string[] = []
  const walk = (nodes: ChildNode[]) => {
    for (const node of nodes) {
      if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue
      const element = node as Element
      if (RUNNABLE.has(element.name)) found.push(`<${element.name}>`)
      for (const [name, value] of Object.entries(element.attribs)) {
        if (/^on/i.test(name)) found.push(`${element.name}[${name}]`)
        if (name === 'srcdoc') found.push(`${element.name}[srcdoc]`)
        const scheme = URL_ATTRIBUTES.has(name) ? schemeOf(value) : undefined
        if (scheme && !SAFE_SCHEMES.has(scheme)) {
          found.push(`${element.name}[${name}=${value.slice(0, 40)}]`)
        }
        if (name === 'style' && /expression\s*\(|javascript:|url\s*\(/i.test(value)) {
          found.push(`${element.name}[style]`)
        }
      }
      walk(element.children)
    }
  }
  walk(parseDocument(html).children)
  return found
}
