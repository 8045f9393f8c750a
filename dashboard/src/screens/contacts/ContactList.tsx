import type { Contact } from '@signet/shared/contacts'
import type { FilterGroup } from '@signet/shared/segments'
import { useEffect, useMemo, useState } from 'preact/hooks'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { type Column, DataTable, type ListState } from '../../ui/DataTable.tsx'
import { endpointSource } from '../../ui/sources.ts'
import { Empty, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { BulkBar, type BulkResult } from '../targets/BulkBar.tsx'
import { date, downloadCsv, exportCsv, loadGroups, StatusFilter, statusNames } from '../targets/common.tsx'
import { SegmentPicker } from '../targets/SegmentPicker.tsx'
import { SmartSearch } from '../targets/SmartSearch.tsx'
import { ContactActions, StatusBadge } from './actions.tsx'
import { BulkConsent, BulkLabel, BulkStatus } from './BulkParts.tsx'
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
        <StatusFilter id="contacts-status" value={status} onChange={setStatus} version={version} />
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
              <BulkStatus run={run} error={errors.reason} />
              <BulkConsent run={run} errors={errors} />
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
