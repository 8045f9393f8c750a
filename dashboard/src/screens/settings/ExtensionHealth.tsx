import type { ExtensionHealthReport } from '@signet/shared/extension'
import { useSession } from '../../session.tsx'
import { ErrorState, Loading } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'

const clientLabels = { gmail: 'Gmail', outlook: 'Outlook on the web' } as const

/**
 * The extension's latest health report per employee and mail client: how many signatures it
 * inserted and how often it could not find the compose window's parts since its last report.
 * Detection failures are what tells an admin a mail client changed its page, and that a feature
 * may need switching off in the form above.
 */
export function ExtensionHealth() {
  const { api } = useSession()
  const reports = useLoad(() => api.get<ExtensionHealthReport[]>('/api/extension/health'))
  if (reports.error) return <ErrorState message={reports.error} onRetry={reports.reload} />
  if (!reports.data) return <Loading label="Loading extension health…" />
  const failing = reports.data.filter((r) => r.detectionFailures > 0 || r.lastError)
  const clients = [...new Set(failing.map((r) => clientLabels[r.client]))]
  return (
    <section class="card" aria-labelledby="extension-health-title">
      <h2 id="extension-health-title">Extension health</h2>
      {reports.data.length === 0 ? (
        <p class="muted">No extension has reported yet. Reports arrive while employees write email.</p>
      ) : (
        <>
          <p role="status" class={failing.length ? 'field-error' : 'muted'}>
            {failing.length
              ? `${failing.length} of ${reports.data.length} reports show problems in ${clients.join(' and ')}. If a mail client changed its page, switch the feature off above until the extension is updated.`
              : `All ${reports.data.length} reports are healthy.`}
          </p>
          <table class="table" aria-labelledby="extension-health-title">
            <thead>
              <tr>
                <th scope="col">Employee</th>
                <th scope="col">Mail client</th>
                <th scope="col">Version</th>
                <th scope="col">Signatures inserted</th>
                <th scope="col">Detection failures</th>
                <th scope="col">Last error</th>
                <th scope="col">Reported</th>
              </tr>
            </thead>
            <tbody>
              {reports.data.map((r) => (
                <tr key={`${r.userId} ${r.client}`} data-failing={r.detectionFailures > 0 || !!r.lastError}>
                  <td>{r.email}</td>
                  <td>{clientLabels[r.client]}</td>
                  <td>{r.extensionVersion}</td>
                  <td>{r.insertions.toLocaleString()}</td>
                  <td>{r.detectionFailures > 0 ? <strong>{r.detectionFailures}</strong> : 0}</td>
                  <td>{r.lastError ?? '—'}</td>
                  <td>{new Date(r.reportedAt).toLocaleString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  )
}
