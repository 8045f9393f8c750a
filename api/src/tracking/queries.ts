import { type Insertable, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type {
  BannerImageId,
  DeliveryId,
  TrackingEventTable,
  UserId,
  VariantId,
  WorkspaceId,
} from '../db/schema.ts'

export type NewTrackingEvent = Insertable<TrackingEventTable>

// Tracking requests carry no session: the signed token names the delivery, and the delivery
// names its workspace. So these lookups are by id alone, and only ever with a verified id.

/** The deliveries tracking needs, with their variant's image; ids not found are left out. */
export function findDeliveriesForTracking(db: Db, deliveryIds: DeliveryId[]) {
  return db
    .selectFrom('delivery as d')
    .innerJoin('campaign_variant as v', 'v.id', 'd.variant_id')
    .select([
      'd.id',
      'd.workspace_id',
      'd.campaign_id',
      'd.variant_id',
      'd.employee_id',
      'd.created_at',
      'd.sent_at',
      'v.image_id',
    ])
    .where(sql<boolean>`d.id = any(${deliveryIds}::uuid[])`)
    .execute()
}

/** Where a click goes: read from the campaign on every cache miss, never from the request. */
export function findCampaignDestination(db: Db, campaignId: string) {
  return db
    .selectFrom('campaign')
    .select(['destination_url', 'utm'])
    .where('id', '=', campaignId as never)
    .executeTakeFirst()
}

export function findBannerImage(db: Db, imageId: BannerImageId) {
  return db
    .selectFrom('banner_image')
    .select(['id', 'content_type', 'sha256', 'bytes'])
    .where('id', '=', imageId)
    .executeTakeFirst()
}

/**
 * The image of a variant, for untracked banners: also of a deleted campaign, whose banner is in
 * emails already sent (as a tracked banner's image keeps being served).
 */
export function findVariantImageId(db: Db, variantId: VariantId) {
  return db.selectFrom('campaign_variant').select('image_id').where('id', '=', variantId).executeTakeFirst()
}

const HOUR_MS = 3_600_000

/**
 * A view is counted once per delivery and hour. Each process already skips its own repeats;
 * this drops views another process (or an earlier batch) has written for the same delivery
 * within the hour before. Two processes writing the same hour's view in the same instant can
 * still both count it.
 */
async function withoutRepeatedViews(db: Db, events: NewTrackingEvent[]) {
  const views = events.filter((e) => e.kind === 'view' && e.delivery_id)
  if (!views.length) return events
  const times = views.map((e) => new Date(e.occurred_at ?? Date.now()).getTime())
  const since = new Date(Math.min(...times) - HOUR_MS)
  const written = await db
    .selectFrom('tracking_event')
    .select(['delivery_id', 'id', 'occurred_at'])
    .where('kind', '=', 'view')
    // The compose window's own preview never hides the reader's view.
    .where((eb) => eb.or([eb('machine_reason', 'is', null), eb('machine_reason', '!=', 'before_send')]))
    // One array parameter, not one parameter per delivery: the same statement for any batch.
    .where(sql<boolean>`delivery_id = any(${[...new Set(views.map((e) => e.delivery_id!))]}::uuid[])`)
    .where('occurred_at', '>', since)
    .execute()
  if (!written.length) return events
  const byDelivery = new Map<string, typeof written>()
  for (const w of written) {
    const list = byDelivery.get(w.delivery_id!)
    if (list) list.push(w)
    else byDelivery.set(w.delivery_id!, [w])
  }
  return events.filter((e) => {
    if (e.kind !== 'view' || !e.delivery_id) return true
    const at = new Date(e.occurred_at ?? Date.now()).getTime()
    return !byDelivery
      .get(e.delivery_id)
      ?.some((w) => w.id !== e.id && at - w.occurred_at.getTime() < HOUR_MS && w.occurred_at.getTime() <= at)
  })
}

/**
 * One multi-row insert for a batch of buffered events, safe to retry. A connection lost after
 * the commit but before the answer would otherwise write the batch twice on retry: each event
 * gets its id from the sequence before its first attempt, keeps it, and a retry skips the ids
 * that are already there.
 */
export async function insertTrackingEvents(db: Db, batch: NewTrackingEvent[]) {
  const events = await withoutRepeatedViews(db, batch)
  if (!events.length) return
  const missing = events.filter((e) => e.id === undefined)
  if (missing.length) {
    const { rows } = await sql<{ id: string }>`
      select nextval(pg_get_serial_sequence('tracking_event', 'id'))::text as id
      from generate_series(1, ${missing.length})`.execute(db)
    missing.forEach((event, i) => {
      event.id = rows[i]!.id
    })
  }
  // The batch travels as one JSON parameter: a single short statement however large the batch,
  // so PostgreSQL parses and plans the same text every time; and JSON.stringify costs a third
  // of pg's escaping of 13 arrays, work done on the event loop while requests wait.
  const rows = events.map((e) => ({
    id: e.id,
    workspace_id: e.workspace_id ?? null,
    delivery_id: e.delivery_id ?? null,
    campaign_id: e.campaign_id ?? null,
    variant_id: e.variant_id ?? null,
    employee_id: e.employee_id ?? null,
    kind: e.kind ?? null,
    occurred_at: new Date(e.occurred_at ?? Date.now()).toISOString(),
    human: e.human ?? null,
    machine_reason: e.machine_reason ?? null,
    user_agent: e.user_agent ?? null,
    network: e.network ?? null,
    proxy: e.proxy ?? null,
  }))
  await sql`
    insert into tracking_event (id, workspace_id, delivery_id, campaign_id, variant_id, employee_id,
      kind, occurred_at, human, machine_reason, user_agent, network, proxy)
    select id, workspace_id, delivery_id, campaign_id, variant_id, employee_id,
      kind, occurred_at, human, machine_reason, user_agent, network, proxy
    from json_to_recordset(${JSON.stringify(rows)}::json) as x(
      id bigint, workspace_id uuid, delivery_id uuid, campaign_id uuid, variant_id uuid, employee_id uuid,
      kind text, occurred_at timestamptz, human boolean, machine_reason text, user_agent text,
      network text, proxy text)
    on conflict (id) do nothing`.execute(db)
}

/**
 * Marks the employee's own delivery as sent, once. Answers undefined when the delivery is not
 * this employee's in this workspace, and `{ first: false }` when it was already reported.
 */
export async function recordDeliverySent(
  db: Db,
  workspaceId: WorkspaceId,
  employeeId: UserId,
  deliveryId: DeliveryId,
) {
  return db.transaction().execute(async (trx) => {
    const delivery = await trx
      .selectFrom('delivery')
      .select(['id', 'campaign_id', 'variant_id', 'sent_at'])
      .where('workspace_id', '=', workspaceId)
      .where('employee_id', '=', employeeId)
      .where('id', '=', deliveryId)
      .forUpdate()
      .executeTakeFirst()
    if (!delivery) return undefined
    if (delivery.sent_at) return { first: false, sentAt: delivery.sent_at }
    const { sent_at } = await trx
      .updateTable('delivery')
      .set({ sent_at: sql`now()` })
      .where('id', '=', deliveryId)
      .returning('sent_at')
      .executeTakeFirstOrThrow()
    await trx
      .insertInto('tracking_event')
      .values({
        workspace_id: workspaceId,
        delivery_id: deliveryId,
        campaign_id: delivery.campaign_id,
        variant_id: delivery.variant_id,
        employee_id: employeeId,
        kind: 'sent',
        human: true,
      })
      .execute()
    return { first: true, sentAt: sent_at! }
  })
}
