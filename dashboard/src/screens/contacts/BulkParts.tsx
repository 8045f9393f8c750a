import type { ContactAction } from '@signet/shared/contacts'
import { useState } from 'preact/hooks'
import { type RunBulk, rest } from '../targets/BulkBar.tsx'

/** The contact list's own parts of the bulk bar: labels, status actions, consent. */

/** Adds a label to, or removes it from, the selected contacts (their other labels stay). */
export function BulkLabel(props: { run: RunBulk; error: string | undefined }) {
  const [label, setLabel] = useState('')
  const send = (action: 'add-label' | 'remove-label') =>
    props.run({ action, label }, (c, n) => {
      const name = `“${label.trim()}”`
      setLabel('')
      return action === 'add-label'
        ? `Labelled ${n(c.changed)} ${name}${rest(c, (k) => `${k} already had it`)}.`
        : `Removed ${name} from ${n(c.changed)}${rest(c, (k) => `${k} did not have it`)}.`
    })
  return (
    <span class="bulk-part">
      <label for="contacts-bulk-label">Label</label>
      <input
        id="contacts-bulk-label"
        value={label}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? 'contacts-bulk-label-error' : undefined}
        onInput={(e) => setLabel(e.currentTarget.value)}
      />
      <button type="button" class="button" onClick={() => send('add-label')}>
        Add label
      </button>
      <button type="button" class="button button-quiet" onClick={() => send('remove-label')}>
        Remove label
      </button>
      {props.error && (
        <span class="field-error" id="contacts-bulk-label-error" data-field="bulk-label">
          {props.error}
        </span>
      )}
    </span>
  )
}

const statusActions: { action: ContactAction; name: string; done: string }[] = [
  { action: 'unsubscribe', name: 'Unsubscribe', done: 'unsubscribed' },
  { action: 'blacklist', name: 'Blacklist', done: 'blacklisted' },
  { action: 'remove-spam-report', name: 'Remove spam report', done: 'cleared of their spam report' },
  { action: 'reactivate', name: 'Reactivate', done: 'reactivated' },
  { action: 'opt-out', name: 'Opt out of tracking', done: 'opted out of tracking' },
]

/** A one-click status action on every selected contact, by the same rules as on one, with its reason. */
export function BulkStatus(props: { run: RunBulk; error: string | undefined }) {
  const [choice, setChoice] = useState<ContactAction>('unsubscribe')
  const [reason, setReason] = useState('')
  const chosen = statusActions.find((a) => a.action === choice)!
  return (
    <span class="bulk-part">
      <label for="contacts-bulk-status">Status action</label>
      <select
        id="contacts-bulk-status"
        value={choice}
        onChange={(e) => setChoice(e.currentTarget.value as ContactAction)}
      >
        {statusActions.map((a) => (
          <option key={a.action} value={a.action}>
            {a.name}
          </option>
        ))}
      </select>
      <label for="contacts-bulk-reason">Reason</label>
      <input
        id="contacts-bulk-reason"
        value={reason}
        placeholder="Kept in each contact’s history"
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? 'contacts-bulk-reason-error' : undefined}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <button
        type="button"
        class="button"
        onClick={() =>
          props.run(
            // Opting out of tracking is not a status change and keeps no reason.
            choice === 'opt-out'
              ? { action: choice }
              : { action: choice, reason: reason.trim() || 'Bulk action' },
            (c, n) => {
              setReason('')
              return `${n(c.changed)} ${c.changed === 1 ? 'is' : 'are'} now ${chosen.done}${rest(c, (k) => `${k} left as they were (the action does not apply to their status)`)}.`
            },
            choice === 'blacklist' ? 'Blacklist the selected contacts?' : undefined,
          )
        }
      >
        Apply
      </button>
      {props.error && (
        <span class="field-error" id="contacts-bulk-reason-error" data-field="bulk-reason">
          {props.error}
        </span>
      )}
    </span>
  )
}

/**
 * Consent gathered outside Signet (a form, a double opt-in), recorded for every selected contact
 * at once: how, and optionally when. A contact whose consent is recorded keeps its own record.
 */
export function BulkConsent(props: { run: RunBulk; errors: Record<string, string> }) {
  const [method, setMethod] = useState('')
  const [day, setDay] = useState('')
  const error = props.errors.method ?? props.errors.at
  const record = () =>
    props.run({ action: 'record-consent', method, ...(day ? { at: `${day}T12:00:00Z` } : {}) }, (c, n) => {
      setMethod('')
      setDay('')
      return `Consent recorded for ${n(c.changed)}${rest(c, (k) => `${k} already had consent on record`)}.`
    })
  const withdraw = () =>
    props.run(
      { action: 'withdraw-consent' },
      (c, n) => `Consent withdrawn for ${n(c.changed)}${rest(c, (k) => `${k} had none on record`)}.`,
      'Withdraw the consent of the selected contacts? Their per-person tracking stops.',
    )
  return (
    <span class="bulk-part">
      <label for="contacts-bulk-consent">Consent, given by</label>
      <input
        id="contacts-bulk-consent"
        value={method}
        placeholder="Double opt-in, trade fair form …"
        aria-invalid={props.errors.method ? true : undefined}
        aria-describedby={error ? 'contacts-bulk-consent-error' : undefined}
        onInput={(e) => setMethod(e.currentTarget.value)}
      />
      <label for="contacts-bulk-consent-at">on</label>
      <input
        id="contacts-bulk-consent-at"
        type="date"
        value={day}
        aria-invalid={props.errors.at ? true : undefined}
        onInput={(e) => setDay(e.currentTarget.value)}
      />
      <button type="button" class="button" onClick={record}>
        Record consent
      </button>
      <button type="button" class="button button-quiet" onClick={withdraw}>
        Withdraw consent
      </button>
      {error && (
        <span class="field-error" id="contacts-bulk-consent-error" data-field="bulk-consent">
          {error}
        </span>
      )}
    </span>
  )
}
