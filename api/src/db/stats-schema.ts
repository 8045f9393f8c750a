import type { ColumnType } from 'kysely'
import type { CampaignId, UserId, WorkspaceId } from './schema.ts'

/** The statistics tables (see migration create_stats_rollups), apart so schema.ts stays short. */

type Timestamp = ColumnType<Date, Date | string, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>

export type StatsDim =
  | 'workspace'
  | 'campaign'
  | 'variant'
  | 'employee'
  | 'account'
  | 'contact'
  | 'target_group'
  /** An account (`dim_id`) with one contact (`sub_id`) of its deliveries. */
  | 'account_contact'

/** Pre-aggregated counts; see migration create_stats_rollups. */
export interface StatsRollupTable {
  workspace_id: WorkspaceId
  dim: StatsDim
  dim_id: string
  /** The nil uuid for all campaigns, or a campaign id; for `account_contact`, the contact. */
  sub_id: string
  /** UTC hour, day, ISO week, month, quarter; weeks and quarters only for a target's rows for all campaigns. */
  grain: 'h' | 'd' | 'w' | 'm' | 'q'
  bucket: Timestamp
  sent: number
  views: number
  views_human: number
  clicks: number
  clicks_human: number
}

export interface StatsQueueTable {
  event_id: string
  queued_at: CreatedAt
}

export interface StatsLeadTable {
  workspace_id: WorkspaceId
  kind: 'domain' | 'email'
  value: string
  clicks: number
  clicks_human: number
  first_click_at: Timestamp
  last_click_at: Timestamp
  first_human_click_at: NullableTimestamp
  last_human_click_at: NullableTimestamp
  campaign_ids: CampaignId[]
}

/** Dense per-workspace numbers of accounts and contacts; see migration create_stats_reach. */
export interface StatsOrdinalTable {
  workspace_id: WorkspaceId
  kind: 'account' | 'contact'
  id: string
  ord: number
}

/** Sets of accounts or contacts reached per bucket; see migration create_stats_reach. */
export interface StatsReachTable {
  workspace_id: WorkspaceId
  dim: 'workspace' | 'campaign' | 'employee' | 'target_group'
  dim_id: string
  target: 'account' | 'contact'
  flag: 'reached' | 'clicked' | 'clicked_human'
  grain: 'h' | 'd' | 'm'
  bucket: Timestamp
  chunk: number
  bits: string | null
  ords: number[] | null
}

/** The members a target group's rollups were built for. */
export interface StatsGroupMemberTable {
  workspace_id: WorkspaceId
  kind: 'account' | 'contact'
  member_id: string
  group_id: string
}

export interface StatsTables {
  stats_ordinal: StatsOrdinalTable
  stats_reach: StatsReachTable
  stats_group_member: StatsGroupMemberTable
  stats_rollup: StatsRollupTable
  stats_queue: StatsQueueTable
  stats_lead: StatsLeadTable
}

/** What a marketer's re-classification of a tracking event leaves on it. */
export interface ReclassifiedColumns {
  /** The classifier's reason a marketer overruled. */
  original_reason: ColumnType<string | null, string | null | undefined, string | null>
  reclassified_at: NullableTimestamp
  reclassified_by: ColumnType<UserId | null, UserId | null | undefined, UserId | null>
}
