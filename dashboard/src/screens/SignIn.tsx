import { SignInSchema } from '@signet/shared/auth'
import type { ApiClient } from '../api.ts'
import { type Me, signIn } from '../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../ui/form.tsx'

export function SignIn(props: { api: ApiClient; onSignedIn: (me: Me) => void; notice?: string }) {
  const form = useForm({
    id: 'sign-in',
    initial: { email: '', password: '' },
    schema: SignInSchema,
    submit: async (input) => props.onSignedIn(await signIn(props.api, input.email, input.password)),
  })
  return (
    <main class="sign-in">
      <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Signet</h1>
        {props.notice && <p class="notice notice-success">{props.notice}</p>}
        <TextField form={form} name="email" label="Email" type="email" autocomplete="username" />
        <TextField
          form={form}
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
        />
        <FormError form={form} />
        <SubmitButton form={form}>Sign in</SubmitButton>
      </form>
    </main>
  )
}
