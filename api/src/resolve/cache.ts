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

/** Of the published campaigns, those serving now for these groups and this sender. */
export function servableNow(
  campaigns: ServableCampaign[],
  scope: { groupIds: Set<TargetGroupId>; departmentId: DepartmentId | null },
  now = Date.now(),
): ServableCampaign[] {
  return campaigns.filter((c) => {
    if (c.startsAt && c.startsAt.getTime() > now) return false
    if (c.endsAt && c.endsAt.getTime() <= now) return false
    if (c.kind === 'receiver') return c.groupIds.some((g) => scope.groupIds.has(g))
    if (c.senderScope === 'all') return true
    return scope.departmentId !== null && c.departmentIds.includes(scope.departmentId)
  })
}
