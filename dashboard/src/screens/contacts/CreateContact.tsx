import { type Contact, CreateContactSchema } from '@signet/shared/contacts'
import { useState } from 'preact/hooks'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { FormError, SelectField, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { Notice } from '../../ui/states.tsx'

const blank = {
  email: '',
  firstName: '',
  lastName: '',
  phone: '',
  company: '',
  jobTitle: '',
  labels: '',
  status: 'active',
}

/** Comma-separated labels as the list the schemas take. */
export const splitLabels = (text: string) =>
  text
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean)

/** Leaves out what the user left empty, so the API keeps its defaults. */
export function filled(values: Record<string, string | boolean>) {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''))
}

export function CreateContact(props: { onCreated: () => void }) {
  const { api } = useSession()
  const [created, setCreated] = useState<Contact>()
  const form = useForm({
    id: 'new-contact',
    initial: blank,
    schema: CreateContactSchema,
    toInput: ({ labels, ...rest }) => ({ ...filled(rest), labels: splitLabels(labels) }),
    submit: async (_, input) => {
      setCreated(await api.request<Contact>('POST', '/api/contacts', input))
      form.reset(blank)
      props.onCreated()
    },
  })
  return (
    <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="new-contact-title">
      <h2 id="new-contact-title">Add a contact</h2>
      <div class="grid">
        <TextField form={form} name="email" label="Email" type="email" autocomplete="off" />
        <TextField form={form} name="firstName" label="First name" autocomplete="off" />
        <TextField form={form} name="lastName" label="Last name" autocomplete="off" />
        <TextField form={form} name="phone" label="Phone" type="tel" autocomplete="off" />
        <TextField form={form} name="company" label="Company" autocomplete="off" />
        <TextField form={form} name="jobTitle" label="Job title" autocomplete="off" />
        <TextField form={form} name="labels" label="Labels" hint="Comma-separated, e.g. vip, webinar." />
        <SelectField
          form={form}
          name="status"
          label="Status"
          options={[
            { value: 'active', label: 'Active' },
            { value: 'not_confirmed', label: 'Not confirmed' },
          ]}
        />
      </div>
      <FormError form={form} />
      <SubmitButton form={form}>Add contact</SubmitButton>
      {created && (
        <Notice>
          <Link href={`/contacts/${created.id}`}>{created.email}</Link> added.
        </Notice>
      )}
    </form>
  )
}
