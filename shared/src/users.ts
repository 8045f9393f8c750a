import { EmailSchema, PasswordSchema } from './common.ts'
import { z } from './zod.ts'

export const roles = ['admin', 'marketer', 'employee'] as const
export const RoleSchema = z.enum(roles)
export type Role = z.infer<typeof RoleSchema>

const name = z.string().trim().max(100)

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: RoleSchema,
    firstName: z.string(),
    lastName: z.string(),
    status: z.enum(['active', 'invited', 'disabled']),
    lastSignInAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'User' })

export const CreateUserSchema = z.strictObject({
  email: EmailSchema,
  role: RoleSchema,
  firstName: name.default(''),
  lastName: name.default(''),
  /** Without a password the user gets an invitation to choose one. */
  password: PasswordSchema.optional(),
})

export const UpdateUserSchema = z
  .object({
    role: RoleSchema,
    firstName: name,
    lastName: name,
    disabled: z.boolean(),
  })
  .partial()
  .strict()

export const InvitationSchema = z
  .object({ token: z.string(), expiresAt: z.string() })
  .meta({ id: 'Invitation' })

export const CreatedUserSchema = z.object({ user: UserSchema, invitation: InvitationSchema.nullable() })

export const ListUsersQuerySchema = z.object({
  role: RoleSchema.optional(),
  q: z.string().trim().max(200).optional(),
})

export type User = z.infer<typeof UserSchema>
export type CreateUser = z.infer<typeof CreateUserSchema>
export type UpdateUser = z.infer<typeof UpdateUserSchema>
