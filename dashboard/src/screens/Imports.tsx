import type { Import } from '@signet/shared/imports'
import { useEffect, useMemo, useState } from 'preact/hooks'
import { Link, splitRoute, useRoute } from '../router.tsx'
import { useSession } from '../session.tsx'
import { DataTable } from '../ui/DataTable.tsx'
import { arraySource } from '../ui/sources.ts'
import { Empty } from '../ui/states.tsx'
import { statusNames } from './imports/fields.ts'
import { Upload } from './imports/Upload.tsx'
import { Wizard } from './imports/Wizard.tsx'
import { dateTime, downloadCsv } from './targets/common.tsx'

type Listed = Omit<Import, 'preview'>

/** `/imports`: history and a new upload; `/imports/new`: upload; `/imports/:id`: the wizard. */
export default function Imports() {
  const { path, query } = splitRoute(useRoute())
  const id = path.split('/')[2]
  if (id === 'new')
    return (
      <section aria-labelledby="imports-title">
        <p>
          <Link href="/imports">← Imports</Link>
        </p>
        <h1 id="imports-title">New import</h1>
        <Upload query={query} />
      </section>
    )
  return id ? <Wizard id={id} /> : <History />
}

const running = (i: Listed) => i.status === 'checking' || i.status === 'applying'

/** A run under way as the history shows it: what runs, and how far it got. */
function runState(i: Listed) {
  const what = i.status === 'checking' ? 'Dry run' : 'Applying'
  const p = i.progress
  if (!p) return `${what}…`
  if (p.phase !== 'reading') return `${what}: ${p.rows.toLocaleString()} rows read, writing…`
  return `${what}: ${p.rows.toLocaleString()} rows read${p.percent === null ? '' : ` (${p.percent} %)`}`
}

const csvHeader = [
  'created_at',
  'created_by',
  'applied_at',
  'undone_at',
  'file_name',
  'kind',
  'source',
  'mode',
  'status',
  'counted_by',
  'rows',
  'new',
  'updated',
  'unchanged',
  'invalid',
  'duplicates',
  'deleted',
  'restored',
  'skipped',
  'error',
]

/** One import of the history: its counts are those of its last dry run or of its apply. */
const csvRow = (i: Listed) => {
  const r = i.report
  return [
    i.createdAt,
    i.createdBy?.name,
    i.appliedAt,
    i.undoneAt,
    i.fileName,
    i.kind,
    i.source,
    i.mode,
    i.status,
    r ? (r.dryRun ? 'dry_run' : 'apply') : '',
    r?.total,
    r?.new,
    r?.updated,
    r?.unchanged,
    r?.invalid,
    r?.duplicates,
    r?.deleted,
    r?.restored,
    r?.skipped,
    i.error,
  ]
}

function History() {
  const { api } = useSession()
  // While a run is under way the history reloads every second, so its progress and end show.
  const [underWay, setUnderWay] = useState(false)
  const [tick, setTick] = useState(0)
  useEffect(() => {
    if (!underWay) return
    const timer = setTimeout(() => setTick((n) => n + 1), 1000)
    return () => clearTimeout(timer)
  }, [underWay, tick])
  const source = useMemo(
    () =>
      arraySource<Listed>(
        async (q) => {
          const all = await api.get<Listed[]>('/api/imports')
          setUnderWay(all.some(running))
          return all.filter((i) => i.fileName.toLowerCase().includes(q.toLowerCase()))
        },
        (i, sort) => (sort === 'file' ? i.fileName.toLowerCase() : i.createdAt),
      ),
    [api],
  )
  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">Imports</h1>
      <p class="muted">CSV files of accounts or contacts: check them with a dry run, apply, undo.</p>
      <p>
        <Link class="button button-primary" href="/imports/new">
          New import
        </Link>
      </p>
      <DataTable
        id="imports"
        label="Import history"
        source={source}
        columns={[
          { label: 'File', sort: 'file', render: (i) => <Link href={`/imports/${i.id}`}>{i.fileName}</Link> },
          { label: 'Of', render: (i) => i.kind },
          {
            label: 'Status',
            render: (i) => (
              <span class="badge" data-status={i.status}>
                {statusNames[i.status]}
              </span>
            ),
          },
          {
            label: 'Result',
            render: (i) =>
              running(i)
                ? runState(i)
                : i.report
                  ? `${i.report.new} new, ${i.report.updated} updated, ${i.report.invalid} invalid${i.report.dryRun ? ' (dry run)' : ''}`
                  : '—',
          },
          { label: 'Uploaded', sort: 'created', render: (i) => dateTime(i.createdAt) },
          {
            label: 'By',
            render: (i) => i.createdBy?.name ?? (i.source === 'hubspot' ? 'HubSpot synchronisation' : '—'),
          },
        ]}
        rowKey={(i) => i.id}
        reloadKey={tick}
        defaultSort={{ sort: 'created', order: 'desc' }}
        searchPlaceholder="File name"
        onExport={async (request) => {
          // Through the source: the search and the sort of the list, every row.
          const { items } = await source({ ...request, cursor: null, limit: Number.MAX_SAFE_INTEGER })
          downloadCsv('signet-imports.csv', csvHeader, items.map(csvRow))
        }}
        empty={(q) => (
          <Empty title={q ? `No import matches “${q}”.` : 'No imports yet.'}>
            <p>{q ? 'Try another file name.' : 'Start one with “New import”.'}</p>
          </Empty>
        )}
      />
    </section>
  )
}
