import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'
import type { CrmTables } from './crm-schema.ts'
import type { ReclassifiedColumns, StatsTables } from './stats-schema.ts'
import type { TargetingTables } from './targeting-schema.ts'

/** Table types, kept by hand beside the migrations: one interface per table. */

export type CreatedAt = ColumnType<Date, Date | string | undefined, never>
export type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>
type Timestamp = ColumnType<Date, Date | string, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>

type Json = ColumnType<
  Record<string, unknown>,
  Record<string, unknown> | string | undefined,
  Record<string, unknown> | string
>

export type Brand<T, B extends string> = T & { readonly __brand: B }
export type WorkspaceId = Brand<string, 'WorkspaceId'>
export type UserId = Brand<string, 'UserId'>

export interface WorkspaceTable {
  id: Generated<WorkspaceId>
  name: string
  internal_domains: Generated<string[]>
  tracking_tier: Generated<'off' | 'aggregate' | 'identified'>
  multi_recipient_policy: Generated<'best_match' | 'first_to' | 'single_account'>
  disabled_features: Generated<string[]>
  client_signature: Generated<'keep' | 'replace'>
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
  department_id: DepartmentId | null
  job_title: Generated<string>
  phone: Generated<string>
  mobile: Generated<string>
  photo_url: Generated<string>
  custom_fields: Generated<Json>
  signature_template_id: SignatureTemplateId | null
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

export type AccountId = Brand<string, 'AccountId'>
export type ContactId = Brand<string, 'ContactId'>
export type TargetGroupId = Brand<string, 'TargetGroupId'>
export type ContactStatus =
  | 'active'
  | 'not_confirmed'
  | 'unsubscribed'
  | 'hard_bounce'
  | 'spam_report'
  | 'blacklisted'

export interface AccountTable {
  id: Generated<AccountId>
  workspace_id: WorkspaceId
  /** Registrable domain, punycode. */
  domain: string
  name: Generated<string>
  size: string | null
  industry: string | null
  contact_person: string | null
  website: string | null
  notes: string | null
  custom_fields: Generated<Json>
  created_at: CreatedAt
  updated_at: UpdatedAt
  deleted_at: NullableTimestamp
  deleted_reason: string | null
}

export interface AccountAliasTable {
  workspace_id: WorkspaceId
  account_id: AccountId
  domain: string
}

export interface ContactTable {
  id: Generated<ContactId>
  workspace_id: WorkspaceId
  /** Lower-case. */
  email: string
  /** Registrable domain of the email, punycode; links the contact to its account. */
  domain: string
  account_id: AccountId | null
  first_name: Generated<string>
  last_name: Generated<string>
  /** E.164. */
  phone: string | null
  company: string | null
  job_title: string | null
  language: string | null
  time_zone: string | null
  address: string | null
  labels: Generated<string[]>
  custom_fields: Generated<Json>
  source: Generated<'manual' | 'import' | 'api' | 'crm'>
  status: Generated<ContactStatus>
  consent_given_at: NullableTimestamp
  consent_method: string | null
  tracking_opt_out_at: NullableTimestamp
  created_at: CreatedAt
  updated_at: UpdatedAt
  deleted_at: NullableTimestamp
  deleted_reason: string | null
  /** Lower-case, `+tags` dropped, Gmail dots dropped: what duplicates share. */
  canonical_email: ColumnType<string, never, never>
}

export interface TargetGroupTable {
  id: Generated<TargetGroupId>
  workspace_id: WorkspaceId
  name: string
  kind: 'account' | 'contact'
  /** Set for a dynamic group: membership is whatever the segment matches now. */
  segment_id: ColumnType<SegmentId | null, SegmentId | null | undefined, SegmentId | null>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface TargetGroupAccountTable {
  group_id: TargetGroupId
  account_id: AccountId
  added_at: CreatedAt
}

export interface TargetGroupContactTable {
  group_id: TargetGroupId
  contact_id: ContactId
  added_at: CreatedAt
}

export type SegmentId = Brand<string, 'SegmentId'>

export interface ContactStatusChangeTable {
  id: Generated<string>
  workspace_id: WorkspaceId
  contact_id: ContactId
  from_status: ContactStatus | null
  to_status: ContactStatus
  reason: Generated<string>
  actor_id: UserId | null
  created_at: CreatedAt
}

export interface SegmentTable {
  id: Generated<SegmentId>
  workspace_id: WorkspaceId
  name: string
  kind: 'account' | 'contact'
  filter: ColumnType<unknown, string, string>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export type DepartmentId = Brand<string, 'DepartmentId'>
export type CampaignId = Brand<string, 'CampaignId'>
export type VariantId = Brand<string, 'VariantId'>
export type BannerImageId = Brand<string, 'BannerImageId'>
export type DeliveryId = Brand<string, 'DeliveryId'>

export interface DepartmentTable {
  id: Generated<DepartmentId>
  workspace_id: WorkspaceId
  name: string
  signature_template_id: SignatureTemplateId | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface BannerImageTable {
  id: Generated<BannerImageId>
  workspace_id: WorkspaceId
  sha256: string
  content_type: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'
  width: number
  height: number
  byte_size: number
  bytes: Uint8Array
  created_at: CreatedAt
}

export interface CampaignTable {
  id: Generated<CampaignId>
  workspace_id: WorkspaceId
  name: string
  kind: 'receiver' | 'sender'
  sender_scope: Generated<'all' | 'departments'>
  destination_url: string
  utm: Generated<Json>
  starts_at: NullableTimestamp
  ends_at: NullableTimestamp
  paused_at: NullableTimestamp
  priority: Generated<number>
  is_draft: Generated<boolean>
  created_at: CreatedAt
  updated_at: UpdatedAt
  deleted_at: NullableTimestamp
}

export interface CampaignVariantTable {
  id: Generated<VariantId>
  workspace_id: WorkspaceId
  campaign_id: CampaignId
  name: Generated<string>
  image_id: BannerImageId | null
  alt_text: string
  weight: Generated<number>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CampaignTargetGroupTable {
  campaign_id: CampaignId
  group_id: TargetGroupId
}

export interface CampaignDepartmentTable {
  campaign_id: CampaignId
  department_id: DepartmentId
}

export interface DeliveryTable {
  id: Generated<DeliveryId>
  workspace_id: WorkspaceId
  campaign_id: CampaignId
  variant_id: VariantId
  employee_id: UserId | null
  account_ids: Generated<AccountId[]>
  contact_ids: Generated<ContactId[]>
  lead_domains: Generated<string[]>
  lead_emails: Generated<string[]>
  created_at: CreatedAt
  sent_at: NullableTimestamp
}

export type ImportId = Brand<string, 'ImportId'>

export interface ImportJobTable {
  id: Generated<ImportId>
  workspace_id: WorkspaceId
  kind: 'accounts' | 'contacts'
  target_group_id: TargetGroupId | null
  file_name: string
  byte_size: ColumnType<string, number | string, number | string>
  encoding: 'utf-8' | 'utf-8-bom' | 'windows-1252'
  delimiter: ',' | ';' | '\t' | '|'
  has_header: boolean
  headers: string[]
  mapping: ColumnType<(string | null)[], string, string>
  mode: Generated<'add' | 'update' | 'add_update' | 'synchronise'>
  options: Generated<Json>
  status: Generated<'uploaded' | 'checking' | 'checked' | 'applying' | 'applied' | 'failed' | 'undone'>
  report: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  /** What the last dry run or apply reported while it ran (`ImportRunProgress`); null before the first. */
  progress: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
  error: string | null
  created_by: UserId | null
  created_at: CreatedAt
  updated_at: UpdatedAt
  applied_at: NullableTimestamp
  undone_at: NullableTimestamp
  source: Generated<'file' | 'hubspot'>
  /** `now()` of the apply transaction: what the import wrote carries it (see the undo). */
  written_at: NullableTimestamp
  /** What the undo left alone because it changed since the import (`ImportUndo`). */
  undo_report: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>
}

export interface ImportChangeTable {
  id: Generated<string>
  import_id: ImportId
  entity: 'contact' | 'account' | 'membership'
  entity_id: string
  action: 'created' | 'updated' | 'restored' | 'joined' | 'left'
  before: Record<string, unknown> | null
}

export type SignatureTemplateId = Brand<string, 'SignatureTemplateId'>

export interface SignatureTemplateTable {
  id: Generated<SignatureTemplateId>
  workspace_id: WorkspaceId
  name: string
  /** Sanitised on save. */
  html: string
  is_default: Generated<boolean>
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export type TrackingEventKind = 'view' | 'click' | 'sent'
export type ImageProxy = 'gmail' | 'outlook' | 'apple'

export interface TrackingEventTable extends ReclassifiedColumns {
  id: Generated<string>
  workspace_id: WorkspaceId
  delivery_id: DeliveryId | null
  campaign_id: CampaignId
  variant_id: VariantId | null
  employee_id: UserId | null
  kind: TrackingEventKind
  occurred_at: ColumnType<Date, Date | string | undefined, never>
  human: boolean
  machine_reason: string | null
  user_agent: string | null
  /** The client's network (/24 or /48), never the raw address. */
  network: string | null
  proxy: ImageProxy | null
}

export interface ExtensionHealthTable {
  workspace_id: WorkspaceId
  user_id: UserId
  client: 'gmail' | 'outlook'
  extension_version: string
  insertions: number
  detection_failures: number
  last_error: string | null
  reported_at: UpdatedAt
}

export interface Database extends CrmTables, TargetingTables, StatsTables {
  workspace: WorkspaceTable
  app_user: AppUserTable
  api_token: ApiTokenTable
  invitation: InvitationTable
  sign_in_failure: SignInFailureTable
  account: AccountTable
  account_alias: AccountAliasTable
  contact: ContactTable
  target_group: TargetGroupTable
  target_group_account: TargetGroupAccountTable
  target_group_contact: TargetGroupContactTable
  department: DepartmentTable
  banner_image: BannerImageTable
  campaign: CampaignTable
  campaign_variant: CampaignVariantTable
  campaign_target_group: CampaignTargetGroupTable
  campaign_department: CampaignDepartmentTable
  delivery: DeliveryTable
  import_job: ImportJobTable
  import_change: ImportChangeTable
  contact_status_change: ContactStatusChangeTable
  segment: SegmentTable
  signature_template: SignatureTemplateTable
  tracking_event: TrackingEventTable
  extension_health: ExtensionHealthTable
}

export type WorkspaceRow = Selectable<WorkspaceTable>
export type UserRow = Selectable<AppUserTable>
export type NewUser = Insertable<AppUserTable>
export type UserUpdate = Updateable<AppUserTable>
export type AccountRow = Selectable<AccountTable>
export type ContactRow = Selectable<ContactTable>
