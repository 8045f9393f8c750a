import type { WorkspaceId } from '../db/schema.ts'
import { NETWORK_BURST_DELIVERIES, NETWORK_BURST_MS } from './classify.ts'
import type { NewTrackingEvent } from './queries.ts'

/** Hits kept per network: enough to see a burst, bounded whatever a network sends. */
const MAX_HITS = 4 * NETWORK_BURST_DELIVERIES
const MAX_NETWORKS = 50_000

interface Hit {
  deliveryId: string
  at: number
  /** The click's event, set by the caller once classified. */
  event?: NewTrackingEvent
}

interface Window {
  hits: Hit[]
  /** Whether the network is bursting now: its earlier clicks were handed out for correction. */
  bursting: boolean
}

/** The burst a click completed: the earlier clicks of it, counted as people's until now. */
export interface BurstStart {
  workspaceId: WorkspaceId
  network: string
  since: Date
  earlier: Hit[]
}

/**
 * Clicks per workspace and network over the last `NETWORK_BURST_MS`, to tell a network clicking
 * the links of many different mails at once (a gateway scanning every inbound mail, a crawler)
 * from its people. Per workspace, so one workspace's traffic never changes another's figures;
 * per process (a network's burst split across API processes is not seen; the per-delivery burst
 * is looked for again by the rollup job).
 */
export class NetworkBursts {
  private windows = new Map<string, Window>()

  /** How many networks are remembered now. */
  get size(): number {
    return this.windows.size
  }

  /**
   * Adds a click; answers whether its network is bursting, and, for the click that starts a
   * burst, the earlier clicks of the window so they can be corrected.
   */
  add(
    workspaceId: WorkspaceId,
    network: string,
    deliveryId: string,
    at: number,
  ): { hit: Hit; bursting: boolean; started?: BurstStart } {
    const hit: Hit = { deliveryId, at }
    const key = `${workspaceId} ${network}`
    const window: Window = this.windows.get(key) ?? { hits: [], bursting: false }
    this.windows.delete(key)
    // The map's order is the order of last use: forget, from the front, the windows whose last
    // click has left the window, and the oldest past MAX_NETWORKS. A few per click at most, so
    // memory holds about the last NETWORK_BURST_MS of clicks.
    for (const [stale, w] of this.windows) {
      const last = w.hits.at(-1)?.at ?? 0
      if (this.windows.size < MAX_NETWORKS && last > at - NETWORK_BURST_MS) break
      this.windows.delete(stale)
    }
    this.windows.set(key, window)

    const from = hit.at - NETWORK_BURST_MS
    window.hits = window.hits.filter((h) => h.at > from)
    window.hits.push(hit)
    if (window.hits.length > MAX_HITS) window.hits.shift()
    const deliveries = new Set(window.hits.map((h) => h.deliveryId)).size
    if (deliveries < NETWORK_BURST_DELIVERIES) {
      window.bursting = false
      return { hit, bursting: false }
    }
    if (window.bursting) return { hit, bursting: true }
    window.bursting = true
    const earlier = window.hits.slice(0, -1)
    return {
      hit,
      bursting: true,
      started: {
        workspaceId,
        network,
        since: new Date(Math.min(...earlier.map((h) => h.at))),
        earlier,
      },
    }
  }
}
