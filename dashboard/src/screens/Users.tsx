import type { Role, User } from '@signet/shared/users'
import { useMemo, useState } from 'preact/hooks'
import { ApiRequestError } from '../api.ts'
import { useSession } from '../session.tsx'
import { saveFile, toCsv } from '../ui/csv.ts'
import { type Column, DataTable } from '../ui/DataTable.tsx'
import { arraySource } from '../ui/sources.ts'
import { Empty } from '../ui/states.tsx'
import { type Created, CreateUser } from './users/CreateUser.tsx'
import { displayName, InvitationNotice, roleNames } from './users/shared.tsx'

const sortValue = (user: User, sort: string): string | number =>
  sort === 'name'
    ? displayName(user).toLowerCase()
    : sort === 'role'
      ? user.role
      : sort === 'status'
        ? user.status
        : (user.lastSignInAt ?? '')

export default function Users() {
  const { api, me } = useSession()
  const [version, setVersion] = useState(0)
  const reload = () => setVersion((v) => v + 1)
  const [rowError, setRowError] = useState<{ id: string; message: string }>()
  const [invited, setInvited] = useState<Created>()
  const load = (q: string) => api.get<User[]>(`/api/users${q ? `?q=${encodeURIComponent(q)}` : ''}`)
  const source = useMemo(() => arraySource(load, sortValue), [api])

  const act = async (user: User, action: () => Promise<unknown>) => {
    setRowError(undefined)
    try {
      await action()
      reload()
    } catch (error) {
      setRowError({ id: user.id, message: error instanceof ApiRequestError ? error.message : String(error) })
    }
  }
  const patch = (user: User, body: { role?: Role; disabled?: boolean }) =>
    act(user, () => api.request('PATCH', `/api/users/${user.id}`, body))

  const columns: Column<User>[] = [
    {
      label: 'Name',
      sort: 'name',
      render: (user) => (
        <>
          <strong>{displayName(user)}</strong>
          {displayName(user) !== user.email && <div class="muted">{user.email}</div>}
          {rowError?.id === user.id && (
            <p class="field-error" role="alert">
              {rowError.message}
            </p>
          )}
        </>
      ),
    },
    {
      label: 'Role',
      sort: 'role',
      render: (user) => (
        <select
          aria-label={`Role of ${user.email}`}
          value={user.role}
          onChange={(e) => patch(user, { role: e.currentTarget.value as Role })}
        >
          {(['employee', 'marketer', 'admin'] as const).map((r) => (
            <option key={r} value={r}>
              {roleNames[r]}
            </option>
          ))}
        </select>
      ),
    },
    {
      label: 'Status',
      sort: 'status',
      render: (user) => <span class={`badge badge-${user.status}`}>{user.status}</span>,
    },
    {
      label: 'Last sign-in',
      sort: 'lastSignIn',
      render: (user) => (user.lastSignInAt ? new Date(user.lastSignInAt).toLocaleString() : '—'),
    },
    {
      label: 'Actions',
      class: 'actions',
      render: (user) => (
        <>
          {user.status === 'invited' && (
            <button
              type="button"
              class="button button-quiet"
              onClick={() =>
                act(user, async () =>
                  setInvited(await api.request<Created>('POST', `/api/users/${user.id}/invitation`)),
                )
              }
            >
              Re-invite
            </button>
          )}
          {user.id !== me.user.id && (
            <>
              <button
                type="button"
                class="button button-quiet"
                onClick={() => patch(user, { disabled: user.status !== 'disabled' })}
              >
                {user.status === 'disabled' ? 'Enable' : 'Disable'}
              </button>
              <button
                type="button"
                class="button button-danger"
                aria-label={`Delete ${user.email}`}
                onClick={() =>
                  confirm(`Delete ${user.email}? They can no longer sign in.`) &&
                  act(user, () => api.request('DELETE', `/api/users/${user.id}`))
                }
              >
                Delete
              </button>
            </>
          )}
        </>
      ),
    },
  ]

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <p class="muted">People who can sign in to this workspace, and what they may do.</p>
      <CreateUser onCreated={reload} />
      {invited && (
        <InvitationNotice
          user={invited.user}
          invitation={invited.invitation}
          onClose={() => setInvited(undefined)}
        />
      )}
      <DataTable
        id="users"
        label="Users"
        source={source}
        columns={columns}
        rowKey={(user) => user.id}
        rowProps={(user) => ({ 'data-user': user.email })}
        defaultSort={{ sort: 'name', order: 'asc' }}
        pageSize={25}
        searchPlaceholder="Name or email"
        reloadKey={version}
        empty={(q) => (
          <Empty title={q ? `No user matches “${q}”.` : 'No users yet.'}>
            <p>{q ? 'Try another name or email.' : 'Add the first one with the form above.'}</p>
          </Empty>
        )}
        onExport={async ({ q }) => {
          const users = await load(q)
          const rows = users.map((u) => [
            u.email,
            u.firstName,
            u.lastName,
            u.role,
            u.status,
            u.lastSignInAt,
            u.createdAt,
          ])
          const header = [
            'email',
            'first_name',
            'last_name',
            'role',
            'status',
            'last_sign_in_at',
            'created_at',
          ]
          saveFile('signet-users.csv', new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }))
        }}
      />
    </section>
  )
}
