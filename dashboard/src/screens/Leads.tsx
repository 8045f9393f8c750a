import type { Lead } from '@signet/shared/leads'
import { useState } from 'preact/hooks'
import { ApiRequestError } from '../api.ts'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { ErrorState, Loading, Notice } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'
import { Table, when } from './statistics/Table.tsx'

type Kind = 'accounts' | 'contacts'

interface Added {
  kind: Kind
  value: string
  id: string
  deliveries: number
}

/** Recipients who clicked but are not managed yet, with one button to add each. */
export default function Leads() {
  const [kind, setKind] = useState<Kind>('accounts')
  const [added, setAdded] = useState<Added>()
  return (
    <div>
      <h1>Leads</h1>
      <p class="muted">
        Recipients who clicked a banner but are not an account or contact yet. Free-mail domains are never
        account leads; contact leads exist only in the identified tracking tier.
      </p>
      <div class="toolbar" role="tablist" aria-label="Kind of lead">
        {(['accounts', 'contacts'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={kind === k}
            class={`button ${kind === k ? 'button-primary' : 'button-quiet'}`}
            onClick={() => setKind(k)}
          >
            {k === 'accounts' ? 'Companies (by domain)' : 'People (by email)'}
          </button>
        ))}
      </div>
      {added && (
        <Notice>
          {added.value} is now {added.kind === 'accounts' ? 'an account' : 'a contact'}:{' '}
          {added.deliveries === 1 ? 'one past email counts' : `${added.deliveries} past emails count`} in its{' '}
          <Link href={`/statistics/${added.kind === 'accounts' ? 'account' : 'contact'}/${added.id}`}>
            statistics
          </Link>
          .
        </Notice>
      )}
      <LeadList key={`${kind}-${added?.id ?? ''}`} kind={kind} onAdded={setAdded} />
    </div>
  )
}

function LeadList(props: { kind: Kind; onAdded: (added: Added) => void }) {
  const { api } = useSession()
  const [rowError, setRowError] = useState<{ value: string; message: string }>()
  const leads = useLoad(() => api.get<{ items: Lead[] }>(`/api/leads/${props.kind}?limit=200`), [props.kind])
  if (leads.error) return <ErrorState message={leads.error} onRetry={leads.reload} />
  if (!leads.data) return <Loading label="Looking for leads…" />

  const add = async (lead: Lead, consent?: { method: string }) => {
    setRowError(undefined)
    try {
      const body = props.kind === 'accounts' ? { domain: lead.value } : { email: lead.value, consent }
      const res = await api.request<{ id: string; deliveries: number }>(
        'POST',
        `/api/leads/${props.kind}`,
        body,
      )
      props.onAdded({ kind: props.kind, value: lead.value, id: res.id, deliveries: res.deliveries })
    } catch (error) {
      // A person's clicks are kept only with their consent: asked for when the contact has none.
      if (error instanceof ApiRequestError && error.field === 'consent' && !consent) {
        const method = prompt(
          `${lead.value}’s past clicks become their personal history, which is kept only with their consent.\n\nHow did they consent to be tracked?`,
          '',
        )
        if (method?.trim()) return add(lead, { method: method.trim() })
        if (method === null) return
      }
      setRowError({
        value: lead.value,
        message: error instanceof ApiRequestError ? error.message : String(error),
      })
    }
  }

  return (
    <Table<Lead>
      id={`leads-${props.kind}`}
      title={props.kind === 'accounts' ? 'Account leads' : 'Contact leads'}
      rows={leads.data.items}
      rowKey={(l) => l.value}
      empty="No leads yet: every recipient who clicked is already managed."
      fileName={`${props.kind === 'accounts' ? 'account' : 'contact'}-leads.csv`}
      columns={[
        {
          label: props.kind === 'accounts' ? 'Domain' : 'Email',
          render: (l) => (
            <>
              <strong>{l.value}</strong>
              {rowError?.value === l.value && (
                <p class="field-error" role="alert">
                  {rowError.message}
                </p>
              )}
            </>
          ),
          csv: (l) => l.value,
        },
        { label: 'Clicks', numeric: true, render: (l) => l.clicks.human, csv: (l) => l.clicks.human },
        { label: 'First click', render: (l) => when(l.firstClickAt), csv: (l) => l.firstClickAt },
        { label: 'Last click', render: (l) => when(l.lastClickAt), csv: (l) => l.lastClickAt },
        {
          label: 'Campaigns',
          render: (l) => l.campaigns.map((c) => c.name).join(', '),
          csv: (l) => l.campaigns.map((c) => c.name).join(', '),
        },
        {
          label: 'Actions',
          render: (l) => (
            <button type="button" class="button" aria-label={`Add ${l.value}`} onClick={() => add(l)}>
              {props.kind === 'accounts' ? 'Add as account' : 'Add as contact'}
            </button>
          ),
        },
      ]}
    />
  )
}
