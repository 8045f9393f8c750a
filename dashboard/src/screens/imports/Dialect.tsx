import type { Import } from '@signet/shared/imports'
import { useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'

type Dialect = Import['dialect']

const delimiters: [Dialect['delimiter'], string][] = [
  [',', 'Commas'],
  [';', 'Semicolons'],
  ['\t', 'Tabs'],
  ['|', 'Vertical bars (|)'],
]
const encodings: [Dialect['encoding'], string][] = [
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
  const read = async (change: Partial<Pick<Dialect, 'delimiter' | 'encoding'>>) => {
    setBusy(true)
    try {
      props.onRead(await api.request<Import>('PATCH', `/api/imports/${job.id}`, change))
    } catch (error) {
      props.onError(error)
    } finally {
      setBusy(false)
    }
  }
  const choice = <K extends 'delimiter' | 'encoding'>(
    key: K,
    label: string,
    options: [Dialect[K], string][],
  ) => (
    <label>
      {label}{' '}
      <select
        value={job.dialect[key]}
        disabled={busy}
        onChange={(e) => read({ [key]: e.currentTarget.value as Dialect[K] })}
      >
        {options.map(([value, name]) => (
          <option key={value} value={value}>
            {name}
          </option>
        ))}
      </select>
    </label>
  )
  return (
    <div class="builder-row">
      {choice('delimiter', 'Columns separated by', delimiters)}
      {choice('encoding', 'Characters encoded as', encodings)}
    </div>
  )
}
