import type { Account } from '@signet/shared/accounts'
import type { Contact } from '@signet/shared/contacts'
import type { Segment } from '@signet/shared/segments'
import { ChangeMembersSchema, type TargetGroup, UpdateTargetGroupSchema } from '@signet/shared/target-groups'
import { useMemo, useState } from 'preact/hooks'
import { Link, navigate } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { type Column, DataTable } from '../../ui/DataTable.tsx'
import { FormError, SelectField, SubmitButton, TextAreaField, TextField, useForm } from '../../ui/form.tsx'
import { endpointSource } from '../../ui/sources.ts'
import { Empty, ErrorState, Loading, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { StatusBadge } from '../contacts/actions.tsx'
import { displayName } from '../contacts/ContactList.tsx'
import { countOf, exportCsv, plural } from '../targets/common.tsx'
import { AddBySearch } from './AddBySearch.tsx'

type Member = Account | Contact
interface Campaign {
  id: string
  name: string
  state: string
  targetGroupIds: string[]
}

export function GroupDetail(props: { id: string }) {
  const { api } = useSession()
  const group = useLoad(() => api.get<TargetGroup>(`/api/target-groups/${props.id}`), [api, props.id])
  if (group.error) return <ErrorState message={group.error} onRetry={group.reload} />
  if (!group.data) return <Loading label="Loading the group…" />
  return <GroupPage key={group.data.id} group={group.data} reload={group.reload} />
}

function GroupPage(props: { group: TargetGroup; reload: () => Promise<void> }) {
  const { api } = useSession()
  const { group } = props
  const isContacts = group.kind === 'contact'
  const things = isContacts ? 'contact' : 'account'
  const [version, setVersion] = useState(0)
  const [notice, setNotice] = useState<{ message: string; failed?: boolean }>()
  const [selected, setSelected] = useState(new Map<string, Member>())
  const segments = useLoad(() => api.get<Segment[]>('/api/segments'), [api])
  const campaigns = useLoad(
    () =>
      api
        .get<Campaign[]>('/api/campaigns')
        .then((all) => all.filter((c) => c.targetGroupIds.includes(group.id))),
    [api, group.id],
  )
  const changed = async (message: string) => {
    setNotice({ message })
    setSelected(new Map())
    setVersion((v) => v + 1)
    await props.reload()
  }
  const members = useMemo(
    () => endpointSource<Member>(api, `/api/target-groups/${group.id}/members`),
    [api, group.id],
  )

  const rename = useForm({
    id: 'group',
    initial: { name: group.name, segmentId: group.segmentId ?? '' },
    schema: UpdateTargetGroupSchema,
    toInput: (v) => (group.segmentId ? { name: v.name, segmentId: v.segmentId || null } : { name: v.name }),
    submit: async (input) => {
      await api.request('PATCH', `/api/target-groups/${group.id}`, input)
      await changed('Group saved.')
    },
  })

  const columns: Column<Member>[] = isContacts
    ? [
        {
          label: 'Email',
          render: (m) => <Link href={`/contacts/${m.id}`}>{(m as Contact).email}</Link>,
        },
        { label: 'Name', sort: 'name', render: (m) => displayName(m as Contact) || '—' },
        { label: 'Status', render: (m) => <StatusBadge contact={m as Contact} /> },
      ]
    : [
        {
          label: 'Domain',
          render: (m) => <Link href={`/accounts/${m.id}`}>{(m as Account).domainDisplay}</Link>,
        },
        { label: 'Company', sort: 'name', render: (m) => (m as Account).name || '—' },
      ]
  const label = (m: Member) => ('email' in m ? m.email : m.domainDisplay)

  return (
    <section aria-labelledby="group-title">
      <p>
        <Link href="/groups">← Target groups</Link>
      </p>
      <h1 id="group-title">{group.name}</h1>
      <p class="muted">
        {plural(group.memberCount, things)} ·{' '}
        {group.segmentId
          ? 'dynamic: whatever its segment matches now'
          : 'static: members added by hand or by CSV'}
      </p>
      {notice && <Notice kind={notice.failed ? 'error' : 'success'}>{notice.message}</Notice>}
      <div class="columns">
        <form class="card" onSubmit={rename.onSubmit} noValidate aria-labelledby="group-settings-title">
          <h2 id="group-settings-title">Settings</h2>
          <TextField form={rename} name="name" label="Name" />
          {group.segmentId && (
            <SelectField
              form={rename}
              name="segmentId"
              label="Segment"
              options={(segments.data ?? [])
                .filter((s) => s.kind === group.kind)
                .map((s) => ({ value: s.id, label: `${s.name} (${countOf(s)})` }))}
            />
          )}
          <FormError form={rename} />
          <SubmitButton form={rename}>Save group</SubmitButton>{' '}
          <button
            type="button"
            class="button button-danger"
            onClick={async () => {
              if (!confirm(`Delete the group “${group.name}”? Its ${things}s stay.`)) return
              try {
                await api.request('DELETE', `/api/target-groups/${group.id}`)
                navigate('/groups')
              } catch (e) {
                setNotice({ message: (e as Error).message, failed: true })
              }
            }}
          >
            Delete group
          </button>
        </form>
        <section class="card" aria-labelledby="campaigns-title">
          <h2 id="campaigns-title">Campaigns</h2>
          {campaigns.error ? (
            <ErrorState message={campaigns.error} onRetry={campaigns.reload} />
          ) : !campaigns.data ? (
            <Loading />
          ) : campaigns.data.length === 0 ? (
            <p class="muted">No campaign runs for this group yet. Assign it in a campaign’s audience.</p>
          ) : (
            <ul>
              {campaigns.data.map((c) => (
                <li key={c.id}>
                  {c.name} <span class="badge">{c.state}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      {group.segmentId ? (
        <p class="notice">
          Members of a dynamic group follow its segment:{' '}
          <Link href={`/segments/${group.segmentId}`}>change the segment</Link> to change them.
        </p>
      ) : (
        <div class="columns">
          <AddMembers group={group} onAdded={changed} />
          <section class="card" aria-labelledby="group-import-title">
            <h2 id="group-import-title">From a CSV file</h2>
            <p>
              <Link
                class="button"
                href={`/imports/new?kind=${group.kind}s&group=${group.id}`}
              >{`Import ${things}s into this group`}</Link>{' '}
              <Link
                class="button"
                href={`/imports/new?kind=${group.kind}s&group=${group.id}&mode=synchronise`}
              >
                Synchronise with a CSV
              </Link>
            </p>
            <p class="muted">
              Synchronising makes the members exactly the file’s rows: members not in the file leave the group
              (they are not deleted).
            </p>
          </section>
        </div>
      )}
      {selected.size > 0 && !group.segmentId && (
        <section class="bulk" aria-label="Actions on selected members">
          <strong>{selected.size} selected</strong>
          <button
            type="button"
            class="button button-danger"
            onClick={async () => {
              try {
                const r = await api.request<{ changed: number }>(
                  'POST',
                  `/api/target-groups/${group.id}/members/remove`,
                  {
                    ids: [...selected.keys()],
                  },
                )
                await changed(`Removed ${plural(r.changed, things)} from the group; they are not deleted.`)
              } catch (e) {
                setNotice({ message: (e as Error).message, failed: true })
              }
            }}
          >
            Remove from group
          </button>
          <button type="button" class="button button-quiet" onClick={() => setSelected(new Map())}>
            Clear selection
          </button>
        </section>
      )}
      <h2>Members</h2>
      <DataTable
        id="members"
        label={`Members of ${group.name}`}
        source={members}
        columns={columns}
        rowKey={(m) => m.id}
        rowProps={(m) => ({ 'data-member': label(m) })}
        defaultSort={{ sort: 'name', order: 'asc' }}
        searchPlaceholder={isContacts ? 'Email, name or company' : 'Domain or company'}
        reloadKey={version}
        selection={group.segmentId ? undefined : { selected, onChange: setSelected, rowLabel: label }}
        empty={(q) => (
          <Empty title={q ? 'No member matches.' : 'No members yet.'}>
            <p>
              {q
                ? 'Try another search.'
                : `Paste ${isContacts ? 'emails' : 'domains'} above or import a CSV file.`}
            </p>
          </Empty>
        )}
        onExport={(request) =>
          exportCsv(
            api,
            `/api/target-groups/${group.id}/members/export.csv`,
            {},
            request,
            'signet-group-members.csv',
          )
        }
      />
    </section>
  )
}

/** Pasted emails or domains, one per line (or comma-separated); unknown ones are created. */
function AddMembers(props: { group: TargetGroup; onAdded: (message: string) => Promise<void> }) {
  const { api } = useSession()
  const key = props.group.kind === 'contact' ? 'emails' : 'domains'
  const form = useForm<Record<string, string>, typeof ChangeMembersSchema>({
    id: 'add-members',
    initial: { [key]: '' },
    schema: ChangeMembersSchema,
    toInput: (v) => ({
      [key]: (v[key] ?? '')
        .split(/[\n,;]/)
        .map((x) => x.trim())
        .filter(Boolean),
    }),
    submit: async (_, input) => {
      const r = await api.request<{ changed: number; created: number }>(
        'POST',
        `/api/target-groups/${props.group.id}/members/add`,
        input,
      )
      form.reset({ [key]: '' })
      const thing = props.group.kind
      await props.onAdded(
        `Added ${plural(r.changed, thing)}${r.created ? ` (${plural(r.created, `new ${thing}`)} created)` : ''}.`,
      )
    },
  })
  return (
    <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="add-members-title">
      <h2 id="add-members-title">Add members</h2>
      <AddBySearch group={props.group} onAdded={props.onAdded} />
      <TextAreaField
        form={form}
        name={key}
        label={key === 'emails' ? 'Email addresses' : 'Domains'}
        rows={4}
        placeholder={
          key === 'emails' ? 'max@acme.com\nMax Muster <max@muster.de>' : 'acme.com\nhttps://www.muster.de'
        }
        hint={`One per line. Unknown ${key === 'emails' ? 'addresses become contacts' : 'domains become accounts'}.`}
      />
      <FormError form={form} />
      <SubmitButton form={form}>Add to group</SubmitButton>
    </form>
  )
}
