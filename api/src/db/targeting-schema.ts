import type { ColumnType, Generated } from 'kysely'
import type { CreatedAt, WorkspaceId } from './schema.ts'

/** What keeps every API process's resolve caches current (`resolve/`). */

/** Bumped by triggers on every campaign change; see migration create_targeting_version. */
export interface TargetingVersionTable {
  workspace_id: WorkspaceId
  version: ColumnType<string, string | number | undefined, string | number>
}

/** Written by triggers on the targeting tables; see migration create_targeting_change. */
export interface TargetingChangeTable {
  seq: Generated<string>
  workspace_id: WorkspaceId
  kind: 'contact' | 'account' | 'group' | 'reload'
  target_id: string | null
  xid: Generated<string>
  created_at: CreatedAt
}

export interface TargetingTables {
  targeting_version: TargetingVersionTable
  targeting_change: TargetingChangeTable
}
