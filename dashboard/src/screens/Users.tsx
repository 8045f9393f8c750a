import type { Role, User } from '@signet/shared/users'
import { useState } from 'preact/hooks'
import { ApiRequestError } from '../api.ts'
import { useSession } from '../session.tsx'
import { Empty, ErrorState, Loading } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'
import { type Created, CreateUser } from './users/CreateUser.tsx'
import { displayName, InvitationNotice, roleNames } from './users/shared.tsx'

export default function Users() {
  const { api, me } = useSession()
  const [q, setQ] = useState('')
  const list = useLoad(
    () => api.get<User[]>(`/api/users${q.trim() ? `?q=${encodeURIComponent(q.trim())}` : ''}`),
    [q],
  )
  const [rowError, setRowError] = useState<{ id: string; message: string }>()
  const [invited, setInvited] = useState<Created>()

  const act = async (user: User, action: () => Promise<unknown>) => {
    setRowError(undefined)
    try {
      await action()
      await list.reload()
    } catch (error) {
      setRowError({ id: user.id, message: error instanceof ApiRequestError ? error.message : String(error) })
    }
  }
  const patch = (user: User, body: { role?: Role; disabled?: boolean }) =>
    act(user, () => api.request('PATCH', `/api/users/${user.id}`, body))

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <p class="muted">People who can sign in to this workspace, and what they may do.</p>
      <CreateUser onCreated={() => list.reload()} />
      <div class="toolbar">
        <label for="users-search">Search</label>
        <input
          id="users-search"
          type="search"
          placeholder="Name or email"
          value={q}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
      </div>
      {invited && (
        <InvitationNotice
          user={invited.user}
          invitation={invited.invitation}
          onClose={() => setInvited(undefined)}
        />
      )}
      {list.error ? (
        <ErrorState message={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading label="Loading users…" />
      ) : list.data.length === 0 ? (
        <Empty title={q ? `No user matches “${q}”.` : 'No users yet.'}>
          <p>{q ? 'Try another name or email.' : 'Add the first one with the form above.'}</p>
        </Empty>
      ) : (
        <table class="table" aria-busy={list.loading}>
          <caption class="visually-hidden">Users</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((user) => (
              <tr key={user.id} data-user={user.email}>
                <td>
                  <strong>{displayName(user)}</strong>
                  {displayName(user) !== user.email && <div class="muted">{user.email}</div>}
                  {rowError?.id === user.id && (
                    <p class="field-error" role="alert">
                      {rowError.message}
                    </p>
                  )}
                </td>
                <td>
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
                </td>
                <td>
                  <span class={`badge badge-${user.status}`}>{user.status}</span>
                </td>
                <td>{user.lastSignInAt ? new Date(user.lastSignInAt).toLocaleString() : '—'}</td>
                <td class="actions">
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
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
