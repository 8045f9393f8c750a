import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** Table types, kept by hand beside the migrations: one interface per table. */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>
type Timestamp = ColumnType<Date, Date | string, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>

export type Brand<T, B extends string> = T & { readonly __brand: B }
export type WorkspaceId = Brand<string, 'WorkspaceId'>
export type UserId = Brand<string, 'UserId'>

export interface WorkspaceTable {
  id: Generated<WorkspaceId>
  name: string
  internal_domains: Generated<string[]>
  tracking_tier: Generated<'off' | 'aggregate' | 'identified'>
  multi_recipient_policy: Generated<'best_match' | 'first_to' | 'single_account'>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface AppUserTable {
  id: Generated<UserId>
  workspace_id: WorkspaceId
  email: string
  role: 'admin' | 'marketer' | 'employee'
  first_name: Generated<string>
  last_name: Generated<string>
  password_hash: string | null
  disabled_at: NullableTimestamp
  last_sign_in_at: NullableTimestamp
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface ApiTokenTable {
  id: Generated<string>
  workspace_id: WorkspaceId
  user_id: UserId
  token_hash: string
  user_agent: string | null
  created_at: CreatedAt
  expires_at: Timestamp
  revoked_at: NullableTimestamp
  last_used_at: NullableTimestamp
}

export interface InvitationTable {
  id: Generated<string>
  workspace_id: WorkspaceId
  user_id: UserId
  token_hash: string
  invited_by: UserId | null
  created_at: CreatedAt
  expires_at: Timestamp
  accepted_at: NullableTimestamp
}

export interface SignInFailureTable {
  id: Generated<string>
  email: string
  address: string
  at: CreatedAt
}

export interface Database {
  workspace: WorkspaceTable
  app_user: AppUserTable
  api_token: ApiTokenTable
  invitation: InvitationTable
  sign_in_failure: SignInFailureTable
}

export type WorkspaceRow = Selectable<WorkspaceTable>
export type UserRow = Selectable<AppUserTable>
export type NewUser = Insertable<AppUserTable>
export type UserUpdate = Updateable<AppUserTable>
