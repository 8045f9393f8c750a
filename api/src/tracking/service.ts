import type { Db } from '../db/index.ts'
import type { BannerImageId, DeliveryId } from '../db/schema.ts'
import { deliveryWriter } from '../resolve/deliveries.ts'
import { reclassifyNetworkBurst } from '../stats/reclassify.ts'
import { BURST_MS, classify, isPublicAddress, networkOf, type TrackingRequest } from './classify.ts'
import { type BurstStart, NetworkBursts } from './network-bursts.ts'
import {
  findBannerImage,
  findCampaignDestination,
  findDeliveriesForTracking,
  type NewTrackingEvent,
} from './queries.ts'
import { EventRecorder, type RecorderOptions } from './recorder.ts'

type Delivery = Awaited<ReturnType<typeof findDeliveriesForTracking>>[number]
type Image = NonNullable<Awaited<ReturnType<typeof findBannerImage>>>
interface Destination {
  url: string
  utm: Record<string, unknown>
  /** `destinationWithUtm(url, utm)`, worked out once per read. */
  location: string | undefined
}

const DELIVERY_TTL_MS = 60_000
const UNSENT_TTL_MS = 5_000
const DESTINATION_TTL_MS = 5_000
const VIEW_WINDOW_MS = 3_600_000
const MAX_ENTRIES = 50_000
const MAX_IMAGE_BYTES = 64 * 1024 * 1024
const USER_AGENT_MAX = 512

/** A map that forgets its oldest entries past `max`, and entries older than their time to live. */
class TtlCache<K, V> {
  private map = new Map<K, { value: V; expires: number }>()
  constructor(
    private readonly ttlMs: number,
    private readonly max = MAX_ENTRIES,
  ) {}
  get(key: K): V | undefined {
    const hit = this.map.get(key)
    if (!hit) return undefined
    if (hit.expires < Date.now()) {
      this.map.delete(key)
      return undefined
    }
    return hit.value
  }
  set(key: K, value: V): void {
    this.map.delete(key)
    this.map.set(key, { value, expires: Date.now() + this.ttlMs })
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as K)
  }
  delete(key: K): void {
    this.map.delete(key)
  }
}

/**
 * Everything the tracking routes keep in memory for one database: short-lived caches so a click
 * costs no query when the same delivery and campaign were seen moments ago, the per-delivery
 * state classification needs (last link hit, last counted view), and the event recorder.
 *
 * Per process: repeated views are also dropped when written (see `insertTrackingEvents`), and a
 * burst split across API processes is found by the rollup job (`markBurstsAcrossProcesses`).
 */
export class TrackingService {
  readonly recorder: EventRecorder
  private deliveries = new TtlCache<string, Delivery>(DELIVERY_TTL_MS)
  private unsent = new TtlCache<string, Delivery>(UNSENT_TTL_MS)
  private destinations = new TtlCache<string, Destination | null>(DESTINATION_TTL_MS)
  private images = new Map<string, Image>()
  private imageBytes = 0
  private lastLinkHit = new TtlCache<string, { at: number; event: NewTrackingEvent }>(BURST_MS)
  private lastView = new TtlCache<string, number>(VIEW_WINDOW_MS)
  private networkBursts = new NetworkBursts()
  /** Corrections of clicks already written when their network's burst showed, in order. */
  private corrections: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Db,
    recorderOptions?: RecorderOptions,
  ) {
    this.recorder = new EventRecorder(db, recorderOptions).start()
  }

  /**
   * A signed token names a delivery that existed when it was made. One not found is not cached:
   * it may be one another process is still writing, and a valid signature makes misses rare.
   */
  async delivery(id: DeliveryId): Promise<Delivery | undefined> {
    const hit = this.deliveries.get(id) ?? this.unsent.get(id)
    if (hit) return hit
    await deliveryWriter(this.db).ensureWritten(id)
    const row = await this.read(id)
    // Not yet sent: kept briefly, so a send reported to another process is seen soon.
    if (row) (row.sent_at ? this.deliveries : this.unsent).set(id, row)
    return row
  }

  /** Deliveries asked for in the same turn of the event loop, read together. */
  private reading: { ids: DeliveryId[]; rows: Promise<Map<string, Delivery>> } | undefined

  /**
   * One statement for every delivery missed in this turn of the event loop: under load, many
   * requests miss at once, and one round trip with a few dozen ids costs about what one costs.
   */
  private async read(id: DeliveryId): Promise<Delivery | undefined> {
    if (!this.reading) {
      const batch: { ids: DeliveryId[]; rows?: Promise<Map<string, Delivery>> } = { ids: [] }
      batch.rows = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
        if (this.reading === batch) this.reading = undefined
        const rows = await findDeliveriesForTracking(this.db, batch.ids)
        return new Map(rows.map((row) => [row.id, row]))
      })
      this.reading = batch as Required<typeof batch>
    }
    this.reading.ids.push(id)
    // PostgreSQL spells a uuid in lower case; a verified token's id is already spelled so.
    return (await this.reading.rows).get(id.toLowerCase())
  }

  /** After the extension reports the send, so "too soon after send" uses the real time. */
  forgetDelivery(id: string): void {
    this.deliveries.delete(id)
    this.unsent.delete(id)
  }

  async destination(campaignId: string) {
    let hit = this.destinations.get(campaignId)
    if (hit === undefined) {
      const row = await findCampaignDestination(this.db, campaignId)
      hit = row
        ? {
            url: row.destination_url,
            utm: row.utm,
            location: destinationWithUtm(row.destination_url, row.utm),
          }
        : null
      this.destinations.set(campaignId, hit)
    }
    return hit ?? undefined
  }

  /** Banner images never change (a new banner is a new image), so they are cached by id. */
  async image(id: BannerImageId): Promise<Image | undefined> {
    const cached = this.images.get(id)
    if (cached) return cached
    const image = await findBannerImage(this.db, id)
    if (image) {
      if (this.imageBytes + image.bytes.length > MAX_IMAGE_BYTES) {
        this.images.clear()
        this.imageBytes = 0
      }
      this.images.set(id, image)
      this.imageBytes += image.bytes.length
    }
    return image
  }

  /**
   * Classifies and buffers one tracking request. Views are counted once per delivery and hour;
   * a HEAD on the image is not counted at all.
   */
  record(delivery: Delivery, req: TrackingRequest): void {
    const now = req.at.getTime()
    if (req.kind === 'view' && req.method === 'HEAD') return
    const previous = req.kind === 'view' ? undefined : this.lastLinkHit.get(delivery.id)
    const burst = previous !== undefined && now - previous.at < BURST_MS
    const network = networkOf(req.address)
    const seen =
      network && req.kind !== 'view' && isPublicAddress(req.address)
        ? this.networkBursts.add(delivery.workspace_id, network, delivery.id, now)
        : undefined
    const verdict = classify(req, {
      sentAt: delivery.sent_at ?? delivery.created_at,
      sent: delivery.sent_at !== null,
      createdAt: delivery.created_at,
      burst,
      networkBurst: seen?.bursting,
    })
    // A compose-window preview is kept (with its reason) but never hides the reader's view.
    if (req.kind === 'view' && verdict.reason !== 'before_send') {
      const last = this.lastView.get(delivery.id)
      if (last !== undefined && now - last < VIEW_WINDOW_MS) return
      this.lastView.set(delivery.id, now)
    }
    const event: NewTrackingEvent = {
      workspace_id: delivery.workspace_id,
      delivery_id: delivery.id,
      campaign_id: delivery.campaign_id,
      variant_id: delivery.variant_id,
      employee_id: delivery.employee_id,
      kind: req.kind === 'view' ? 'view' : 'click',
      occurred_at: req.at,
      human: verdict.human,
      machine_reason: verdict.reason,
      user_agent: req.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
      network,
      proxy: verdict.proxy,
    }
    // The first hit of a burst looked human when it came; if it is still buffered, correct it.
    if (burst && previous.event.human) {
      previous.event.human = false
      previous.event.machine_reason = 'burst'
    }
    if (req.kind !== 'view') this.lastLinkHit.set(delivery.id, { at: now, event })
    if (seen) seen.hit.event = event
    if (seen?.started && network) this.correctBurst(network, seen.started)
    this.recorder.record(event)
  }

  /**
   * The clicks before a network's burst showed were taken for people's. Those still buffered are
   * corrected here; those already written, once the recorder has written what it holds, in the
   * database and its rollups (`reclassifyNetworkBurst`).
   */
  private correctBurst(network: string, started: BurstStart): void {
    const deliveryIds: string[] = []
    for (const hit of started.earlier) {
      deliveryIds.push(hit.deliveryId)
      if (hit.event?.human) {
        hit.event.human = false
        hit.event.machine_reason = 'network_burst'
      }
    }
    this.corrections = this.corrections
      .then(() => this.recorder.flush())
      .then(() =>
        reclassifyNetworkBurst(this.db, started.workspaceId, {
          network,
          deliveryIds,
          since: started.since,
          reason: 'network_burst',
        }),
      )
      .catch((error: Error) =>
        console.warn(`[signet] tracking: cannot re-classify a network's burst: ${error.message}`),
      )
  }

  /** Resolves when every correction asked for so far is done (or has failed and been logged). */
  settled(): Promise<void> {
    return this.corrections
  }
}

const services = new WeakMap<Db, TrackingService>()

/** The tracking service of a database handle, created (and its recorder started) on first use. */
export function trackingService(db: Db, recorderOptions?: RecorderOptions): TrackingService {
  let service = services.get(db)
  if (!service) {
    service = new TrackingService(db, recorderOptions)
    services.set(db, service)
  }
  return service
}

/** Writes every buffered event; call on graceful shutdown before the database closes. */
export async function stopTracking(db: Db, timeoutMs?: number): Promise<void> {
  const service = services.get(db)
  await service?.settled()
  await service?.recorder.stop(timeoutMs)
}

/** The campaign's stored destination with its UTM parameters; undefined unless http or https. */
export function destinationWithUtm(destination: string, utm: Record<string, unknown>): string | undefined {
  let url: URL
  try {
    url = new URL(destination)
  } catch {
    return undefined
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
  for (const [name, value] of Object.entries(utm)) {
    const key = name.startsWith('utm_') ? name : `utm_${name}`
    if (typeof value === 'string' && value && /^utm_[a-z_]+$/.test(key)) url.searchParams.set(key, value)
  }
  return url.toString()
}
