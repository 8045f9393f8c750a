import { CreateUserSchema, type User } from '@signet/shared/users'
import { useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'
import { FormError, SelectField, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { InvitationNotice, roleOptions } from './shared.tsx'

export interface Created {
  user: User
  invitation: { token: string; expiresAt: string } | null
}

const blank = { email: '', role: 'employee', firstName: '', lastName: '', password: '' }

export function CreateUser(props: { onCreated: (created: Created) => void }) {
  const { api } = useSession()
  const [created, setCreated] = useState<Created>()
  const form = useForm({
    id: 'new-user',
    initial: blank,
    schema: CreateUserSchema,
    // An empty password means "send an invitation" — the API's way of saying it is to leave it out.
    toInput: ({ password, ...rest }) => (password ? { ...rest, password } : rest),
    submit: async (input) => {
      const result = await api.request<Created>('POST', '/api/users', input)
      setCreated(result)
      form.reset(blank)
      props.onCreated(result)
    },
  })
  return (
    <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="new-user-title">
      <h2 id="new-user-title">Add a user</h2>
      {created && (
        <InvitationNotice
          user={created.user}
          invitation={created.invitation}
          onClose={() => setCreated(undefined)}
        />
      )}
      <div class="grid">
        <TextField form={form} name="email" label="Email" type="email" autocomplete="off" />
        <SelectField form={form} name="role" label="Role" options={roleOptions} />
        <TextField form={form} name="firstName" label="First name" autocomplete="off" />
        <TextField form={form} name="lastName" label="Last name" autocomplete="off" />
        <TextField
          form={form}
          name="password"
          label="Password (optional)"
          type="password"
          autocomplete="new-password"
          hint="Leave empty to create an invitation link the person opens to choose their own password."
        />
      </div>
      <FormError form={form} />
      <SubmitButton form={form}>Add user</SubmitButton>
    </form>
  )
}
