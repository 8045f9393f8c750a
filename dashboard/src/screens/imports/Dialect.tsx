import type { Import } from '@signet/shared/imports'
import { useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'

const delimiters: [Import['dialect']['delimiter'], string][] = [
  [',', 'Commas'],
  [';', 'Semicolons'],
  ['\t', 'Tabs'],
  ['|', 'Vertical bars (|)'],
]
const encodings: [Import['dialect']['encoding'], string][] = [
  ['utf-8', 'UTF-8'],
  ['utf-8-bom', 'UTF-8 with byte order mark'],
  ['windows-1252', 'Windows-1252 (Excel, Western Europe)'],
]

/**
 * How the file is read, as detected, for the user to correct: another delimiter or encoding reads
 * the columns again at once (and suggests their fields again).
 */
export function DialectChoice(props: {
  job: Import
  onRead: (job: Import) => void
  onError: (error: unknown) => void
}) {
  const { api } = useSession()
  const { job } = props
  const [busy, setBusy] = useState(false)
  const read = async (change: Partial<Pick<Import['dialect'], 'delimiter' | 'encoding'>>) => {
    setBusy(true)
    try {
      props.onRead(await api.request<Import>('PATCH', `/api/imports/${job.id}`, change))
    } catch (error) {
      props.onError(error)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div class="builder-row">
      <label>
        Columns separated by{' '}
        <select
          value={job.dialect.delimiter}
          disabled={busy}
          onChange={(e) => read({ delimiter: e.currentTarget.value as Import['dialect']['delimiter'] })}
        >
          {delimiters.map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Characters encoded as{' '}
        <select
          value={job.dialect.encoding}
          disabled={busy}
          onChange={(e) => read({ encoding: e.currentTarget.value as Import['dialect']['encoding'] })}
        >
          {encodings.map(([value, name]) => (
            <option key={value} value={value}>
              {name}
            </option>
          ))}
        </select>
      </label>
    </div>
  )
}
