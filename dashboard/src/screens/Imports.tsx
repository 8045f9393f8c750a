import type { Import } from '@signet/shared/imports'
import { useMemo } from 'preact/hooks'
import { Link, splitRoute, useRoute } from '../router.tsx'
import { useSession } from '../session.tsx'
import { DataTable } from '../ui/DataTable.tsx'
import { arraySource } from '../ui/sources.ts'
import { Empty } from '../ui/states.tsx'
import { statusNames } from './imports/fields.ts'
import { Upload } from './imports/Upload.tsx'
import { Wizard } from './imports/Wizard.tsx'
import { dateTime } from './targets/common.tsx'

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

function History() {
  const { api } = useSession()
  const source = useMemo(
    () =>
      arraySource<Listed>(
        async (q) =>
          (await api.get<Listed[]>('/api/imports')).filter((i) =>
            i.fileName.toLowerCase().includes(q.toLowerCase()),
          ),
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
          { label: 'Status', render: (i) => <span class="badge">{statusNames[i.status]}</span> },
          {
            label: 'Result',
            render: (i) =>
              i.report
                ? `${i.report.new} new, ${i.report.updated} updated, ${i.report.invalid} invalid${i.report.dryRun ? ' (dry run)' : ''}`
                : '—',
          },
          { label: 'Uploaded', sort: 'created', render: (i) => dateTime(i.createdAt) },
        ]}
        rowKey={(i) => i.id}
        defaultSort={{ sort: 'created', order: 'desc' }}
        searchPlaceholder="File name"
        empty={(q) => (
          <Empty title={q ? `No import matches “${q}”.` : 'No imports yet.'}>
            <p>{q ? 'Try another file name.' : 'Start one with “New import”.'}</p>
          </Empty>
        )}
      />
    </section>
  )
}
