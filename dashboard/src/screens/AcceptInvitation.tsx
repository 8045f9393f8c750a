import { AcceptInvitationSchema, type Session } from '@signet/shared/auth'
import type { ApiClient } from '../api.ts'
import { navigate } from '../router.tsx'
import type { Me } from '../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../ui/form.tsx'

/** Opened from an invitation link (`#/accept-invitation?token=…`): the person chooses a password. */
export function AcceptInvitation(props: { api: ApiClient; path: string; onSignedIn: (me: Me) => void }) {
  const token = new URLSearchParams(props.path.split('?')[1] ?? '').get('token') ?? ''
  const form = useForm({
    id: 'accept',
    initial: { token, password: '' },
    schema: AcceptInvitationSchema,
    submit: async (input) => {
      const session = await props.api.request<Session>('POST', '/api/auth/accept-invitation', input)
      await props.api.setToken(session.token)
      navigate('/')
      props.onSignedIn({ user: session.user, workspace: session.workspace })
    },
  })
  return (
    <main class="sign-in">
      <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="accept-title">
        <h1 id="accept-title">Choose your password</h1>
        <p class="muted">You were invited to Signet. Choose a password to finish, then you are signed in.</p>
        {!token && (
          <TextField
            form={form}
            name="token"
            label="Invitation code"
            hint="It is the part after token= in your link."
          />
        )}
        <TextField
          form={form}
          name="password"
          label="New password"
          type="password"
          autocomplete="new-password"
        />
        <FormError form={form} />
        <SubmitButton form={form}>Set password and sign in</SubmitButton>
      </form>
    </main>
  )
}
