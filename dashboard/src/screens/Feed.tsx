import type { FeedItem } from '@signet/shared/activity'
import { describeMachineReason } from '@signet/shared/tracking'
import { useEffect, useState } from 'preact/hooks'
import type { ApiClient } from '../api.ts'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { ErrorState, Loading } from '../ui/states.tsx'
import { Table } from './statistics/Table.tsx'

const MAX_SHOWN = 200
const RECONNECT_MS = 3_000
const kindLabels = { sent: 'Banner sent', view: 'Viewed', click: 'Clicked' }

type Live = 'connecting' | 'live' | 'offline'

/**
 * Follows the live feed. EventSource cannot send the bearer token, so each connection opens
 * with a one-minute ticket from an authenticated POST; when the stream ends (it does every ten
 * minutes, or on a network error) a new ticket is taken and the stream reopened.
 */
function useLiveFeed(api: ApiClient, includeMachine: boolean, onItem: (item: FeedItem) => void) {
  const [state, setState] = useState<Live>('connecting')
  useEffect(() => {
    let source: EventSource | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    const connect = async () => {
      setState('connecting')
      try {
        const { ticket } = await api.request<{ ticket: string }>('POST', '/api/activity/stream-ticket')
        if (stopped) return
        const query = new URLSearchParams({ ticket, includeMachine: String(includeMachine) })
        source = new EventSource(api.url(`/api/activity/stream?${query}`))
        source.addEventListener('ready', () => setState('live'))
        source.addEventListener('activity', (e) => onItem(JSON.parse((e as MessageEvent).data)))
        source.onerror = () => {
          source?.close()
          retry()
        }
      } catch {
        retry()
      }
    }
    const retry = () => {
      if (stopped) return
      setState('offline')
      timer = setTimeout(() => void connect(), RECONNECT_MS)
    }
    void connect()
    return () => {
      stopped = true
      source?.close()
      clearTimeout(timer)
    }
  }, [api, includeMachine])
  return state
}

export default function Feed() {
  const { api } = useSession()
  const [includeMachine, setIncludeMachine] = useState(false)
  const [items, setItems] = useState<FeedItem[]>()
  const [error, setError] = useState<string>()

  const load = async () => {
    setError(undefined)
    try {
      const page = await api.get<{ items: FeedItem[] }>(
        `/api/activity/feed?includeMachine=${includeMachine}&limit=50`,
      )
      setItems(page.items)
    } catch (e) {
      setError((e as Error).message)
    }
  }
  useEffect(() => {
    setItems(undefined)
    void load()
  }, [includeMachine])

  const live = useLiveFeed(api, includeMachine, (item) =>
    setItems((shown) =>
      shown?.some((i) => i.id === item.id) ? shown : [item, ...(shown ?? [])].slice(0, MAX_SHOWN),
    ),
  )

  return (
    <div>
      <h1>Performance feed</h1>
      <div class="toolbar">
        <span class={`badge badge-${live === 'live' ? 'active' : 'disabled'}`} role="status" data-live={live}>
          {live === 'live' ? 'Live' : live === 'connecting' ? 'Connecting…' : 'Offline, retrying'}
        </span>
        <label>
          <input
            type="checkbox"
            checked={includeMachine}
            onChange={(e) => setIncludeMachine(e.currentTarget.checked)}
          />{' '}
          Show machine events
        </label>
      </div>
      {error && <ErrorState message={error} onRetry={load} />}
      {!items ? (
        !error && <Loading label="Loading the latest activity…" />
      ) : (
        <Table<FeedItem>
          id="feed"
          title="Latest activity"
          rows={items}
          rowKey={(i) => i.id}
          empty="Nothing has happened yet. Views and clicks appear here as they come in."
          fileName="activity.csv"
          columns={[
            { label: 'When', render: (i) => new Date(i.at).toLocaleString(), csv: (i) => i.at },
            {
              label: 'What',
              render: (i) => (
                <>
                  {kindLabels[i.kind]}
                  {!i.human && i.machineReason && (
                    <div class="muted">Machine: {describeMachineReason(i.machineReason)}</div>
                  )}
                </>
              ),
              csv: (i) =>
                i.human
                  ? kindLabels[i.kind]
                  : `${kindLabels[i.kind]} (machine: ${describeMachineReason(i.machineReason ?? '')})`,
            },
            {
              label: 'Campaign',
              render: (i) => <Link href={`/statistics/campaign/${i.campaign.id}`}>{i.campaign.name}</Link>,
              csv: (i) => i.campaign.name,
            },
            {
              label: 'Recipient',
              render: (i) => (
                <>
                  {i.accounts.map((a) => (
                    <div key={a.id}>
                      <Link href={`/statistics/account/${a.id}`}>{a.name}</Link>
                    </div>
                  ))}
                  {i.contacts.map((c) => (
                    <div key={c.id} class="muted">
                      {c.name}
                    </div>
                  ))}
                  {i.leadDomains.map((d) => (
                    <div key={d} class="muted">
                      {d} (lead)
                    </div>
                  ))}
                </>
              ),
              csv: (i) =>
                [...i.accounts.map((a) => a.name), ...i.contacts.map((c) => c.name), ...i.leadDomains].join(
                  '; ',
                ),
            },
            { label: 'Employee', render: (i) => i.employee?.name ?? '—', csv: (i) => i.employee?.name },
          ]}
        />
      )}
    </div>
  )
}
