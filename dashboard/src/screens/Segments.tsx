import type { Account } from '@signet/shared/accounts'
import type { Contact } from '@signet/shared/contacts'
import {
  CreateSegmentSchema,
  type FilterGroup,
  type Segment,
  UpdateSegmentSchema,
} from '@signet/shared/segments'
import { useMemo, useState } from 'preact/hooks'
import { ApiRequestError } from '../api.ts'
import { Link, navigate, splitRoute, useRoute } from '../router.tsx'
import { useSession } from '../session.tsx'
import { DataTable } from '../ui/DataTable.tsx'
import { FormError, SelectField, SubmitButton, TextField, useForm } from '../ui/form.tsx'
import { arraySource, endpointSource } from '../ui/sources.ts'
import { Empty, ErrorState, Loading, Notice } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'
import { countOf, date, exportCsv, isEstimate, loadGroups, plural } from './targets/common.tsx'
import { emptyFilter, FilterBuilder, type FilterError } from './targets/FilterBuilder.tsx'
import { filterErrorOf } from './targets/SmartSearch.tsx'

/** `/segments`: saved filters with their live counts; `/segments/:id`: one, editable, with its matches. */
export default function Segments() {
  const id = splitRoute(useRoute()).path.split('/')[2]
  return id ? <SegmentDetail id={id} /> : <SegmentList />
}

function SegmentList() {
  const { api } = useSession()
  const source = useMemo(
    () =>
      arraySource<Segment>(
        async (q) =>
          (await api.get<Segment[]>('/api/segments')).filter((s) =>
            s.name.toLowerCase().includes(q.toLowerCase()),
          ),
        (s, sort) => (sort === 'count' ? s.count : sort === 'updated' ? s.updatedAt : s.name.toLowerCase()),
      ),
    [api],
  )
  return (
    <section aria-labelledby="segments-title">
      <h1 id="segments-title">Segments</h1>
      <p class="muted">
        Saved filters over contacts or accounts, always counted live. A segment can define a dynamic target
        group. Build one here or from the smart search of the Contacts and Accounts lists.
      </p>
      <SegmentForm />
      <DataTable
        id="segments"
        label="Segments"
        source={source}
        columns={[
          { label: 'Name', sort: 'name', render: (s) => <Link href={`/segments/${s.id}`}>{s.name}</Link> },
          { label: 'Of', render: (s) => (s.kind === 'contact' ? 'Contacts' : 'Accounts') },
          { label: 'Matches now', sort: 'count', render: (s) => countOf(s) },
          { label: 'Updated', sort: 'updated', render: (s) => date(s.updatedAt) },
        ]}
        rowKey={(s) => s.id}
        rowProps={(s) => ({ 'data-segment': s.name })}
        defaultSort={{ sort: 'name', order: 'asc' }}
        searchPlaceholder="Segment name"
        empty={(q) => (
          <Empty title={q ? `No segment matches “${q}”.` : 'No segments yet.'}>
            <p>{q ? 'Try another name.' : 'Build a filter above and save it.'}</p>
          </Empty>
        )}
      />
    </section>
  )
}

/** A new segment (no `segment`) or an existing one's name and filter. */
function SegmentForm(props: { segment?: Segment; onSaved?: (s: Segment) => void }) {
  const { api } = useSession()
  const { segment } = props
  const groups = useLoad(() => loadGroups(api), [api])
  const [filter, setFilter] = useState<FilterGroup>(segment?.filter ?? emptyFilter())
  const [filterError, setFilterError] = useState<FilterError>()
  const [saved, setSaved] = useState(false)
  const form = useForm({
    id: segment ? 'segment' : 'new-segment',
    initial: { name: segment?.name ?? '', kind: segment?.kind ?? 'contact' },
    schema: segment ? UpdateSegmentSchema : CreateSegmentSchema,
    toInput: (v) => (segment ? { name: v.name, filter } : { ...v, filter }),
    submit: async (input) => {
      setSaved(false)
      try {
        const result = segment
          ? await api.request<Segment>('PATCH', `/api/segments/${segment.id}`, input)
          : await api.request<Segment>('POST', '/api/segments', input)
        if (segment) {
          setSaved(true)
          props.onSaved?.(result)
        } else navigate(`/segments/${result.id}`)
      } catch (e) {
        if (e instanceof ApiRequestError && e.field?.startsWith('filter'))
          return setFilterError(filterErrorOf(e.field, e.message))
        throw e
      }
    },
  })
  const kind = (segment?.kind ?? form.values.kind) as 'account' | 'contact'
  return (
    <form
      class="card"
      noValidate
      aria-labelledby={`${form.id}-title`}
      onSubmit={(e) => {
        setFilterError(undefined)
        return form.onSubmit(e)
      }}
    >
      <h2 id={`${form.id}-title`}>{segment ? 'Name and filter' : 'New segment'}</h2>
      <div class="grid">
        <TextField form={form} name="name" label="Name" />
        {!segment && (
          <SelectField
            form={form}
            name="kind"
            label="Of"
            options={[
              { value: 'contact', label: 'Contacts' },
              { value: 'account', label: 'Accounts' },
            ]}
          />
        )}
      </div>
      <FilterBuilder
        key={kind}
        kind={kind}
        value={filter}
        groups={groups.data ?? []}
        error={filterError}
        onChange={(next) => {
          setFilter(next)
          setFilterError(undefined)
          setSaved(false)
        }}
      />
      {/* The schema's errors inside the filter come back as a form error on "filter…": show them at the condition. */}
      {form.formError && !filterError ? <FormError form={form} /> : null}
      <SubmitButton form={form}>{segment ? 'Save segment' : 'Save segment'}</SubmitButton>
      {saved && <Notice>Segment saved.</Notice>}
    </form>
  )
}

function SegmentDetail(props: { id: string }) {
  const { api } = useSession()
  const segment = useLoad(() => api.get<Segment>(`/api/segments/${props.id}`), [api, props.id])
  const [version, setVersion] = useState(0)
  const [notice, setNotice] = useState<string>()
  const data = segment.data
  const path = data?.kind === 'account' ? '/api/accounts' : '/api/contacts'
  const source = useMemo(
    () => endpointSource<Account | Contact>(api, path, { segmentId: props.id }),
    [api, path, props.id],
  )
  if (segment.error) return <ErrorState message={segment.error} onRetry={segment.reload} />
  if (!data) return <Loading label="Loading the segment…" />
  const isContacts = data.kind === 'contact'
  return (
    <section aria-labelledby="segment-title">
      <p>
        <Link href="/segments">← Segments</Link>
      </p>
      <h1 id="segment-title">{data.name}</h1>
      <p class="muted">
        {plural(data.count, data.kind, isEstimate(data))} match now.{' '}
        <button
          type="button"
          class="button button-danger"
          onClick={async () => {
            if (!confirm(`Delete the segment “${data.name}”?`)) return
            try {
              await api.request('DELETE', `/api/segments/${data.id}`)
              navigate('/segments')
            } catch (e) {
              setNotice((e as Error).message)
            }
          }}
        >
          Delete segment
        </button>
      </p>
      {notice && <Notice kind="error">{notice}</Notice>}
      <SegmentForm
        key={data.id}
        segment={data}
        onSaved={(s) => {
          segment.setData(s)
          setVersion((v) => v + 1)
        }}
      />
      <h2>Matches</h2>
      <DataTable<Account | Contact>
        id="segment-matches"
        label={`Matches of ${data.name}`}
        source={source}
        columns={[
          {
            label: isContacts ? 'Email' : 'Domain',
            render: (r) =>
              'email' in r ? (
                <Link href={`/contacts/${r.id}`}>{r.email}</Link>
              ) : (
                <Link href={`/accounts/${r.id}`}>{r.domainDisplay}</Link>
              ),
          },
          { label: 'Created', sort: 'created', render: (r) => date(r.createdAt) },
        ]}
        rowKey={(r) => r.id}
        defaultSort={{ sort: 'created', order: 'desc' }}
        reloadKey={version}
        empty={() => (
          <Empty title="Nothing matches this segment now.">
            <p>Loosen the filter above; the count follows your data live.</p>
          </Empty>
        )}
        onExport={(request) =>
          exportCsv(
            api,
            `${path}/export.csv`,
            { segmentId: data.id },
            request,
            `signet-segment-${data.name}.csv`,
          )
        }
      />
    </section>
  )
}
