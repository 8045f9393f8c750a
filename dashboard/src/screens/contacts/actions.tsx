import type { Contact, ContactAction } from '@signet/shared/contacts'
import { useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'
import { confirmWithReason } from '../../ui/confirm.ts'

const actionNames: Record<ContactAction, string> = {
  blacklist: 'Blacklist',
  unsubscribe: 'Unsubscribe',
  'remove-spam-report': 'Remove spam report',
  'opt-out': 'Opt out of tracking',
  reactivate: 'Reactivate',
}

/** The one-click actions that make sense for this contact now; the API decides what is allowed. */
function actionsFor(c: Contact): ContactAction[] {
  const list: ContactAction[] = []
  if (c.status !== 'blacklisted') list.push('blacklist')
  if (c.status === 'active' || c.status === 'not_confirmed') list.push('unsubscribe')
  if (c.status === 'spam_report') list.push('remove-spam-report')
  // Only the recipient undoes an unsubscribe; a spam report has its own action.
  if (c.status === 'blacklisted' || c.status === 'hard_bounce' || c.status === 'not_confirmed')
    list.push('reactivate')
  if (!c.trackingOptOutAt) list.push('opt-out')
  return list
}

export function ContactActions(props: {
  contact: Contact
  onDone: (contact: Contact) => void
  onError: (message: string) => void
  /**
   * Offer a field for the reason (the contact's page). Rows in a list have no room: a status
   * change there asks for its reason in a dialog, which also lets the user think again.
   */
  withReason?: boolean
}) {
  const { api } = useSession()
  const { contact } = props
  const [reason, setReason] = useState('')
  const run = async (action: ContactAction) => {
    let why = reason.trim()
    // Opting out of tracking changes no status, but its reason is kept in the history all the same.
    if (!props.withReason) {
      const answer = confirmWithReason(
        `${actionNames[action]} ${contact.email}?`,
        'kept in the contact’s status history',
      )
      if (answer === null) return
      why = answer
    }
    try {
      const body = why ? { reason: why } : {}
      props.onDone(await api.request<Contact>('POST', `/api/contacts/${contact.id}/actions/${action}`, body))
      setReason('')
    } catch (error) {
      props.onError(`${contact.email}: ${(error as Error).message}`)
    }
  }
  return (
    <div class="row-actions">
      {props.withReason && (
        <input
          type="text"
          aria-label="Reason for the status change"
          placeholder="Reason (optional)"
          maxLength={500}
          value={reason}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      )}
      {actionsFor(contact).map((action) => (
        <button
          key={action}
          type="button"
          class={`button ${action === 'blacklist' ? 'button-danger' : 'button-quiet'}`}
          aria-label={`${actionNames[action]}: ${contact.email}`}
          onClick={() => run(action)}
        >
          {actionNames[action]}
        </button>
      ))}
    </div>
  )
}

export function StatusBadge(props: { contact: Contact }) {
  const { contact } = props
  return (
    <>
      <span class={`badge badge-${contact.status}`}>{contact.status.replace('_', ' ')}</span>
      {contact.trackingOptOutAt && <span class="badge">opted out</span>}
    </>
  )
}
