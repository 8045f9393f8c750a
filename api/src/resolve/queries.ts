import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type {
  AccountId,
  CampaignId,
  ContactId,
  DeliveryId,
  DepartmentId,
  TargetGroupId,
  UserId,
  VariantId,
  WorkspaceId,
} from '../db/schema.ts'
import { type ProfileRow, profileColumns } from '../employees/queries.ts'

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
 * Everything a resolve reads besides targets, in one round trip: the workspace's settings, its
 * campaign version, whether targets changed since the in-memory index's snapshot `since` (always
 * "yes" without one), the employee's profile and the HTML of their template (own, department's,
 * else the workspace default).
 */
export async function findResolveContext(
  db: Db,
  workspaceId: WorkspaceId,
  employeeId: UserId,
  since: string | null,
) {
  const changed =
    since === null
      ? sql<boolean>`true`
      : sql<boolean>`exists (select 1 from targeting_change t where t.workspace_id = w.id
          and t.xid >= pg_snapshot_xmin(${since}::pg_snapshot)
          and not pg_visible_in_snapshot(t.xid, ${since}::pg_snapshot))`
  const row = await db
    .selectFrom('workspace as w')
    .leftJoin('targeting_version as v', 'v.workspace_id', 'w.id')
    .leftJoin('app_user as u', (join) =>
      join.onRef('u.workspace_id', '=', 'w.id').on('u.id', '=', employeeId),
    )
    .leftJoin('department as d', 'd.id', 'u.department_id')
    .select([
      'w.internal_domains',
      'w.tracking_tier',
      'w.multi_recipient_policy',
      sql<string>`coalesce(v.version, 0)::text`.as('version'),
      changed.as('targets_changed'),
      sql<string>`pg_current_snapshot()::text`.as('snapshot'),
      sql<string | null>`(select t.html from signature_template t
         where t.workspace_id = w.id
           and (t.id = u.signature_template_id or t.id = d.signature_template_id or t.is_default)
         order by case when t.id = u.signature_template_id then 0
                       when t.id = d.signature_template_id then 1 else 2 end
         limit 1)`.as('template_html'),
      ...profileColumns,
    ])
    .where('w.id', '=', workspaceId)
    .executeTakeFirstOrThrow()
  const {
    internal_domains,
    tracking_tier,
    multi_recipient_policy,
    version,
    targets_changed,
    snapshot,
    template_html,
    ...profile
  } = row
  return {
    workspace: {
      internal_domains,
      tracking_tier,
      multi_recipient_policy,
      version,
      targets_changed,
      snapshot,
    },
    // The left join gives a row of nulls for an employee of another workspace or none.
    profile: profile.id === null ? undefined : (profile as ProfileRow),
    templateHtml: template_html,
  }
}

export interface NewDelivery {
  id: DeliveryId
  workspace_id: WorkspaceId
  campaign_id: CampaignId
  variant_id: VariantId
  employee_id: UserId
  account_ids: AccountId[]
  contact_ids: ContactId[]
  lead_domains: string[]
  lead_emails: string[]
  created_at: Date
}

/** One statement for a whole batch: the rows travel as one JSON array. */
export async function insertDeliveries(db: Db, rows: NewDelivery[]): Promise<void> {
  if (rows.length === 0) return
  await sql`
    insert into delivery (id, workspace_id, campaign_id, variant_id, employee_id, account_ids, contact_ids,
                          lead_domains, lead_emails, created_at)
    select id, workspace_id, campaign_id, variant_id, employee_id, account_ids, contact_ids,
           lead_domains, lead_emails, created_at
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
        id uuid, workspace_id uuid, campaign_id uuid, variant_id uuid, employee_id uuid, account_ids uuid[],
        contact_ids uuid[], lead_domains text[], lead_emails text[], created_at timestamptz)
    on conflict (id) do nothing`.execute(db)
}
