import type { Campaign } from '@signet/shared'
import type { Db } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'
import { ApiError, notFound } from '../http/errors.ts'
import { type CampaignRow, toCampaign } from './dto.ts'
import {
  findCampaignById,
  listAudiencesOfCampaigns,
  listOwnDepartmentIds,
  listOwnTargetGroupIds,
  listVariantsOfCampaigns,
} from './queries.ts'

/** Campaigns with their variants and audiences, in three queries whatever the count. */
export async function loadCampaigns(
  db: Db,
  workspaceId: WorkspaceId,
  rows: CampaignRow[],
): Promise<Campaign[]> {
  const ids = rows.map((r) => r.id)
  const [variants, audiences] = await Promise.all([
    listVariantsOfCampaigns(db, workspaceId, ids),
    listAudiencesOfCampaigns(db, ids),
  ])
  return rows.map((row) =>
    toCampaign(
      row,
      variants.filter((v) => v.campaign_id === row.id),
      {
        groupIds: audiences.groups.filter((g) => g.campaign_id === row.id).map((g) => g.group_id),
        departmentIds: audiences.departments
          .filter((d) => d.campaign_id === row.id)
          .map((d) => d.department_id),
      },
    ),
  )
}

export async function getCampaignOrThrow(db: Db, workspaceId: WorkspaceId, id: string) {
  const row = await findCampaignById(db, workspaceId, id)
  if (!row) throw notFound('Campaign')
  return row
}

export async function getFullCampaign(db: Db, workspaceId: WorkspaceId, id: string): Promise<Campaign> {
  const [campaign] = await loadCampaigns(db, workspaceId, [await getCampaignOrThrow(db, workspaceId, id)])
  return campaign!
}

/** Refuses ids of target groups or departments that are not this workspace's (422 naming the field). */
export async function checkAudience(
  db: Db,
  workspaceId: WorkspaceId,
  input: { targetGroupIds?: string[]; departmentIds?: string[] },
) {
  const checks = [
    ['targetGroupIds', input.targetGroupIds, listOwnTargetGroupIds, 'There is no such target group.'],
    ['departmentIds', input.departmentIds, listOwnDepartmentIds, 'There is no such department.'],
  ] as const
  for (const [field, ids, listOwn, message] of checks) {
    if (!ids?.length) continue
    const own = new Set(await listOwn(db, workspaceId, [...new Set(ids)]))
    const index = ids.findIndex((id) => !own.has(id))
    if (index >= 0) throw new ApiError('validation_failed', message, `${field}.${index}`)
  }
}
