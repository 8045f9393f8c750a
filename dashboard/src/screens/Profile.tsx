import { useSession } from '../session.tsx'

const roleLabel = { admin: 'Admin', marketer: 'Marketer', employee: 'Employee' } as const

/** What every user sees first; for an employee it is the whole dashboard. */
export default function Profile() {
  const { me } = useSession()
  const { user, workspace } = me
  const name = [user.firstName, user.lastName].filter(Boolean).join(' ')
  return (
    <section aria-labelledby="profile-title">
      <h1 id="profile-title">My signature</h1>
      <dl class="facts">
        <dt>Name</dt>
        <dd>{name || <span class="muted">Not set — ask an admin to add your name.</span>}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{roleLabel[user.role]}</dd>
        <dt>Workspace</dt>
        <dd>{workspace.name}</dd>
        <dt>Status</dt>
        <dd>
          <span class={`badge badge-${user.status}`}>{user.status}</span>
        </dd>
        <dt>Last sign-in</dt>
        <dd>{user.lastSignInAt ? new Date(user.lastSignInAt).toLocaleString() : 'This is your first.'}</dd>
      </dl>
      <p class="muted">
        The Signet browser extension inserts your signature in Gmail and Outlook on the web; sign in there
        with the same email and password.
      </p>
    </section>
  )
}
