import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type {
  AccountId,
  CampaignId,
  ContactId,
  DepartmentId,
  TargetGroupId,
  UserId,
  VariantId,
  WorkspaceId,
} from '../db/schema.ts'

export interface ServableCampaign {
  id: CampaignId
  name: string
  kind: 'receiver' | 'sender'
  senderScope: 'all' | 'departments'
  priority: number
  /** When it started serving: its start date, else when it was created. */
  startedAt: Date
  startsAt: Date | null
  endsAt: Date | null
  landing: { destination_url: string; utm: Record<string, unknown> }
  groupIds: TargetGroupId[]
  departmentIds: DepartmentId[]
  variants: {
    id: VariantId
    altText: string
    weight: number
    width: number
    height: number
    sha256: string
  }[]
}

/**
 * Every campaign that serves now or may serve later: published, not paused, not deleted, not
 * ended, with at least one variant that has an image and a weight. Resolve keeps this list in
 * memory per workspace and applies the schedule and audience per request.
 */
export async function listPublishedCampaigns(db: Db, workspaceId: WorkspaceId): Promise<ServableCampaign[]> {
  const rows = await db
    .selectFrom('campaign as c')
    .innerJoin('campaign_variant as v', 'v.campaign_id', 'c.id')
    .innerJoin('banner_image as i', 'i.id', 'v.image_id')
    .select([
      'c.id',
      'c.name',
      'c.kind',
      'c.sender_scope',
      'c.priority',
      'c.destination_url',
      'c.utm',
      'c.starts_at',
      'c.ends_at',
      sql<Date>`coalesce(c.starts_at, c.created_at)`.as('started_at'),
      'v.id as variant_id',
      'v.alt_text',
      'v.weight',
      'i.width',
      'i.height',
      'i.sha256',
      sql<
        string[]
      >`array(select g.group_id::text from campaign_target_group g where g.campaign_id = c.id)`.as(
        'group_ids',
      ),
      sql<
        string[]
      >`array(select d.department_id::text from campaign_department d where d.campaign_id = c.id)`.as(
        'department_ids',
      ),
    ])
    .where('c.workspace_id', '=', workspaceId)
    .where('c.is_draft', '=', false)
    .where('c.paused_at', 'is', null)
    .where('c.deleted_at', 'is', null)
    .where((eb) => eb.or([eb('c.ends_at', 'is', null), eb('c.ends_at', '>', sql<Date>`now()`)]))
    .where('v.weight', '>', 0)
    .orderBy('c.id')
    .orderBy('v.created_at')
    .orderBy('v.name')
    .execute()
  const byId = new Map<string, ServableCampaign>()
  for (const r of rows) {
    let campaign = byId.get(r.id)
    if (!campaign) {
      campaign = {
        id: r.id,
        name: r.name,
        kind: r.kind,
        senderScope: r.sender_scope,
        priority: r.priority,
        startedAt: new Date(r.started_at),
        startsAt: r.starts_at,
        endsAt: r.ends_at,
        landing: { destination_url: r.destination_url, utm: r.utm as Record<string, unknown> },
        groupIds: r.group_ids as TargetGroupId[],
        departmentIds: r.department_ids as DepartmentId[],
        variants: [],
      }
      byId.set(r.id, campaign)
    }
    campaign.variants.push({
      id: r.variant_id,
      altText: r.alt_text,
      weight: r.weight,
      width: r.width,
      height: r.height,
      sha256: r.sha256,
    })
  }
  return [...byId.values()]
}

/**
 * The workspace's resolve settings, its campaign version, and whether targets changed since the
 * in-memory index's snapshot `since` (always "yes" without one), in one round trip.
 */
export function findResolveSettings(db: Db, workspaceId: WorkspaceId, since: string | null) {
  const changed =
    since === null
      ? sql<boolean>`true`
      : sql<boolean>`exists (select 1 from targeting_change t where t.workspace_id = w.id
          and t.xid >= pg_snapshot_xmin(${since}::pg_snapshot)
          and not pg_visible_in_snapshot(t.xid, ${since}::pg_snapshot))`
  return db
    .selectFrom('workspace as w')
    .leftJoin('targeting_version as v', 'v.workspace_id', 'w.id')
    .select([
      'w.internal_domains',
      'w.tracking_tier',
      'w.multi_recipient_policy',
      sql<string>`coalesce(v.version, 0)::text`.as('version'),
      changed.as('targets_changed'),
      sql<string>`pg_current_snapshot()::text`.as('snapshot'),
    ])
    .where('w.id', '=', workspaceId)
    .executeTakeFirstOrThrow()
}

export function insertDelivery(
  db: Db,
  values: {
    workspaceId: WorkspaceId
    campaignId: CampaignId
    variantId: VariantId
    employeeId: UserId
    accountIds: AccountId[]
    contactIds: ContactId[]
    leadDomains: string[]
    leadEmails: string[]
  },
) {
  return db
    .insertInto('delivery')
    .values({
      workspace_id: values.workspaceId,
      campaign_id: values.campaignId,
      variant_id: values.variantId,
      employee_id: values.employeeId,
      account_ids: values.accountIds,
      contact_ids: values.contactIds,
      lead_domains: values.leadDomains,
      lead_emails: values.leadEmails,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}
