import type { ComponentChildren } from 'preact'
import { saveFile, toCsv } from '../../ui/csv.ts'
import { Empty } from '../../ui/states.tsx'

export interface TableColumn<T> {
  label: string
  render: (row: T) => ComponentChildren
  /** The cell in the CSV export; a column without one (buttons) is not exported. */
  csv?: (row: T) => unknown
  numeric?: boolean
}

/** A small finished table (a breakdown, a page of leads) with its CSV export. */
export function Table<T>(props: {
  id: string
  title: string
  rows: T[]
  columns: TableColumn<T>[]
  rowKey: (row: T) => string
  empty: string
  fileName: string
}) {
  const exported = props.columns.filter((c) => c.csv)
  const exportCsv = () =>
    saveFile(
      props.fileName,
      new Blob(
        [
          toCsv(
            exported.map((c) => c.label),
            props.rows.map((row) => exported.map((c) => c.csv!(row))),
          ),
        ],
        { type: 'text/csv;charset=utf-8' },
      ),
    )
  return (
    <section class="card" aria-labelledby={`${props.id}-title`}>
      <div class="toolbar">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <button type="button" class="button" onClick={exportCsv} disabled={!props.rows.length}>
          Export CSV
        </button>
      </div>
      {props.rows.length === 0 ? (
        <Empty title={props.empty} />
      ) : (
        <table class="table" data-table={props.id}>
          <thead>
            <tr>
              {props.columns.map((c) => (
                <th key={c.label} scope="col" class={c.numeric ? 'numeric' : undefined}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.rows.map((row) => (
              <tr key={props.rowKey(row)}>
                {props.columns.map((c) => (
                  <td key={c.label} class={c.numeric ? 'numeric' : undefined}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

export const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)} %`)
export const when = (iso: string) => new Date(iso).toLocaleString()
