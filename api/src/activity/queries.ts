import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'

export interface FeedRow {
  id: string
  kind: 'view' | 'click' | 'sent'
  at: Date
  human: boolean
  machine_reason: string | null
  campaign_id: string
  campaign_name: string | null
  employee_id: string | null
  employee_name: string | null
  accounts: { id: string; name: string }[]
  contacts: { id: string; name: string }[]
  lead_domains: string[]
}

/**
 * The latest events of a workspace with the names a marketer reads. Contacts only when the
 * workspace records per-person history. Newest first: a page before a cursor or, for the live
 * stream, the latest since an instant.
 */
export async function listFeed(
  db: Db,
  workspaceId: WorkspaceId,
  options: {
    includeMachine: boolean
    withContacts: boolean
    before?: { at: string; id: string }
    since?: Date
    limit: number
  },
) {
  const contacts = options.withContacts
    ? sql`coalesce((select json_agg(json_build_object('id', k.id,
        'name', trim(k.first_name || ' ' || k.last_name || ' <' || k.email || '>'))) from contact k
        where k.id = any(d.contact_ids)), '[]')`
    : sql`'[]'::json`
  const { rows } = await sql<FeedRow>`
    select e.id::text as id, e.kind, e.occurred_at as at, e.human, e.machine_reason, e.campaign_id,
      c.name as campaign_name, e.employee_id,
      coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email) as employee_name,
      coalesce((select json_agg(json_build_object('id', a.id, 'name', coalesce(nullif(a.name, ''), a.domain)))
        from account a where a.id = any(d.account_ids)), '[]') as accounts,
      ${contacts} as contacts, coalesce(d.lead_domains, '{}') as lead_domains
    from tracking_event e
    left join delivery d on d.id = e.delivery_id
    left join campaign c on c.id = e.campaign_id
    left join app_user u on u.id = e.employee_id
    where e.workspace_id = ${workspaceId}
      ${options.includeMachine ? sql`` : sql`and e.human`}
      ${options.before ? sql`and (e.occurred_at, e.id) < (${options.before.at}::timestamptz, ${options.before.id}::bigint)` : sql``}
      ${options.since ? sql`and e.occurred_at >= ${options.since.toISOString()}::timestamptz` : sql``}
    order by e.occurred_at desc, e.id desc
    limit ${options.limit}`.execute(db)
  return rows
}

/** Whether a stream ticket's user may still read the workspace's feed. */
export async function isLiveMarketer(db: Db, workspaceId: WorkspaceId, userId: UserId) {
  const row = await db
    .selectFrom('app_user')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .where('role', 'in', ['marketer', 'admin'])
    .executeTakeFirst()
  return row !== undefined
}

export interface ActivityRow {
  type: 'delivery' | 'view' | 'click' | 'status'
  at: Date
  ref: string
  channel: string
  campaign_id: string | null
  campaign_name: string | null
  status: string
  detail: string | null
}

/**
 * A contact's history, newest first: deliveries to them, views and clicks of those deliveries
 * (only with `tracking`), and status changes.
 */
export async function listContactActivity(
  db: Db,
  workspaceId: WorkspaceId,
  contactId: string,
  options: { tracking: boolean; before?: { at: string; ref: string }; limit: number },
) {
  const ofContact = sql`d.workspace_id = ${workspaceId} and d.contact_ids @> array[${contactId}]::uuid[]`
  const tracked = options.tracking
    ? sql`select 'delivery' as type, coalesce(d.sent_at, d.created_at) as at, 'd' || d.id::text as ref, 'email' as channel,
          d.campaign_id, case when d.sent_at is null then 'not sent' else 'sent' end as status, null::text as detail
        from delivery d where ${ofContact}
        union all
        select e.kind, e.occurred_at, 'e' || lpad(e.id::text, 20, '0'), 'email', e.campaign_id,
          case when e.human then 'human' else 'machine' end, e.machine_reason
        from delivery d join tracking_event e on e.delivery_id = d.id
        where ${ofContact} and e.kind in ('view', 'click')
        union all`
    : sql``
  const { rows } = await sql<ActivityRow>`
    select a.*, c.name as campaign_name from (
      ${tracked}
      select 'status' as type, s.created_at as at, 's' || s.id::text as ref,
        case when s.actor_id is null then 'system' else 'user' end as channel,
        null::uuid as campaign_id, s.to_status as status, s.reason as detail
      from contact_status_change s where s.workspace_id = ${workspaceId} and s.contact_id = ${contactId}::uuid
    ) a left join campaign c on c.id = a.campaign_id
    ${options.before ? sql`where (a.at, a.ref) < (${options.before.at}::timestamptz, ${options.before.ref})` : sql``}
    order by a.at desc, a.ref desc
    limit ${options.limit}`.execute(db)
  return rows
}
