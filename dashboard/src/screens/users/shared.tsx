import type { User } from '@signet/shared/users'
import { Notice } from '../../ui/states.tsx'

export const roleOptions = [
  { value: 'employee', label: 'Employee — uses the extension' },
  { value: 'marketer', label: 'Marketer — targets, campaigns, statistics' },
  { value: 'admin', label: 'Admin — everything, including users and settings' },
] as const

export const roleNames = { admin: 'Admin', marketer: 'Marketer', employee: 'Employee' } as const

export function displayName(user: User): string {
  return [user.firstName, user.lastName].filter(Boolean).join(' ') || user.email
}

/** The link that opens the dashboard's "choose your password" page with the invitation filled in. */
export function invitationLink(token: string): string {
  const here = new URL(location.href)
  here.hash = `/accept-invitation?token=${encodeURIComponent(token)}`
  return here.toString()
}

export function InvitationNotice(props: {
  user: User
  invitation: { token: string; expiresAt: string } | null
  onClose: () => void
}) {
  const { user, invitation } = props
  return (
    <Notice>
      {invitation ? (
        <>
          <p>
            <strong>{displayName(user)}</strong> is invited. Send them this link; it works once, until{' '}
            {new Date(invitation.expiresAt).toLocaleString()}, and is not shown again:
          </p>
          <p>
            <input
              class="copy"
              readOnly
              aria-label="Invitation link"
              value={invitationLink(invitation.token)}
              onFocus={(e) => e.currentTarget.select()}
            />
          </p>
        </>
      ) : (
        <p>
          <strong>{displayName(user)}</strong> can sign in now with the password you chose.
        </p>
      )}
      <button type="button" class="button button-quiet" onClick={props.onClose}>
        Done
      </button>
    </Notice>
  )
}
