import { type Contact, type ContactAction, contactStatuses } from '@signet/shared/contacts'
import type { FilterGroup } from '@signet/shared/segments'
import { useEffect, useMemo, useState } from 'preact/hooks'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { type Column, DataTable, type ListState } from '../../ui/DataTable.tsx'
import { endpointSource } from '../../ui/sources.ts'
import { Empty, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { BulkBar, type BulkResult, type RunBulk, rest } from '../targets/BulkBar.tsx'
import { date, downloadCsv, exportCsv, loadGroups, statusNames } from '../targets/common.tsx'
import { SegmentPicker } from '../targets/SegmentPicker.tsx'
import { SmartSearch } from '../targets/SmartSearch.tsx'
import { ContactActions, StatusBadge } from './actions.tsx'
import { CreateContact } from './CreateContact.tsx'

export const contactCsvHeader = [
  'email',
  'first_name',
  'last_name',
  'phone',
  'company',
  'job_title',
  'status',
  'labels',
  'tracking_opt_out_at',
  'created_at',
]
export const contactCsvRow = (c: Contact) => [
  c.email,
  c.firstName,
  c.lastName,
  c.phone,
  c.company,
  c.jobTitle,
  c.status,
  c.labels.join(', '),
  c.trackingOptOutAt,
  c.createdAt,
]

export const displayName = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(' ')

export function ContactList() {
  const { api } = useSession()
  const [status, setStatus] = useState('')
  // What is typed, kept as it is typed: the list re-renders this screen when a page arrives, and
  // must not wipe a label that is not applied yet (it applies on change: Enter or leaving the field).
  const [labelInput, setLabelInput] = useState('')
  const [label, setLabel] = useState('')
  const [segmentId, setSegmentId] = useState('')
  const [filter, setFilter] = useState<FilterGroup>()
  const [version, setVersion] = useState(0)
  const [selected, setSelected] = useState(new Map<string, Contact>())
  const [allMatching, setAllMatching] = useState(false)
  const [listState, setListState] = useState<ListState>()
  const [notice, setNotice] = useState<BulkResult>()
  const groups = useLoad(() => loadGroups(api), [api, version])

  const params = useMemo(() => {
    const p: Record<string, string> = {}
    if (status) p.status = status
    if (label.trim()) p.label = label.trim()
    if (segmentId) p.segmentId = segmentId
    if (filter) p.filter = JSON.stringify(filter)
    return p
  }, [status, label, segmentId, filter])
  const filterKey = JSON.stringify(params)
  // "Every match" means the matches of the filters and search in force when it was chosen.
  useEffect(() => setAllMatching(false), [filterKey, listState?.q])
  const source = useMemo(() => endpointSource<Contact>(api, '/api/contacts', params), [api, filterKey])
  const reload = () => setVersion((v) => v + 1)
  const done = (result: BulkResult) => {
    setNotice(result)
    if (!result.failed) {
      setSelected(new Map())
      setAllMatching(false)
    }
    reload()
  }

  const columns: Column<Contact>[] = [
    { label: 'Email', render: (c) => <Link href={`/contacts/${c.id}`}>{c.email}</Link> },
    { label: 'Name', sort: 'name', render: (c) => displayName(c) || '—' },
    { label: 'Company', render: (c) => c.company ?? '—' },
    { label: 'Status', render: (c) => <StatusBadge contact={c} /> },
    { label: 'Labels', render: (c) => c.labels.join(', ') || '—' },
    { label: 'Created', sort: 'created', render: (c) => date(c.createdAt) },
    {
      label: 'Actions',
      class: 'actions',
      render: (c) => (
        <ContactActions
          contact={c}
          onDone={(next) => {
            setNotice({
              message: `${next.email} is now ${statusNames[next.status].toLowerCase()}${next.trackingOptOutAt ? ', opted out of tracking' : ''}.`,
            })
            reload()
          }}
          onError={(message) => setNotice({ message, failed: true })}
        />
      ),
    },
  ]

  return (
    <section aria-labelledby="contacts-title">
      <h1 id="contacts-title">Contacts</h1>
      <p class="muted">People by email address; each belongs to the account of its domain.</p>
      <details>
        <summary>Add a contact</summary>
        <CreateContact onCreated={reload} />
      </details>
      <details>
        <summary>Smart search and segments</summary>
        <SmartSearch kind="contact" groups={groups.data ?? []} onApply={setFilter} />
      </details>
      <div class="filters">
        <div class="field">
          <label for="contacts-status">Status</label>
          <select id="contacts-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">Any status</option>
            {contactStatuses.map((s) => (
              <option key={s} value={s}>
                {statusNames[s]}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="contacts-label">Label</label>
          <input
            id="contacts-label"
            value={labelInput}
            placeholder="e.g. vip"
            onInput={(e) => setLabelInput(e.currentTarget.value)}
            onChange={(e) => setLabel(e.currentTarget.value)}
          />
        </div>
        <SegmentPicker kind="contact" value={segmentId} onChange={setSegmentId} />
        {filter && <span class="badge">Smart search filter applied</span>}
      </div>
      {notice && <Notice kind={notice.failed ? 'error' : 'success'}>{notice.message}</Notice>}
      {(selected.size > 0 || allMatching) && (
        <BulkBar
          kind="contact"
          selected={selected}
          rowLabel={(c) => c.email}
          list={{ params, state: listState }}
          allMatching={allMatching}
          onAllMatching={setAllMatching}
          groups={groups.data ?? []}
          onDone={done}
          onClear={() => {
            setSelected(new Map())
            setAllMatching(false)
          }}
          onExport={() =>
            allMatching
              ? exportCsv(
                  api,
                  '/api/contacts/export.csv',
                  { ...params, ...(listState?.q ? { q: listState.q } : {}) },
                  undefined,
                  'signet-contacts.csv',
                )
              : downloadCsv(
                  'signet-contacts-selected.csv',
                  contactCsvHeader,
                  [...selected.values()].map(contactCsvRow),
                )
          }
        >
          {(run, errors) => (
            <>
              <BulkLabel run={run} error={errors.label} />
              <BulkStatus run={run} />
            </>
          )}
        </BulkBar>
      )}
      <DataTable
        id="contacts"
        label="Contacts"
        source={source}
        columns={columns}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ 'data-contact': c.email })}
        defaultSort={{ sort: 'created', order: 'desc' }}
        searchPlaceholder="Email, name, phone, company or domain"
        reloadKey={version}
        filterKey={filterKey}
        selection={{ selected, onChange: setSelected, rowLabel: (c) => c.email }}
        onLoaded={setListState}
        empty={(q) =>
          q || filterKey !== '{}' ? (
            <Empty title="No contact matches.">
              <p>Change the search or the filters.</p>
            </Empty>
          ) : (
            <Empty title="No contacts yet.">
              <p>
                Add one above, or <Link href="/imports/new?kind=contacts">import a CSV file</Link>.
              </p>
            </Empty>
          )
        }
        onExport={(request) =>
          exportCsv(api, '/api/contacts/export.csv', params, request, 'signet-contacts.csv')
        }
      />
    </section>
  )
}

/** Adds a label to, or removes it from, the selected contacts (their other labels stay). */
function BulkLabel(props: { run: RunBulk; error: string | undefined }) {
  const [label, setLabel] = useState('')
  const send = (action: 'add-label' | 'remove-label') =>
    props.run({ action, label }, (c, n) => {
      const name = `“${label.trim()}”`
      setLabel('')
      return action === 'add-label'
        ? `Labelled ${n(c.changed)} ${name}${rest(c, (k) => `${k} already had it`)}.`
        : `Removed ${name} from ${n(c.changed)}${rest(c, (k) => `${k} did not have it`)}.`
    })
  return (
    <span class="bulk-part">
      <label for="contacts-bulk-label">Label</label>
      <input
        id="contacts-bulk-label"
        value={label}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? 'contacts-bulk-label-error' : undefined}
        onInput={(e) => setLabel(e.currentTarget.value)}
      />
      <button type="button" class="button" onClick={() => send('add-label')}>
        Add label
      </button>
      <button type="button" class="button button-quiet" onClick={() => send('remove-label')}>
        Remove label
      </button>
      {props.error && (
        <span class="field-error" id="contacts-bulk-label-error" data-field="bulk-label">
          {props.error}
        </span>
      )}
    </span>
  )
}

const statusActions: { action: ContactAction; name: string; done: string }[] = [
  { action: 'unsubscribe', name: 'Unsubscribe', done: 'unsubscribed' },
  { action: 'blacklist', name: 'Blacklist', done: 'blacklisted' },
  { action: 'remove-spam-report', name: 'Remove spam report', done: 'cleared of their spam report' },
  { action: 'reactivate', name: 'Reactivate', done: 'reactivated' },
  { action: 'opt-out', name: 'Opt out of tracking', done: 'opted out of tracking' },
]

/** A one-click status action on every selected contact, by the same rules as on one. */
function BulkStatus(props: { run: RunBulk }) {
  const [choice, setChoice] = useState<ContactAction>('unsubscribe')
  const chosen = statusActions.find((a) => a.action === choice)!
  return (
    <span class="bulk-part">
      <label for="contacts-bulk-status">Status action</label>
      <select
        id="contacts-bulk-status"
        value={choice}
        onChange={(e) => setChoice(e.currentTarget.value as ContactAction)}
      >
        {statusActions.map((a) => (
          <option key={a.action} value={a.action}>
            {a.name}
          </option>
        ))}
      </select>
      <button
        type="button"
        class="button"
        onClick={() =>
          props.run(
            { action: choice, reason: 'bulk action' },
            (c, n) =>
              `${n(c.changed)} ${c.changed === 1 ? 'is' : 'are'} now ${chosen.done}${rest(c, (k) => `${k} left as they were (the action does not apply to their status)`)}.`,
            choice === 'blacklist' ? 'Blacklist the selected contacts?' : undefined,
          )
        }
      >
        Apply
      </button>
    </span>
  )
}
