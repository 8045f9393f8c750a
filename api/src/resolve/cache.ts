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
  sendersByDepartment: Map<DepartmentId | null, ServableCampaign[]>
  /** Each campaign's place in the list, so a selection keeps the list's order. */
  order: Map<ServableCampaign, number>
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

/** The sender-based campaigns for everyone and for this department, worked out once per department. */
function sendersFor(lookup: Lookup, departmentId: DepartmentId | null): ServableCampaign[] {
  let list = lookup.sendersByDepartment.get(departmentId)
  if (!list) {
    list = lookup.senders.filter(
      (c) => c.senderScope === 'all' || (departmentId !== null && c.departmentIds.includes(departmentId)),
    )
    lookup.sendersByDepartment.set(departmentId, list)
  }
  return list
}

/** Whether any of the campaigns runs in this target group (now or later). */
export function runsInGroup(campaigns: ServableCampaign[], groupId: TargetGroupId): boolean {
  return lookupOf(campaigns).byGroup.has(groupId)
}

/**
 * Of the published campaigns, those serving now for these groups and this sender, in the list's
 * order. Looks up just the groups' campaigns and the sender-based ones, not the whole list.
 */
export function servableNow(
  campaigns: ServableCampaign[],
  scope: { groupIds: Set<TargetGroupId>; departmentId: DepartmentId | null },
  now = Date.now(),
): ServableCampaign[] {
  const lookup = lookupOf(campaigns)
  const picked = new Set<ServableCampaign>()
  for (const g of scope.groupIds) for (const c of lookup.byGroup.get(g) ?? []) picked.add(c)
  for (const c of sendersFor(lookup, scope.departmentId)) picked.add(c)
  return [...picked]
    .filter((c) => !(c.startsAt && c.startsAt.getTime() > now) && !(c.endsAt && c.endsAt.getTime() <= now))
    .sort((a, b) => lookup.order.get(a)! - lookup.order.get(b)!)
}
