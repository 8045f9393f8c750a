import type { ImportReport } from '@signet/shared/imports'

const MAX_ROWS = 50

/** The counts of a dry run or an apply, with the reason for every invalid row and each duplicate. */
export function Report(props: { report: ImportReport; kind: 'accounts' | 'contacts' }) {
  const r = props.report
  const counts: [string, number][] = [
    ['Rows', r.total],
    ['New', r.new],
    ['Updated', r.updated],
    ['Unchanged', r.unchanged],
    ['Invalid', r.invalid],
    ['Duplicates in the file', r.duplicates],
    ['Deleted, left alone', r.deleted],
    ['Restored', r.restored],
    ['Suppressed, not overwritten', r.skipped],
    ['Joining the group', r.joined],
    ['Leaving the group', r.leaving],
  ]
  return (
    <>
      <ul class="counts" aria-label="Counts">
        {counts.map(([label, n]) => (
          <li key={label} data-count={label}>
            <strong>{n.toLocaleString()}</strong> {label}
          </li>
        ))}
      </ul>
      {r.invalidRows.length > 0 && (
        <table class="table">
          <caption>
            Invalid rows{r.invalid > r.invalidRows.length ? ` (first ${r.invalidRows.length})` : ''}
          </caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Field</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {r.invalidRows.slice(0, MAX_ROWS).map((row) => (
              <tr key={row.line} data-line={row.line}>
                <td>{row.line}</td>
                <td>{row.field}</td>
                <td>{row.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.duplicateRows.length > 0 && (
        <table class="table">
          <caption>Duplicates in the file (the first occurrence is used)</caption>
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Same as line</th>
              <th scope="col">{props.kind === 'contacts' ? 'Email' : 'Domain'}</th>
            </tr>
          </thead>
          <tbody>
            {r.duplicateRows.slice(0, MAX_ROWS).map((row) => (
              <tr key={row.line}>
                <td>{row.line}</td>
                <td>{row.firstLine}</td>
                <td>
                  {row.key}
                  {row.caseCollision && <span class="muted"> (differs only in upper/lower case)</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
