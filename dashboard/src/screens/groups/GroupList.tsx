import type { Segment } from '@signet/shared/segments'
import { CreateTargetGroupSchema, type TargetGroup } from '@signet/shared/target-groups'
import { useMemo } from 'preact/hooks'
import { Link, navigate } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { type Column, DataTable } from '../../ui/DataTable.tsx'
import { FormError, SelectField, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { arraySource } from '../../ui/sources.ts'
import { Empty } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { date, downloadCsv } from '../targets/common.tsx'

const sortValue = (g: TargetGroup, sort: string) =>
  sort === 'members' ? g.memberCount : sort === 'updated' ? g.updatedAt : g.name.toLowerCase()

export function GroupList() {
  const { api } = useSession()
  const segments = useLoad(() => api.get<Segment[]>('/api/segments'), [api])
  const segmentName = (id: string | null) => segments.data?.find((s) => s.id === id)?.name
  const load = (q: string) =>
    api
      .get<TargetGroup[]>('/api/target-groups')
      .then((groups) => groups.filter((g) => g.name.toLowerCase().includes(q.toLowerCase())))
  const source = useMemo(() => arraySource(load, sortValue), [api])

  const columns: Column<TargetGroup>[] = [
    { label: 'Name', sort: 'name', render: (g) => <Link href={`/groups/${g.id}`}>{g.name}</Link> },
    { label: 'Of', render: (g) => (g.kind === 'account' ? 'Accounts' : 'Contacts') },
    {
      label: 'Membership',
      render: (g) => (g.segmentId ? `Dynamic: ${segmentName(g.segmentId) ?? 'segment'}` : 'Static'),
    },
    { label: 'Members', sort: 'members', class: 'num', render: (g) => g.memberCount.toLocaleString() },
    { label: 'Updated', sort: 'updated', render: (g) => date(g.updatedAt) },
  ]

  return (
    <section aria-labelledby="groups-title">
      <h1 id="groups-title">Target groups</h1>
      <p class="muted">
        Campaigns run for target groups. A static group holds the accounts or contacts you add; a dynamic
        group is whatever its segment matches now.
      </p>
      <CreateGroup segments={segments.data ?? []} />
      <DataTable
        id="groups"
        label="Target groups"
        source={source}
        columns={columns}
        rowKey={(g) => g.id}
        rowProps={(g) => ({ 'data-group': g.name })}
        defaultSort={{ sort: 'name', order: 'asc' }}
        searchPlaceholder="Group name"
        empty={(q) => (
          <Empty title={q ? `No group matches “${q}”.` : 'No target groups yet.'}>
            <p>
              {q
                ? 'Try another name.'
                : 'Create the first one above, then add members or import a CSV into it.'}
            </p>
          </Empty>
        )}
        onExport={async ({ q }) => {
          const groups = await load(q)
          downloadCsv(
            'signet-target-groups.csv',
            ['name', 'kind', 'dynamic_segment', 'members', 'created_at'],
            groups.map((g) => [g.name, g.kind, segmentName(g.segmentId) ?? '', g.memberCount, g.createdAt]),
          )
        }}
      />
    </section>
  )
}

function CreateGroup(props: { segments: Segment[] }) {
  const { api } = useSession()
  const form = useForm({
    id: 'new-group',
    initial: { name: '', kind: 'contact', segmentId: '' },
    schema: CreateTargetGroupSchema,
    toInput: (v) => ({ ...v, segmentId: v.segmentId || null }),
    submit: async (input) => {
      const group = await api.request<TargetGroup>('POST', '/api/target-groups', input)
      navigate(`/groups/${group.id}`)
    },
  })
  const own = props.segments.filter((s) => s.kind === form.values.kind)
  return (
    <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="new-group-title">
      <h2 id="new-group-title">New target group</h2>
      <div class="grid">
        <TextField form={form} name="name" label="Name" placeholder="Key accounts" />
        <SelectField
          form={form}
          name="kind"
          label="Members are"
          options={[
            { value: 'contact', label: 'Contacts (people)' },
            { value: 'account', label: 'Accounts (companies)' },
          ]}
        />
        <SelectField
          form={form}
          name="segmentId"
          label="Membership"
          hint="Dynamic groups follow a saved segment; create segments under Segments."
          options={[
            { value: '', label: 'Static — members added by hand or by CSV' },
            ...own.map((s) => ({ value: s.id, label: `Dynamic — segment “${s.name}”` })),
          ]}
        />
      </div>
      <FormError form={form} />
      <SubmitButton form={form}>Create group</SubmitButton>
    </form>
  )
}
