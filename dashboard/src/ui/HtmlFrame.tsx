/**
 * HTML from the API (a rendered signature) shown in a sandboxed frame: no scripts and no
 * same-origin access, so even markup that slipped past the API's sanitiser cannot touch the
 * dashboard or its token.
 */
export function HtmlFrame(props: { html: string; title: string }) {
  const doc = `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"><style>body{font:14px/1.4 Arial,sans-serif;margin:12px;color:#222}</style></head><body>${props.html}</body></html>`
  return <iframe class="preview-frame" title={props.title} sandbox="" srcdoc={doc} />
}
