import { CustomFieldsSchema } from '@signet/shared/lists'
import { useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { Notice } from '../../ui/states.tsx'

type Row = { key: string; value: string }
const rowsOf = (fields: Record<string, unknown>): Row[] =>
  Object.entries(fields).map(([key, value]) => ({ key, value: value === null ? '' : String(value) }))

/**
 * Custom fields, edited in place: any number of name/value pairs. Saving sends only what changed,
 * and `null` for a removed field (the API merges custom fields).
 */
export function CustomFields(props: {
  id: string
  fields: Record<string, unknown>
  save: (customFields: Record<string, string | null>) => Promise<Record<string, unknown>>
}) {
  const [rows, setRows] = useState(() => rowsOf(props.fields))
  const [saved, setSaved] = useState<Record<string, unknown>>(props.fields)
  const [error, setError] = useState<{ row: number; message: string }>()
  const [busy, setBusy] = useState(false)
  const [done, setDone] = useState(false)
  const set = (i: number, patch: Partial<Row>) => {
    setRows(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
    setError(undefined)
    setDone(false)
  }

  const save = async (event: Event) => {
    event.preventDefault()
    setError(undefined)
    setDone(false)
    const patch: Record<string, string | null> = {}
    for (const r of rows)
      if (saved[r.key.trim()] === undefined || String(saved[r.key.trim()]) !== r.value) patch[r.key] = r.value
    for (const key of Object.keys(saved)) if (!rows.some((r) => r.key.trim() === key)) patch[key] = null
    const parsed = CustomFieldsSchema.safeParse(patch)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const key = String(issue.path[0] ?? '')
      return setError({
        row: Math.max(
          0,
          rows.findIndex((r) => r.key === key),
        ),
        message: issue.message,
      })
    }
    setBusy(true)
    try {
      const fields = await props.save(parsed.data as Record<string, string | null>)
      setSaved(fields)
      setRows(rowsOf(fields))
      setDone(true)
    } catch (e) {
      const key = e instanceof ApiRequestError ? (e.field ?? '').replace(/^customFields\.?/, '') : ''
      setError({
        row: Math.max(
          0,
          rows.findIndex((r) => r.key === key),
        ),
        message: (e as Error).message,
      })
    } finally {
      setBusy(false)
    }
  }

  return (
    <form class="card custom-fields" onSubmit={save} noValidate aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>Custom fields</h2>
      {rows.length === 0 && <p class="muted">No custom fields. Add one to keep any other value here.</p>}
      {rows.map((r, i) => (
        <div class="builder-row" key={i}>
          <input
            id={`${props.id}-key-${i}`}
            aria-label={`Name of custom field ${i + 1}`}
            placeholder="Name, e.g. linkedin"
            value={r.key}
            aria-invalid={error?.row === i ? true : undefined}
            onInput={(e) => set(i, { key: e.currentTarget.value })}
          />
          <input
            aria-label={`Value of custom field ${i + 1}`}
            placeholder="Value"
            value={r.value}
            aria-invalid={error?.row === i ? true : undefined}
            onInput={(e) => set(i, { value: e.currentTarget.value })}
          />
          <button
            type="button"
            class="button button-quiet"
            aria-label={`Remove custom field ${r.key || i + 1}`}
            onClick={() => {
              setRows(rows.filter((_, j) => j !== i))
              setDone(false)
            }}
          >
            Remove
          </button>
          {error?.row === i && (
            <p class="field-error" role="alert" data-field="customFields">
              {error.message}
            </p>
          )}
        </div>
      ))}
      <div class="builder-row">
        <button type="button" class="button" onClick={() => setRows([...rows, { key: '', value: '' }])}>
          Add custom field
        </button>
        <button type="submit" class="button button-primary" disabled={busy}>
          Save custom fields
        </button>
      </div>
      {done && <Notice>Custom fields saved.</Notice>}
    </form>
  )
}
