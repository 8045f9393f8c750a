import { useRef } from 'preact/hooks'

/**
 * HTML from the API (a rendered signature) shown in a sandboxed frame that runs no script, so
 * even markup that slipped past the API's sanitiser cannot act in the dashboard. Same origin
 * without scripts is safe — only the pair with `allow-scripts` is not — and lets the frame take
 * its content's height. Links open in a new tab, as they would from the email.
 */
export function HtmlFrame(props: { html: string; title: string }) {
  const frame = useRef<HTMLIFrameElement>(null)
  const doc = `<!doctype html><html><head><meta charset="utf-8"><base target="_blank"><style>body{font:14px/1.4 Arial,sans-serif;margin:12px;color:#222}</style></head><body>${props.html}</body></html>`
  const fit = () => {
    const body = frame.current?.contentDocument?.body
    if (body && frame.current) frame.current.style.height = `${Math.max(120, body.scrollHeight + 24)}px`
  }
  return (
    <iframe
      ref={frame}
      class="preview-frame"
      title={props.title}
      sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
      srcdoc={doc}
      onLoad={() => {
        fit()
        // Images arrive after the document: fit again when each one has its size.
        for (const img of frame.current?.contentDocument?.images ?? []) img.addEventListener('load', fit)
      }}
    />
  )
}
