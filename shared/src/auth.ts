import { EmailSchema, PasswordSchema } from './common.ts'
import { UserSchema } from './users.ts'
import { WorkspaceSchema } from './workspace.ts'
import { z } from './zod.ts'

export const SignUpSchema = z.strictObject({
  workspaceName: z.string().trim().min(1, 'Give your workspace a name.').max(120),
  email: EmailSchema,
  password: PasswordSchema,
  firstName: z.string().trim().max(100).default(''),
  lastName: z.string().trim().max(100).default(''),
})

export const SignInSchema = z.strictObject({
  email: EmailSchema,
  password: z.string().min(1, 'Enter your password.').max(200),
})

export const AcceptInvitationSchema = z.strictObject({
  token: z.string().min(1).max(200),
  password: PasswordSchema,
})

export const SessionSchema = z
  .object({
    token: z.string(),
    expiresAt: z.string(),
    user: UserSchema,
    workspace: WorkspaceSchema,
  })
  .meta({ id: 'Session' })

export const MeSchema = z.object({ user: UserSchema, workspace: WorkspaceSchema }).meta({ id: 'Me' })

export type SignUp = z.infer<typeof SignUpSchema>
export type SignIn = z.infer<typeof SignInSchema>
export type Session = z.infer<typeof SessionSchema>
