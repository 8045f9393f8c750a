import type { Account } from '@signet/shared/accounts'
import type { Contact } from '@signet/shared/contacts'
import { useMemo, useState } from 'preact/hooks'
import { useSession } from '../session.tsx'
import { type Column, DataTable } from '../ui/DataTable.tsx'
import { endpointSource } from '../ui/sources.ts'
import { Empty, Notice } from '../ui/states.tsx'
import { date, dateTime, exportCsv, StatusFilter } from './targets/common.tsx'

type Kind = 'contacts' | 'accounts'
type Row = Contact | Account
const nameOf = (r: Row) => ('email' in r ? r.email : r.domainDisplay)

/** Soft-deleted contacts and accounts: restore them, or erase them for good. */
export default function Deleted() {
  const { api } = useSession()
  const [kind, setKind] = useState<Kind>('contacts')
  const [version, setVersion] = useState(0)
  const [notice, setNotice] = useState<{ message: string; failed?: boolean }>()
  // Deleted contacts by status too: the deleted spam reports, say.
  const [status, setStatus] = useState('')
  const params = useMemo(
    (): Record<string, string> => (kind === 'contacts' && status ? { status } : {}),
    [kind, status],
  )
  const source = useMemo(() => endpointSource<Row>(api, `/api/${kind}/deleted`, params), [api, kind, params])

  const act = async (row: Row, action: 'restore' | 'erase') => {
    const name = nameOf(row)
    if (
      action === 'erase' &&
      !confirm(
        `Erase ${name} for good? Its personal data goes and cannot come back; statistics stay anonymous.`,
      )
    )
      return
    try {
      await api.request('POST', `/api/${kind}/${row.id}/${action}`)
      setNotice({ message: action === 'restore' ? `${name} is restored.` : `${name} is erased.` })
      setVersion((v) => v + 1)
    } catch (e) {
      setNotice({ message: `${name}: ${(e as Error).message}`, failed: true })
    }
  }

  const columns: Column<Row>[] = [
    { label: kind === 'contacts' ? 'Email' : 'Domain', render: (r) => nameOf(r) },
    { label: 'Reason', render: (r) => r.deletedReason || '—' },
    { label: 'Deleted', sort: 'deleted', render: (r) => dateTime(r.deletedAt) },
    { label: 'Created', sort: 'created', render: (r) => date(r.createdAt) },
    {
      label: 'Actions',
      class: 'actions',
      render: (r) => (
        <div class="row-actions">
          <button
            type="button"
            class="button"
            aria-label={`Restore ${nameOf(r)}`}
            onClick={() => act(r, 'restore')}
          >
            Restore
          </button>
          <button
            type="button"
            class="button button-danger"
            aria-label={`Erase ${nameOf(r)}`}
            onClick={() => act(r, 'erase')}
          >
            Erase
          </button>
        </div>
      ),
    },
  ]

  return (
    <section aria-labelledby="deleted-title">
      <h1 id="deleted-title">Deleted</h1>
      <p class="muted">
        Deleting keeps a record restorable here. Erasing is the separate, irreversible GDPR action.
      </p>
      <div class="tabs" role="tablist" aria-label="Deleted">
        {(['contacts', 'accounts'] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            class="button"
            aria-selected={kind === k}
            onClick={() => {
              setKind(k)
              setNotice(undefined)
            }}
          >
            {k === 'contacts' ? 'Contacts' : 'Accounts'}
          </button>
        ))}
      </div>
      {notice && <Notice kind={notice.failed ? 'error' : 'success'}>{notice.message}</Notice>}
      {kind === 'contacts' && (
        <div class="filters">
          <StatusFilter id="deleted-status" value={status} onChange={setStatus} deleted version={version} />
        </div>
      )}
      <DataTable
        key={`${kind}-${status}`}
        id="deleted"
        label={`Deleted ${kind}`}
        source={source}
        columns={columns}
        rowKey={(r) => r.id}
        rowProps={(r) => ({ 'data-deleted': nameOf(r) })}
        defaultSort={{ sort: 'deleted', order: 'desc' }}
        searchPlaceholder={kind === 'contacts' ? 'Email or name' : 'Domain or company'}
        reloadKey={version}
        empty={(q) => (
          <Empty title={q ? 'Nothing deleted matches.' : `No deleted ${kind}.`}>
            <p>
              {q
                ? 'Try another search.'
                : `${kind === 'contacts' ? 'Contacts' : 'Accounts'} you delete appear here.`}
            </p>
          </Empty>
        )}
        onExport={(request) =>
          exportCsv(api, `/api/${kind}/deleted/export.csv`, params, request, `signet-deleted-${kind}.csv`)
        }
      />
    </section>
  )
}
