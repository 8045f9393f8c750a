import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, TargetGroupId, UpdatedAt, UserId, WorkspaceId } from './schema.ts'

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>

/** CRM synchronisation tables (`crm/`); `import_job.source` tells a CRM run from a file import. */

export interface CrmConnectionTable {
  workspace_id: WorkspaceId
  base_url: string
  /** The private-app token, AES-256-GCM under a key derived from SECRET (`crm/seal.ts`). */
  token_sealed: string
  token_hint: string
  status: Generated<'connected' | 'failing'>
  error: string | null
  created_by: UserId | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CrmListLinkTable {
  target_group_id: TargetGroupId
  workspace_id: WorkspaceId
  list_id: string
  list_name: string
  interval_minutes: Generated<number>
  status: Generated<'ok' | 'failing'>
  error: string | null
  next_run_at: ColumnType<Date, Date | string | undefined, Date | string>
  last_run_at: NullableTimestamp
  created_by: UserId | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CrmTables {
  crm_connection: CrmConnectionTable
  crm_list_link: CrmListLinkTable
}
