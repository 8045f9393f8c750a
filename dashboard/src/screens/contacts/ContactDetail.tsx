import { type Contact, UpdateContactSchema } from '@signet/shared/contacts'
import { useState } from 'preact/hooks'
import { Link, navigate } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { confirmDeletion } from '../../ui/confirm.ts'
import { FormError, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { ErrorState, Loading, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { CustomFields } from '../targets/CustomFields.tsx'
import { dateTime, statusNames } from '../targets/common.tsx'
import { Memberships } from '../targets/Memberships.tsx'
import { ContactActivity } from './Activity.tsx'
import { ContactActions, StatusBadge } from './actions.tsx'
import { Consent } from './Consent.tsx'
import { splitLabels } from './CreateContact.tsx'

interface StatusChange {
  from: Contact['status'] | null
  to: Contact['status']
  reason: string
  actorId: string | null
  actorName: string | null
  at: string
}

const toValues = (c: Contact) => ({
  email: c.email,
  firstName: c.firstName,
  lastName: c.lastName,
  phone: c.phone ?? '',
  company: c.company ?? '',
  jobTitle: c.jobTitle ?? '',
  language: c.language ?? '',
  timeZone: c.timeZone ?? '',
  address: c.address ?? '',
  labels: c.labels.join(', '),
})

export function ContactDetail(props: { id: string }) {
  const { api } = useSession()
  const contact = useLoad(() => api.get<Contact>(`/api/contacts/${props.id}`), [api, props.id])
  if (contact.error) return <ErrorState message={contact.error} onRetry={contact.reload} />
  if (!contact.data) return <Loading label="Loading the contact…" />
  return <ContactPage key={contact.data.id} contact={contact.data} onChange={contact.setData} />
}

function ContactPage(props: { contact: Contact; onChange: (c: Contact) => void }) {
  const { api, me } = useSession()
  const { contact } = props
  const [notice, setNotice] = useState<{ message: string; failed?: boolean }>()
  const history = useLoad(
    () => api.get<StatusChange[]>(`/api/contacts/${contact.id}/status-history`),
    [api, contact.id, contact.status, contact.trackingOptOutAt],
  )
  const form = useForm({
    id: 'contact',
    initial: toValues(contact),
    schema: UpdateContactSchema,
    // Emptied optional fields are cleared (null), not stored as empty text.
    toInput: ({ labels, firstName, lastName, email, phone, ...rest }) => ({
      email,
      firstName,
      lastName,
      phone,
      labels: splitLabels(labels),
      ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v.trim() === '' ? null : v])),
    }),
    submit: async (_, input) => {
      const updated = await api.request<Contact>('PATCH', `/api/contacts/${contact.id}`, input)
      props.onChange(updated)
      form.reset(toValues(updated))
      setNotice({ message: 'Contact saved.' })
    },
  })
  const actor = (h: StatusChange) =>
    h.actorId === null ? 'Signet' : h.actorId === me.user.id ? 'you' : (h.actorName ?? 'a former user')

  return (
    <section aria-labelledby="contact-title">
      <p>
        <Link href="/contacts">← Contacts</Link>
      </p>
      <h1 id="contact-title">{contact.email}</h1>
      <div class="builder-row">
        <StatusBadge contact={contact} />
        <Link href={`/statistics/contact/${contact.id}`} class="button">
          Statistics, last clicks and campaigns
        </Link>
        <ContactActions
          contact={contact}
          withReason
          onDone={(next) => {
            props.onChange(next)
            setNotice({
              message: `Now ${statusNames[next.status].toLowerCase()}${next.trackingOptOutAt ? ', opted out of tracking' : ''}.`,
            })
          }}
          onError={(message) => setNotice({ message, failed: true })}
        />
        <button
          type="button"
          class="button button-danger"
          onClick={async () => {
            const reason = confirmDeletion(`Delete ${contact.email}? You can restore it from Deleted.`)
            if (reason === null) return
            try {
              await api.request('DELETE', `/api/contacts/${contact.id}?reason=${encodeURIComponent(reason)}`)
              navigate('/contacts')
            } catch (e) {
              setNotice({ message: (e as Error).message, failed: true })
            }
          }}
        >
          Delete
        </button>
      </div>
      {notice && <Notice kind={notice.failed ? 'error' : 'success'}>{notice.message}</Notice>}
      <dl class="facts">
        <dt>Account</dt>
        <dd>
          {contact.accountId ? (
            <Link href={`/accounts/${contact.accountId}`}>{contact.email.split('@')[1]}</Link>
          ) : (
            'None (no account for this domain)'
          )}
        </dd>
        <dt>Source</dt>
        <dd>{contact.source}</dd>
        <dt>Consent</dt>
        <dd>
          {contact.consent.given
            ? `Given ${dateTime(contact.consent.at)}${contact.consent.method ? ` (${contact.consent.method})` : ''}`
            : 'Not recorded'}
        </dd>
        <dt>Tracking</dt>
        <dd>
          {contact.trackingOptOutAt ? `Opted out ${dateTime(contact.trackingOptOutAt)}` : 'Not opted out'}
        </dd>
        <dt>Created</dt>
        <dd>{dateTime(contact.createdAt)}</dd>
        <dt>Updated</dt>
        <dd>{dateTime(contact.updatedAt)}</dd>
      </dl>
      <div class="columns">
        <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="contact-details-title">
          <h2 id="contact-details-title">Details</h2>
          <TextField form={form} name="email" label="Email" type="email" />
          <TextField form={form} name="firstName" label="First name" />
          <TextField form={form} name="lastName" label="Last name" />
          <TextField form={form} name="phone" label="Phone" type="tel" />
          <TextField form={form} name="company" label="Company" />
          <TextField form={form} name="jobTitle" label="Job title" />
          <TextField form={form} name="language" label="Language" placeholder="de" />
          <TextField form={form} name="timeZone" label="Time zone" placeholder="Europe/Berlin" />
          <TextField form={form} name="address" label="Address" />
          <TextField form={form} name="labels" label="Labels" hint="Comma-separated." />
          <FormError form={form} />
          <SubmitButton form={form}>Save contact</SubmitButton>
        </form>
        <div>
          <CustomFields
            id="contact-custom"
            fields={contact.customFields}
            save={async (customFields) => {
              const updated = await api.request<Contact>('PATCH', `/api/contacts/${contact.id}`, {
                customFields,
              })
              props.onChange(updated)
              return updated.customFields
            }}
          />
          <Memberships param="contactId" id={contact.id} reloadKey={contact.updatedAt} />
          <Consent contact={contact} onChange={props.onChange} />
        </div>
      </div>
      <section class="card" aria-labelledby="history-title">
        <h2 id="history-title">Status history</h2>
        {history.error ? (
          <ErrorState message={history.error} onRetry={history.reload} />
        ) : !history.data ? (
          <Loading />
        ) : history.data.length === 0 ? (
          <p class="muted">No status changes yet.</p>
        ) : (
          <table class="table">
            <caption class="visually-hidden">Status history</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Change</th>
                <th scope="col">Reason</th>
                <th scope="col">By</th>
              </tr>
            </thead>
            <tbody>
              {history.data.map((h) => (
                <tr key={h.at + h.to}>
                  <td>{dateTime(h.at)}</td>
                  <td>
                    {h.from === h.to
                      ? `${statusNames[h.to]}, unchanged`
                      : `${h.from ? `${statusNames[h.from]} → ` : ''}${statusNames[h.to]}`}
                  </td>
                  <td>{h.reason || '—'}</td>
                  <td>{actor(h)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <ContactActivity
        contactId={contact.id}
        email={contact.email}
        reloadKey={`${contact.status}-${contact.trackingOptOutAt}`}
      />
    </section>
  )
}
