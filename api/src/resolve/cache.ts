import type { Db } from '../db/index.ts'
import type { DepartmentId, TargetGroupId, WorkspaceId } from '../db/schema.ts'
import { listPublishedCampaigns, type ServableCampaign } from './queries.ts'

/**
 * The campaigns of each workspace, in memory, per database handle (so each API process has its
 * own). An entry is valid for the version it was loaded at: while the change feed is live, the
 * feed's `campaigns` version, which the `signet_targeting` notification moves on every campaign
 * change from any process; without it, the targeting version resolve reads with the settings.
 */
interface Entry {
  version: string
  campaigns: Promise<ServableCampaign[]>
}

const caches = new WeakMap<Db, Map<WorkspaceId, Entry>>()
const MAX_WORKSPACES = 10_000

export function publishedCampaigns(
  db: Db,
  workspaceId: WorkspaceId,
  version: string,
): Promise<ServableCampaign[]> {
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  const entry = cache.get(workspaceId)
  if (entry && entry.version === version) return entry.campaigns
  const campaigns = listPublishedCampaigns(db, workspaceId)
  if (cache.size >= MAX_WORKSPACES) cache.delete(cache.keys().next().value!)
  cache.set(workspaceId, { version, campaigns })
  // A failed load must not stay cached.
  campaigns.catch(() => {
    if (cache.get(workspaceId)?.campaigns === campaigns) cache.delete(workspaceId)
  })
  return campaigns
}

/** The published campaigns indexed by what selects them; built once per loaded list. */
interface Lookup {
  /** Receiver-based campaigns by the target groups they run in. */
  byGroup: Map<TargetGroupId, ServableCampaign[]>
  senders: ServableCampaign[]
  sendersByDepartment: Map<DepartmentId | null, Senders>
  /** Each campaign's place in the list, so a selection keeps the list's order. */
  order: Map<ServableCampaign, number>
}

/** The sender-based campaigns for everyone and for one department, and which of them serve. */
interface Senders {
  all: ServableCampaign[]
  /** Those of `all` serving at any time in [from, until): no start or end falls between. */
  serving: ServableCampaign[]
  /** Their places in the list. */
  order: number[]
  from: number
  until: number
}
const lookups = new WeakMap<ServableCampaign[], Lookup>()

function lookupOf(campaigns: ServableCampaign[]): Lookup {
  let lookup = lookups.get(campaigns)
  if (lookup) return lookup
  lookup = { byGroup: new Map(), senders: [], sendersByDepartment: new Map(), order: new Map() }
  for (const [i, c] of campaigns.entries()) {
    lookup.order.set(c, i)
    if (c.kind === 'sender') lookup.senders.push(c)
    else
      for (const g of c.groupIds) {
        const list = lookup.byGroup.get(g)
        if (list) list.push(c)
        else lookup.byGroup.set(g, [c])
      }
  }
  lookups.set(campaigns, lookup)
  return lookup
}

const serving = (c: ServableCampaign, now: number) =>
  !(c.startsAt && c.startsAt.getTime() > now) && !(c.endsAt && c.endsAt.getTime() <= now)

/**
 * The sender-based campaigns for everyone and for this department that serve at `now`, in the
 * list's order: selected once per department, filtered again only once a start or end is passed.
 */
function sendersServing(lookup: Lookup, departmentId: DepartmentId | null, now: number): Senders {
  let senders = lookup.sendersByDepartment.get(departmentId)
  if (!senders) {
    const all = lookup.senders.filter(
      (c) => c.senderScope === 'all' || (departmentId !== null && c.departmentIds.includes(departmentId)),
    )
    senders = { all, serving: [], order: [], from: 1, until: 0 }
    lookup.sendersByDepartment.set(departmentId, senders)
  }
  if (now < senders.from || now >= senders.until) {
    senders.serving = senders.all.filter((c) => serving(c, now))
    senders.order = senders.serving.map((c) => lookup.order.get(c)!)
    let until = Number.POSITIVE_INFINITY
    for (const c of senders.all)
      for (const at of [c.startsAt?.getTime(), c.endsAt?.getTime()])
        if (at !== undefined && at > now && at < until) until = at
    senders.from = now
    senders.until = until
  }
  return senders
}

/** Whether any of the campaigns runs in this target group (now or later). */
export function runsInGroup(campaigns: ServableCampaign[], groupId: TargetGroupId): boolean {
  return lookupOf(campaigns).byGroup.has(groupId)
}

/**
 * Of the published campaigns, those serving now for these groups and this sender, in the list's
 * order. Looks up just the groups' campaigns and the sender-based ones, not the whole list. The
 * answer may be shared between requests: never change it.
 */
export function servableNow(
  campaigns: ServableCampaign[],
  scope: { groupIds: Set<TargetGroupId>; departmentId: DepartmentId | null },
  now = Date.now(),
): readonly ServableCampaign[] {
  const lookup = lookupOf(campaigns)
  const senders = sendersServing(lookup, scope.departmentId, now)
  // Receiver-based and sender-based campaigns are never the same: merge the two, by place.
  const receivers: ServableCampaign[] = []
  for (const g of scope.groupIds)
    for (const c of lookup.byGroup.get(g) ?? [])
      if (serving(c, now) && !receivers.includes(c)) receivers.push(c)
  if (receivers.length === 0) return senders.serving
  const place = receivers.map((c) => lookup.order.get(c)!).sort((a, b) => a - b)
  const result: ServableCampaign[] = []
  let r = 0
  for (const [i, c] of senders.serving.entries()) {
    while (r < place.length && place[r]! < senders.order[i]!) result.push(campaigns[place[r++]!]!)
    result.push(c)
  }
  while (r < place.length) result.push(campaigns[place[r++]!]!)
  return result
}
