import type { HubSpotLink, SyncRun } from '@signet/shared/crm'
import { useSession } from '../../session.tsx'
import { ErrorState, Loading } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'

/** One line for a run: its outcome and the counts a CSV synchronisation reports. */
export function runSummary(run: SyncRun): string {
  const when = new Date(run.startedAt).toLocaleString()
  if (run.status === 'failed') return `${when}: failed`
  if (run.status === 'applying') return `${when}: running`
  const r = run.report
  if (!r) return `${when}: ${run.status}`
  return `${when}: ${r.new} new, ${r.updated} updated, ${r.leaving} left, ${r.invalid} invalid${run.status === 'undone' ? ' (undone)' : ''}`
}

export function SyncHistory(props: { link: HubSpotLink; onClose: () => void }) {
  const { api } = useSession()
  const runs = useLoad(() =>
    api.get<SyncRun[]>(`/api/integrations/hubspot/links/${props.link.targetGroupId}/runs`),
  )
  return (
    <section class="card" aria-labelledby="history-title">
      <h2 id="history-title">Runs of “{props.link.targetGroupName}”</h2>
      {runs.error && <ErrorState message={runs.error} onRetry={runs.reload} />}
      {!runs.data && !runs.error && <Loading label="Loading runs…" />}
      {runs.data && runs.data.length === 0 && <p class="muted">No run yet.</p>}
      {runs.data && runs.data.length > 0 && (
        <table class="table" aria-labelledby="history-title">
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">By</th>
              <th scope="col">Outcome</th>
              <th scope="col">New</th>
              <th scope="col">Updated</th>
              <th scope="col">Unchanged</th>
              <th scope="col">Joined</th>
              <th scope="col">Left</th>
              <th scope="col">Invalid</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((run) => (
              <tr key={run.importId} data-run={run.status}>
                <td>{new Date(run.startedAt).toLocaleString()}</td>
                <td>{run.trigger === 'manual' ? 'on demand' : 'schedule'}</td>
                <td>
                  <span class={`badge badge-${run.status === 'failed' ? 'disabled' : 'active'}`}>
                    {run.status}
                  </span>
                  {run.error && <p class="field-error">{run.error}</p>}
                  {run.report && run.report.invalidRows.length > 0 && (
                    <details>
                      <summary>Invalid contacts</summary>
                      <ul>
                        {run.report.invalidRows.slice(0, 50).map((row) => (
                          <li key={row.line}>
                            Member {row.line}: {row.field} — {row.reason}
                          </li>
                        ))}
                      </ul>
                    </details>
                  )}
                </td>
                <td>{run.report?.new ?? '—'}</td>
                <td>{run.report?.updated ?? '—'}</td>
                <td>{run.report?.unchanged ?? '—'}</td>
                <td>{run.report?.joined ?? '—'}</td>
                <td>{run.report?.leaving ?? '—'}</td>
                <td>{run.report?.invalid ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <button type="button" class="button button-quiet" onClick={props.onClose}>
        Close
      </button>
    </section>
  )
}
