import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'
import { type Subject, subjectEvents } from './queries.ts'
import type { Part } from './range.ts'

/** The raw events behind the figures: drill-down, last clicks, re-classification. */

export interface EventRow {
  id: string
  kind: 'view' | 'click' | 'sent'
  occurred_at: Date
  human: boolean
  machine_reason: string | null
  original_reason: string | null
  reclassified_at: Date | null
  campaign_id: string
  campaign_name: string | null
  employee_id: string | null
  employee_name: string | null
  user_agent: string | null
  proxy: string | null
}

const EVENT_SELECT = sql`e.id::text as id, e.kind, e.occurred_at, e.human, e.machine_reason, e.original_reason,
  e.reclassified_at, e.campaign_id, c.name as campaign_name, e.employee_id,
  coalesce(nullif(trim(u.first_name || ' ' || u.last_name), ''), u.email) as employee_name, e.user_agent, e.proxy`

const NAMES = sql`left join campaign c on c.id = e.campaign_id left join app_user u on u.id = e.employee_id`

/**
 * A subject's events in a range, newest first, keyset-paged by (time, id); a target group's
 * once each, though they may reach several members. Machine events only
 * by default: they are the ones left out of the figures, each with its reason.
 */
export async function listEvents(
  db: Db,
  workspaceId: WorkspaceId,
  subject: Subject,
  parts: Part[],
  options: {
    classification: 'human' | 'machine' | 'all'
    kind?: 'view' | 'click' | 'sent'
    after?: { at: string; id: string }
    limit: number
  },
) {
  const events = subjectEvents(workspaceId, subject, parts)
  const filters = [events.where]
  // Written out, not a parameter: the machine events' partial index must be seen to apply.
  if (options.classification !== 'all')
    filters.push(options.classification === 'human' ? sql`e.human` : sql`not e.human`)
  if (options.kind) filters.push(sql`e.kind = ${options.kind}`)
  if (options.after)
    filters.push(sql`(e.occurred_at, e.id) < (${options.after.at}::timestamptz, ${options.after.id}::bigint)`)
  const { rows } = await sql<EventRow>`
    select ${subject.scope === 'target_group' ? sql`distinct on (e.occurred_at, e.id)` : sql``} ${EVENT_SELECT}
    from ${events.from} ${NAMES}
    where ${sql.join(filters, sql` and `)}
    order by e.occurred_at desc, e.id desc
    limit ${options.limit}`.execute(db)
  return rows
}

/** The latest clicks on deliveries to an account or contact (humans' only unless `machine`). */
export async function listLastClicks(
  db: Db,
  workspaceId: WorkspaceId,
  target: { kind: 'account' | 'contact'; id: string },
  limit: number,
) {
  const { rows } = await sql<EventRow>`
    select ${EVENT_SELECT}
    from delivery d join tracking_event e on e.delivery_id = d.id ${NAMES}
    where d.workspace_id = ${workspaceId} and ${sql.ref(`d.${target.kind}_ids`)} @> array[${target.id}]::uuid[]
      and e.kind = 'click' and e.human
    order by e.occurred_at desc, e.id desc
    limit ${limit}`.execute(db)
  return rows
}

/** One event of the workspace, locked for a re-classification, with the leads of its delivery. */
export function findEventForUpdate(db: Db, workspaceId: WorkspaceId, id: string) {
  return db
    .selectFrom('tracking_event as e')
    .leftJoin('delivery as d', 'd.id', 'e.delivery_id')
    .select([
      'e.id',
      'e.kind',
      'e.human',
      'e.machine_reason',
      'e.original_reason',
      'd.lead_domains',
      'd.lead_emails',
    ])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.id', '=', id)
    .forUpdate('e')
    .executeTakeFirst()
}

export async function setEventClass(
  db: Db,
  id: string,
  change: { human: boolean; machineReason: string | null; originalReason: string | null; by: UserId },
) {
  await db
    .updateTable('tracking_event')
    .set({
      human: change.human,
      machine_reason: change.machineReason,
      original_reason: change.originalReason,
      reclassified_at: sql`now()` as never,
      reclassified_by: change.by,
    })
    .where('id', '=', id)
    .execute()
}

export async function findEventById(db: Db, workspaceId: WorkspaceId, id: string) {
  const { rows } = await sql<EventRow>`
    select ${EVENT_SELECT} from tracking_event e ${NAMES}
    where e.workspace_id = ${workspaceId} and e.id = ${id}::bigint`.execute(db)
  return rows[0]
}

/**
 * The human clicks a network made on some deliveries since a time, locked for a re-classification,
 * with the leads of their deliveries. A marketer's own decision (`reclassified_at`) is left alone.
 */
export function findHumanClicksOfNetwork(
  db: Db,
  workspaceId: WorkspaceId,
  network: string,
  deliveryIds: string[],
  since: Date,
) {
  return db
    .selectFrom('tracking_event as e')
    .leftJoin('delivery as d', 'd.id', 'e.delivery_id')
    .select(['e.id', 'd.lead_domains', 'd.lead_emails'])
    .where('e.workspace_id', '=', workspaceId)
    .where('e.network', '=', network)
    .where('e.delivery_id', 'in', deliveryIds as never[])
    .where('e.kind', '=', 'click')
    .where('e.human', '=', true)
    .where('e.reclassified_at', 'is', null)
    .where('e.occurred_at', '>=', since)
    .forUpdate('e')
    .execute()
}

/** The classifier's own second look: machine with its reason, not a marketer's re-classification. */
export async function setEventsMachine(db: Db, ids: string[], reason: string) {
  await db
    .updateTable('tracking_event')
    .set({ human: false, machine_reason: reason })
    .where('id', 'in', ids)
    .execute()
}

/** Clicks closer than this on one delivery are a burst (`BURST_MS` of the classifier). */
const BURST = sql`interval '1 second'`
const neighbours = sql`o.delivery_id = e.delivery_id and o.kind = 'click' and o.id <> e.id
  and o.occurred_at > e.occurred_at - ${BURST} and o.occurred_at < e.occurred_at + ${BURST}`

/**
 * Of a batch of events not counted yet, the human clicks with another click on their delivery
 * within the burst window become machine (`burst`): each API process sees only its own clicks.
 */
export async function markQueuedBursts(db: Db, ids: string[]) {
  await sql`update tracking_event e set human = false, machine_reason = 'burst'
    where e.id = any(${ids}::bigint[]) and e.kind = 'click' and e.human and e.reclassified_at is null
      and exists (select 1 from tracking_event o where ${neighbours})`.execute(db)
}

/**
 * Human clicks already counted (not queued, not in the batch) that a click of the batch turns
 * into a burst, with the leads of their deliveries; a marketer's own decision is left alone.
 */
export async function findCountedBurstClicks(db: Db, ids: string[]) {
  const { rows } = await sql<{
    id: string
    workspace_id: WorkspaceId
    lead_domains: string[] | null
    lead_emails: string[] | null
  }>`
    select distinct o.id::text as id, o.workspace_id, d.lead_domains, d.lead_emails
    from tracking_event e
    join tracking_event o on ${neighbours}
    left join delivery d on d.id = o.delivery_id
    where e.id = any(${ids}::bigint[]) and e.kind = 'click'
      and o.human and o.reclassified_at is null and not o.id = any(${ids}::bigint[])
      and not exists (select 1 from stats_queue q where q.event_id = o.id)`.execute(db)
  return rows
}
