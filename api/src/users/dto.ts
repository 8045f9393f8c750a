import type { User } from '@signet/shared'
import type { UserRow } from '../db/schema.ts'

export function toUser(row: UserRow & { invited?: boolean }): User {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    firstName: row.first_name,
    lastName: row.last_name,
    status: row.disabled_at ? 'disabled' : row.invited || !row.password_hash ? 'invited' : 'active',
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}
