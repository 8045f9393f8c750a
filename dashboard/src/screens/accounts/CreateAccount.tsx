import { type Account, CreateAccountSchema } from '@signet/shared/accounts'
import { useState } from 'preact/hooks'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { Notice } from '../../ui/states.tsx'
import { filled } from '../contacts/CreateContact.tsx'

const blank = { domain: '', name: '', industry: '', size: '', website: '', aliases: '' }

export function CreateAccount(props: { onCreated: () => void }) {
  const { api } = useSession()
  const [created, setCreated] = useState<Account>()
  const form = useForm({
    id: 'new-account',
    initial: blank,
    schema: CreateAccountSchema,
    toInput: ({ aliases, ...rest }) => ({
      ...filled(rest),
      aliases: aliases
        .split(/[\n,]/)
        .map((a) => a.trim())
        .filter(Boolean),
    }),
    submit: async (_, input) => {
      setCreated(await api.request<Account>('POST', '/api/accounts', input))
      form.reset(blank)
      props.onCreated()
    },
  })
  return (
    <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="new-account-title">
      <h2 id="new-account-title">Add an account</h2>
      <div class="grid">
        <TextField
          form={form}
          name="domain"
          label="Domain"
          placeholder="acme.com"
          hint="A domain or web address; https://www.acme.co.uk/about is stored as acme.co.uk."
        />
        <TextField form={form} name="name" label="Company name" />
        <TextField form={form} name="industry" label="Industry" />
        <TextField form={form} name="size" label="Size" />
        <TextField form={form} name="website" label="Website" />
        <TextField form={form} name="aliases" label="Other domains" hint="Comma-separated, e.g. acme.de." />
      </div>
      <FormError form={form} />
      <SubmitButton form={form}>Add account</SubmitButton>
      {created && (
        <Notice>
          <Link href={`/accounts/${created.id}`}>{created.domainDisplay}</Link> added.
        </Notice>
      )}
    </form>
  )
}
