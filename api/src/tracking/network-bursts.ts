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
  /** When the network's current burst was recognised; undefined while it is not bursting. */
  burstSince?: number
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
 * per process, like the per-delivery burst (a burst split across API processes is not seen).
 */
export class NetworkBursts {
  private windows = new Map<string, Window>()

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
    let window = this.windows.get(key)
    if (window) this.windows.delete(key)
    else window = { hits: [] }
    // Re-inserted: the map's order is the order of last use, so the oldest is forgotten first.
    this.windows.set(key, window)
    if (this.windows.size > MAX_NETWORKS) this.windows.delete(this.windows.keys().next().value!)

    const from = hit.at - NETWORK_BURST_MS
    window.hits = window.hits.filter((h) => h.at > from)
    window.hits.push(hit)
    if (window.hits.length > MAX_HITS) window.hits.shift()
    const deliveries = new Set(window.hits.map((h) => h.deliveryId)).size
    if (deliveries < NETWORK_BURST_DELIVERIES) {
      window.burstSince = undefined
      return { hit, bursting: false }
    }
    if (window.burstSince !== undefined) return { hit, bursting: true }
    window.burstSince = hit.at
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
