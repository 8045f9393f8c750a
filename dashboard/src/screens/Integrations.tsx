import {
  ConnectHubSpotSchema,
  HUBSPOT_DEFAULT_BASE_URL,
  type HubSpotConnection,
  type HubSpotLink,
} from '@signet/shared/crm'
import { useState } from 'preact/hooks'
import { ApiRequestError } from '../api.ts'
import { useSession } from '../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../ui/form.tsx'
import { ErrorState, Loading, Notice } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'
import { LinkForm } from './integrations/LinkForm.tsx'
import { runSummary, SyncHistory } from './integrations/SyncHistory.tsx'

const base = '/api/integrations/hubspot'

/** HubSpot: the connection, the contact target groups linked to its lists, and their runs. */
export default function Integrations() {
  const { api } = useSession()
  const connection = useLoad(() => api.get<HubSpotConnection>(base))
  if (connection.error) return <ErrorState message={connection.error} onRetry={connection.reload} />
  if (!connection.data) return <Loading label="Loading integrations…" />
  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title">Integrations</h1>
      <p class="muted">
        Link contact target groups to HubSpot lists: each group then mirrors its list, synchronised every 15
        minutes and whenever you ask, exactly like a CSV import in mode “synchronise”.
      </p>
      <Connection connection={connection.data} onChange={connection.setData} />
      {connection.data.connected && <Links failing={connection.data.status === 'failing'} />}
    </section>
  )
}

function Connection(props: { connection: HubSpotConnection; onChange: (c: HubSpotConnection) => void }) {
  const { api } = useSession()
  const { connection } = props
  const [editing, setEditing] = useState(!connection.connected)
  const [error, setError] = useState<string>()
  const form = useForm({
    id: 'hubspot',
    initial: { token: '', baseUrl: connection.baseUrl },
    schema: ConnectHubSpotSchema,
    toInput: (v) => ({ token: v.token, baseUrl: v.baseUrl.trim() || HUBSPOT_DEFAULT_BASE_URL }),
    submit: async (input) => {
      props.onChange(await api.request<HubSpotConnection>('PUT', base, input))
      form.reset({ token: '', baseUrl: input.baseUrl ?? HUBSPOT_DEFAULT_BASE_URL })
      setEditing(false)
    },
  })
  const disconnect = async () => {
    if (!confirm('Disconnect HubSpot? Linked groups keep their members but are no longer synchronised.'))
      return
    try {
      await api.request('DELETE', base)
      props.onChange({ ...connection, connected: false, tokenHint: null, status: null, error: null })
      setEditing(true)
    } catch (e) {
      setError(e instanceof ApiRequestError ? e.message : String(e))
    }
  }
  return (
    <section class="card" aria-labelledby="hubspot-title">
      <h2 id="hubspot-title">HubSpot</h2>
      {connection.connected && (
        <dl class="facts" data-testid="hubspot-connection">
          <dt>Status</dt>
          <dd>
            <span class={`badge badge-${connection.status === 'failing' ? 'disabled' : 'active'}`}>
              {connection.status === 'failing' ? 'failing' : 'connected'}
            </span>
          </dd>
          <dt>Token</dt>
          <dd>ending …{connection.tokenHint}</dd>
          <dt>Address</dt>
          <dd>{connection.baseUrl}</dd>
        </dl>
      )}
      {connection.error && (
        <Notice kind="error">
          <p>{connection.error}</p>
          <p>Scheduled runs are paused until you connect again or run a group now.</p>
        </Notice>
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {editing ? (
        <form onSubmit={form.onSubmit} noValidate>
          <TextField
            form={form}
            name="token"
            label="Private app access token"
            type="password"
            autocomplete="off"
            hint="In HubSpot: Settings → Integrations → Private apps, with the scopes crm.lists.read and crm.objects.contacts.read. It is stored encrypted and never shown again."
          />
          <TextField
            form={form}
            name="baseUrl"
            label="API address"
            hint="Leave as is unless you use a proxy."
          />
          <FormError form={form} />
          <div class="actions">
            <SubmitButton form={form}>
              {connection.connected ? 'Replace token' : 'Connect HubSpot'}
            </SubmitButton>
            {connection.connected && (
              <button type="button" class="button button-quiet" onClick={() => setEditing(false)}>
                Cancel
              </button>
            )}
          </div>
        </form>
      ) : (
        <div class="actions">
          <button type="button" class="button" onClick={() => setEditing(true)}>
            Replace token
          </button>
          <button type="button" class="button button-danger" onClick={disconnect}>
            Disconnect
          </button>
        </div>
      )}
    </section>
  )
}

function Links(props: { failing: boolean }) {
  const { api } = useSession()
  const links = useLoad(() => api.get<HubSpotLink[]>(`${base}/links`))
  const [history, setHistory] = useState<HubSpotLink>()
  const [busy, setBusy] = useState<string>()
  const [rowError, setRowError] = useState<{ id: string; message: string }>()

  const act = async (link: HubSpotLink, action: () => Promise<unknown>) => {
    setRowError(undefined)
    setBusy(link.targetGroupId)
    try {
      await action()
    } catch (e) {
      setRowError({ id: link.targetGroupId, message: e instanceof ApiRequestError ? e.message : String(e) })
    } finally {
      setBusy(undefined)
      await links.reload()
    }
  }

  if (links.error) return <ErrorState message={links.error} onRetry={links.reload} />
  if (!links.data) return <Loading label="Loading linked groups…" />
  return (
    <>
      <LinkForm onLinked={links.reload} />
      <h2 id="links-title">Linked groups</h2>
      {links.data.length === 0 ? (
        <p class="muted">No group is linked to a HubSpot list yet.</p>
      ) : (
        <table class="table" aria-labelledby="links-title">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">HubSpot list</th>
              <th scope="col">Last run</th>
              <th scope="col">Next run</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {links.data.map((link) => (
              <tr key={link.targetGroupId} data-group={link.targetGroupName}>
                <td>
                  <strong>{link.targetGroupName}</strong>
                  {rowError?.id === link.targetGroupId && (
                    <p class="field-error" role="alert">
                      {rowError.message}
                    </p>
                  )}
                </td>
                <td>
                  {link.listName} <span class="muted">#{link.listId}</span>
                  {link.status === 'failing' && <p class="field-error">{link.error}</p>}
                </td>
                <td data-testid="last-run">{link.lastRun ? runSummary(link.lastRun) : 'not yet'}</td>
                <td>
                  {link.status === 'failing' || props.failing
                    ? 'paused'
                    : new Date(link.nextRunAt).toLocaleTimeString()}
                  <div class="muted">every {link.intervalMinutes} min</div>
                </td>
                <td class="actions">
                  <button
                    type="button"
                    class="button"
                    disabled={busy === link.targetGroupId}
                    aria-busy={busy === link.targetGroupId}
                    onClick={() =>
                      act(link, () => api.request('POST', `${base}/links/${link.targetGroupId}/sync`))
                    }
                  >
                    {busy === link.targetGroupId ? 'Running…' : 'Run now'}
                  </button>
                  <button type="button" class="button button-quiet" onClick={() => setHistory(link)}>
                    History
                  </button>
                  <button
                    type="button"
                    class="button button-danger"
                    aria-label={`Unlink ${link.targetGroupName}`}
                    onClick={() =>
                      confirm(`Unlink “${link.targetGroupName}”? It keeps its members.`) &&
                      act(link, () => api.request('DELETE', `${base}/links/${link.targetGroupId}`))
                    }
                  >
                    Unlink
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {history && (
        <SyncHistory
          key={`${history.targetGroupId}-${history.lastRun?.importId}`}
          link={history}
          onClose={() => setHistory(undefined)}
        />
      )}
    </>
  )
}
