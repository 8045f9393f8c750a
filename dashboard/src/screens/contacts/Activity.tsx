import type { ActivityItem } from '@signet/shared/activity'
import { describeMachineReason } from '@signet/shared/tracking'
import { useEffect, useRef, useState } from 'preact/hooks'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { Empty, ErrorState, Loading } from '../../ui/states.tsx'
import { dateTime, downloadFromApi, statusNames } from '../targets/common.tsx'

interface ActivityPage {
  tracking: boolean
  items: ActivityItem[]
  nextCursor: string | null
}

const PAGE = 25

const what: Record<ActivityItem['type'], string> = {
  delivery: 'Banner delivered',
  view: 'Viewed',
  click: 'Clicked',
  status: 'Status changed',
}

const channelNames: Record<string, string> = { email: 'Email', user: 'By a user', system: 'By Signet' }

/** How a delivery or an event was counted, in words. */
const eventStatusNames: Record<string, string> = {
  sent: 'Sent',
  'not sent': 'Not sent (yet)',
  human: 'By a person',
  machine: 'By a machine, not counted',
}

function statusText(item: ActivityItem) {
  if (item.type === 'status') return statusNames[item.status as keyof typeof statusNames] ?? item.status
  return eventStatusNames[item.status] ?? item.status
}

/** A status change's reason as given; a machine view's or click's reason code as a sentence. */
function detailText(item: ActivityItem) {
  if (!item.detail) return '—'
  return item.type === 'view' || item.type === 'click' ? describeMachineReason(item.detail) : item.detail
}

/**
 * A contact's activity from `GET /api/activity/contacts/:id`: deliveries, views, clicks and status
 * changes, newest first, a page at a time. Outside the identified tracking tier the API keeps no
 * per-person history and says so (`tracking: false`); the table then shows status changes only.
 */
export function ContactActivity(props: { contactId: string; email: string; reloadKey?: unknown }) {
  const { api } = useSession()
  const [items, setItems] = useState<ActivityItem[]>()
  const [tracking, setTracking] = useState(true)
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState<'first' | 'more' | 'export' | null>('first')
  const generation = useRef(0)

  const load = async (more: boolean) => {
    const mine = more ? generation.current : ++generation.current
    setBusy(more ? 'more' : 'first')
    setError(undefined)
    try {
      const query = new URLSearchParams({ limit: String(PAGE) })
      if (more && cursor) query.set('cursor', cursor)
      const page = await api.get<ActivityPage>(`/api/activity/contacts/${props.contactId}?${query}`)
      if (mine !== generation.current) return
      setItems(more ? [...(items ?? []), ...page.items] : page.items)
      setTracking(page.tracking)
      setCursor(page.nextCursor)
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message)
    } finally {
      if (mine === generation.current) setBusy(null)
    }
  }

  useEffect(() => {
    void load(false)
  }, [api, props.contactId, props.reloadKey])

  const exportCsv = async () => {
    setBusy('export')
    try {
      await downloadFromApi(
        api,
        `/api/activity/contacts/${props.contactId}?format=csv`,
        `signet-activity-${props.email}.csv`,
      )
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(null)
    }
  }

  return (
    <section class="card" aria-labelledby="activity-title" data-activity={tracking ? 'tracked' : 'untracked'}>
      <div class="toolbar">
        <h2 id="activity-title">Activity</h2>
        {items && items.length > 0 && (
          <button type="button" class="button" disabled={busy === 'export'} onClick={exportCsv}>
            Export activity (CSV)
          </button>
        )}
      </div>
      {!tracking && (
        <Empty title="No per-person history in this workspace.">
          <p>
            Deliveries, views and clicks are recorded per contact only in the <em>identified</em> tracking
            tier, and only for contacts who gave consent. This workspace counts them per campaign and account
            instead (see the account’s statistics); an admin chooses the tier in Settings. Status changes are
            listed below.
          </p>
        </Empty>
      )}
      {error && <ErrorState message={error} onRetry={() => load(false)} />}
      {!items ? (
        !error && <Loading label="Loading the activity…" />
      ) : items.length === 0 ? (
        <Empty title="No activity yet.">
          <p>Deliveries, views and clicks appear here once employees send this contact a banner.</p>
        </Empty>
      ) : (
        <table class="table" aria-busy={busy === 'first'}>
          <caption class="visually-hidden">Activity of {props.email}, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col">Channel</th>
              <th scope="col">Campaign</th>
              <th scope="col">Status</th>
              <th scope="col">Detail</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => (
              <tr key={`${item.at}-${item.type}-${i}`} data-activity-type={item.type}>
                <td>{dateTime(item.at)}</td>
                <td>{what[item.type]}</td>
                <td>{channelNames[item.channel] ?? item.channel}</td>
                <td>
                  {item.campaign ? (
                    <Link href={`/campaigns/${item.campaign.id}`}>{item.campaign.name}</Link>
                  ) : (
                    '—'
                  )}
                </td>
                <td>{statusText(item)}</td>
                <td>{detailText(item)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && items && (
        <p class="more">
          <button type="button" class="button" disabled={busy === 'more'} onClick={() => load(true)}>
            {busy === 'more' ? 'Loading…' : 'Load more activity'}
          </button>
        </p>
      )}
    </section>
  )
}
