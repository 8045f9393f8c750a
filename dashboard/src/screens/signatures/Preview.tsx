import { useEffect, useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'
import { HtmlFrame } from '../../ui/HtmlFrame.tsx'

const DELAY_MS = 300

/** The signature as `employeeId` would get it, rendered by the API from unsaved HTML, as you type. */
export function LivePreview(props: { html: string; employeeId: string }) {
  const { api } = useSession()
  const [rendered, setRendered] = useState<string>()
  const [error, setError] = useState<string>()
  useEffect(() => {
    let current = true
    const timer = setTimeout(async () => {
      try {
        const body = { html: props.html, ...(props.employeeId ? { employeeId: props.employeeId } : {}) }
        const result = await api.request<{ html: string }>('POST', '/api/signatures/preview', body)
        if (!current) return
        setRendered(result.html)
        setError(undefined)
      } catch (e) {
        if (current) setError((e as Error).message)
      }
    }, DELAY_MS)
    return () => {
      current = false
      clearTimeout(timer)
    }
  }, [props.html, props.employeeId])
  return (
    <div class="live-preview" aria-live="polite">
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {rendered === undefined ? (
        !error && <p class="muted">Rendering the preview…</p>
      ) : (
        <HtmlFrame html={rendered} title="Signature preview" />
      )}
    </div>
  )
}
