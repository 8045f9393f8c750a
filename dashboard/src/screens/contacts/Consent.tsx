import { ConsentInputSchema, type Contact } from '@signet/shared/contacts'
import { useSession } from '../../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { dateTime } from '../targets/common.tsx'

/**
 * Records or withdraws a contact's consent to per-person tracking. Only contacts with recorded
 * consent get a per-person history when the workspace's tracking is "identified"; withdrawing
 * keeps what was counted, and stops recording it per person from then on.
 */
export function Consent(props: { contact: Contact; onChange: (contact: Contact) => void }) {
  const { api } = useSession()
  const { contact } = props
  const save = async (consent: { given: boolean; method?: string }) =>
    props.onChange(await api.request<Contact>('PATCH', `/api/contacts/${contact.id}`, { consent }))
  const form = useForm({
    id: 'consent',
    initial: { method: '' },
    schema: ConsentInputSchema,
    toInput: ({ method }) => ({ given: !contact.consent.given, method: method.trim() || undefined }),
    submit: async (input) => {
      await save(input)
      form.reset({ method: '' })
    },
  })
  return (
    <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="consent-title">
      <h2 id="consent-title">Consent to tracking</h2>
      <p data-testid="consent-state">
        {contact.consent.given
          ? `Given ${dateTime(contact.consent.at)}${contact.consent.method ? ` (${contact.consent.method})` : ''}.`
          : 'Not recorded: in the identified tracking tier this contact is counted without a per-person history.'}
      </p>
      {!contact.consent.given && (
        <TextField
          form={form}
          name="method"
          label="How it was given"
          placeholder="Web form, 2026-11-20"
          hint="Kept with the consent, for your records."
        />
      )}
      <FormError form={form} />
      <SubmitButton form={form}>{contact.consent.given ? 'Withdraw consent' : 'Record consent'}</SubmitButton>
    </form>
  )
}
