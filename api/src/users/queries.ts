import type { Role } from '@signet/shared'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { NewUser, UserId, UserUpdate, WorkspaceId } from '../db/schema.ts'

// Whether a user still has an open invitation decides the "invited" status shown to admins.
const hasOpenInvitation = sql<boolean>`exists (
  select 1 from invitation i
  where i.user_id = app_user.id and i.accepted_at is null and i.expires_at > now()
)`

function selectUsers(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('app_user')
    .selectAll()
    .select(hasOpenInvitation.as('invited'))
    .where('workspace_id', '=', workspaceId)
}

export function findUserById(db: Db, workspaceId: WorkspaceId, id: string) {
  return selectUsers(db, workspaceId)
    .where('id', '=', id as UserId)
    .executeTakeFirst()
}

export function listUsers(db: Db, workspaceId: WorkspaceId, filter: { role?: Role; q?: string }) {
  let query = selectUsers(db, workspaceId)
  if (filter.role) query = query.where('role', '=', filter.role)
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`
    query = query.where((eb) =>
      eb.or([eb('email', 'ilike', like), eb('first_name', 'ilike', like), eb('last_name', 'ilike', like)]),
    )
  }
  return query.orderBy('email').limit(1000).execute()
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'workspace_id'])
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst()
}

export function insertUser(db: Db, user: NewUser) {
  return db.insertInto('app_user').values(user).returningAll().executeTakeFirstOrThrow()
}

export function updateUser(db: Db, workspaceId: WorkspaceId, id: UserId, changes: UserUpdate) {
  return db
    .updateTable('app_user')
    .set({ ...changes, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst()
}

export function deleteUser(db: Db, workspaceId: WorkspaceId, id: UserId) {
  return db.deleteFrom('app_user').where('workspace_id', '=', workspaceId).where('id', '=', id).execute()
}

export async function countActiveAdmins(db: Db, workspaceId: WorkspaceId) {
  const row = await db
    .selectFrom('app_user')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow()
  return row.n
}
