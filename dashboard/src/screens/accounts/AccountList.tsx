import type { Account } from '@signet/shared/accounts'
import type { FilterGroup } from '@signet/shared/segments'
import { useEffect, useMemo, useState } from 'preact/hooks'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { type Column, DataTable, type ListState } from '../../ui/DataTable.tsx'
import { endpointSource } from '../../ui/sources.ts'
import { Empty, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { BulkBar, type BulkResult } from '../targets/BulkBar.tsx'
import { date, downloadCsv, exportCsv, loadGroups } from '../targets/common.tsx'
import { SegmentPicker } from '../targets/SegmentPicker.tsx'
import { SmartSearch } from '../targets/SmartSearch.tsx'
import { CreateAccount } from './CreateAccount.tsx'

export const accountCsvHeader = [
  'domain',
  'name',
  'industry',
  'size',
  'contact_person',
  'website',
  'aliases',
  'created_at',
]
export const accountCsvRow = (a: Account) => [
  a.domain,
  a.name,
  a.industry,
  a.size,
  a.contactPerson,
  a.website,
  a.aliases.map((x) => x.domain).join(', '),
  a.createdAt,
]

export function AccountList() {
  const { api } = useSession()
  const [segmentId, setSegmentId] = useState('')
  const [filter, setFilter] = useState<FilterGroup>()
  const [version, setVersion] = useState(0)
  const [selected, setSelected] = useState(new Map<string, Account>())
  const [allMatching, setAllMatching] = useState(false)
  const [listState, setListState] = useState<ListState>()
  const [notice, setNotice] = useState<BulkResult>()
  const groups = useLoad(() => loadGroups(api), [api, version])

  const params = useMemo(() => {
    const p: Record<string, string> = {}
    if (segmentId) p.segmentId = segmentId
    if (filter) p.filter = JSON.stringify(filter)
    return p
  }, [segmentId, filter])
  const filterKey = JSON.stringify(params)
  // "Every match" means the matches of the filters and search in force when it was chosen.
  useEffect(() => setAllMatching(false), [filterKey, listState?.q])
  const source = useMemo(() => endpointSource<Account>(api, '/api/accounts', params), [api, filterKey])
  const reload = () => setVersion((v) => v + 1)

  const columns: Column<Account>[] = [
    {
      label: 'Domain',
      render: (a) => (
        <>
          <Link href={`/accounts/${a.id}`}>{a.domainDisplay}</Link>
          {a.aliases.length > 0 && (
            <div class="muted">also {a.aliases.map((x) => x.domainDisplay).join(', ')}</div>
          )}
        </>
      ),
    },
    { label: 'Company', sort: 'name', render: (a) => a.name || '—' },
    { label: 'Industry', render: (a) => a.industry ?? '—' },
    { label: 'Created', sort: 'created', render: (a) => date(a.createdAt) },
    { label: 'Updated', sort: 'updated', render: (a) => date(a.updatedAt) },
  ]

  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">Accounts</h1>
      <p class="muted">Companies by domain. Every contact of the domain belongs to its account.</p>
      <details>
        <summary>Add an account</summary>
        <CreateAccount onCreated={reload} />
      </details>
      <details>
        <summary>Smart search and segments</summary>
        <SmartSearch kind="account" groups={groups.data ?? []} onApply={setFilter} />
      </details>
      <div class="filters">
        <SegmentPicker kind="account" value={segmentId} onChange={setSegmentId} />
        {filter && <span class="badge">Smart search filter applied</span>}
      </div>
      {notice && <Notice kind={notice.failed ? 'error' : 'success'}>{notice.message}</Notice>}
      {(selected.size > 0 || allMatching) && (
        <BulkBar
          kind="account"
          selected={selected}
          rowLabel={(a) => a.domainDisplay}
          list={{ params, state: listState }}
          allMatching={allMatching}
          onAllMatching={setAllMatching}
          groups={groups.data ?? []}
          onDone={(result) => {
            setNotice(result)
            if (!result.failed) {
              setSelected(new Map())
              setAllMatching(false)
            }
            reload()
          }}
          onClear={() => {
            setSelected(new Map())
            setAllMatching(false)
          }}
          onExport={() =>
            allMatching
              ? exportCsv(
                  api,
                  '/api/accounts/export.csv',
                  { ...params, ...(listState?.q ? { q: listState.q } : {}) },
                  undefined,
                  'signet-accounts.csv',
                )
              : downloadCsv(
                  'signet-accounts-selected.csv',
                  accountCsvHeader,
                  [...selected.values()].map(accountCsvRow),
                )
          }
        />
      )}
      <DataTable
        id="accounts"
        label="Accounts"
        source={source}
        columns={columns}
        rowKey={(a) => a.id}
        rowProps={(a) => ({ 'data-account': a.domain })}
        defaultSort={{ sort: 'created', order: 'desc' }}
        searchPlaceholder="Domain or company"
        reloadKey={version}
        filterKey={filterKey}
        selection={{ selected, onChange: setSelected, rowLabel: (a) => a.domainDisplay }}
        onLoaded={setListState}
        empty={(q) =>
          q || filterKey !== '{}' ? (
            <Empty title="No account matches.">
              <p>Change the search or the filters.</p>
            </Empty>
          ) : (
            <Empty title="No accounts yet.">
              <p>
                Add one above, or <Link href="/imports/new?kind=accounts">import a CSV file</Link>.
              </p>
            </Empty>
          )
        }
        onExport={(request) =>
          exportCsv(api, '/api/accounts/export.csv', params, request, 'signet-accounts.csv')
        }
      />
    </section>
  )
}
