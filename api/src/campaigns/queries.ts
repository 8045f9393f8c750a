import type { Insertable, Updateable } from 'kysely'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type {
  BannerImageId,
  CampaignId,
  CampaignTable,
  DepartmentId,
  TargetGroupId,
  VariantId,
  WorkspaceId,
} from '../db/schema.ts'

export function listCampaignRows(db: Db, workspaceId: WorkspaceId, filter: { kind?: 'receiver' | 'sender' }) {
  let query = db
    .selectFrom('campaign')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('deleted_at', 'is', null)
  if (filter.kind) query = query.where('kind', '=', filter.kind)
  return query.orderBy('created_at', 'desc').limit(1000).execute()
}

export function findCampaignById(db: Db, workspaceId: WorkspaceId, id: string) {
  return db
    .selectFrom('campaign')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id as CampaignId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst()
}

export function insertCampaign(db: Db, values: Insertable<CampaignTable>) {
  return db.insertInto('campaign').values(values).returning('id').executeTakeFirstOrThrow()
}

export function updateCampaign(
  db: Db,
  workspaceId: WorkspaceId,
  id: CampaignId,
  changes: Updateable<CampaignTable>,
) {
  return db
    .updateTable('campaign')
    .set({ ...changes, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

export function softDeleteCampaign(db: Db, workspaceId: WorkspaceId, id: CampaignId) {
  return db
    .updateTable('campaign')
    .set({ deleted_at: sql`now()`, updated_at: sql`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

/** Variants with their image's metadata (never the bytes), for the given campaigns. */
export function listVariantsOfCampaigns(db: Db, workspaceId: WorkspaceId, campaignIds: CampaignId[]) {
  if (campaignIds.length === 0) return Promise.resolve([])
  return db
    .selectFrom('campaign_variant as v')
    .leftJoin('banner_image as i', 'i.id', 'v.image_id')
    .select([
      'v.id',
      'v.campaign_id',
      'v.name',
      'v.alt_text',
      'v.weight',
      'v.image_id',
      'i.content_type',
      'i.width',
      'i.height',
      'i.byte_size',
      'i.sha256',
    ])
    .where('v.workspace_id', '=', workspaceId)
    .where('v.campaign_id', 'in', campaignIds)
    .orderBy('v.created_at')
    .orderBy('v.name')
    .execute()
}

export function listAudiencesOfCampaigns(db: Db, campaignIds: CampaignId[]) {
  if (campaignIds.length === 0) return Promise.resolve({ groups: [], departments: [] })
  return Promise.all([
    db.selectFrom('campaign_target_group').selectAll().where('campaign_id', 'in', campaignIds).execute(),
    db.selectFrom('campaign_department').selectAll().where('campaign_id', 'in', campaignIds).execute(),
  ]).then(([groups, departments]) => ({ groups, departments }))
}

/** Of the given ids, those that are target groups of this workspace. */
export async function listOwnTargetGroupIds(db: Db, workspaceId: WorkspaceId, ids: string[]) {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('target_group')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids as TargetGroupId[])
    .execute()
  return rows.map((r) => r.id as string)
}

export async function listOwnDepartmentIds(db: Db, workspaceId: WorkspaceId, ids: string[]) {
  if (ids.length === 0) return []
  const rows = await db
    .selectFrom('department')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', ids as DepartmentId[])
    .execute()
  return rows.map((r) => r.id as string)
}

export async function replaceCampaignTargetGroups(db: Db, campaignId: CampaignId, groupIds: string[]) {
  await db.deleteFrom('campaign_target_group').where('campaign_id', '=', campaignId).execute()
  if (groupIds.length === 0) return
  await db
    .insertInto('campaign_target_group')
    .values(groupIds.map((id) => ({ campaign_id: campaignId, group_id: id as TargetGroupId })))
    .execute()
}

export async function replaceCampaignDepartments(db: Db, campaignId: CampaignId, departmentIds: string[]) {
  await db.deleteFrom('campaign_department').where('campaign_id', '=', campaignId).execute()
  if (departmentIds.length === 0) return
  await db
    .insertInto('campaign_department')
    .values(departmentIds.map((id) => ({ campaign_id: campaignId, department_id: id as DepartmentId })))
    .execute()
}

export function findVariant(db: Db, workspaceId: WorkspaceId, campaignId: CampaignId, id: string) {
  return db
    .selectFrom('campaign_variant')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('campaign_id', '=', campaignId)
    .where('id', '=', id as VariantId)
    .executeTakeFirst()
}

export function insertVariant(
  db: Db,
  values: { workspaceId: WorkspaceId; campaignId: CampaignId; name: string; altText: string; weight: number },
) {
  return db
    .insertInto('campaign_variant')
    .values({
      workspace_id: values.workspaceId,
      campaign_id: values.campaignId,
      name: values.name,
      alt_text: values.altText,
      weight: values.weight,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}

export function updateVariant(
  db: Db,
  workspaceId: WorkspaceId,
  id: VariantId,
  changes: { name?: string; altText?: string; weight?: number; imageId?: BannerImageId },
) {
  return db
    .updateTable('campaign_variant')
    .set({
      name: changes.name,
      alt_text: changes.altText,
      weight: changes.weight,
      image_id: changes.imageId,
      updated_at: sql`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

export function deleteVariant(db: Db, workspaceId: WorkspaceId, id: VariantId) {
  return db
    .deleteFrom('campaign_variant')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute()
}

export async function countVariantDeliveries(db: Db, workspaceId: WorkspaceId, id: VariantId) {
  const row = await db
    .selectFrom('delivery')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('variant_id', '=', id)
    .executeTakeFirstOrThrow()
  return row.n
}

export function insertBannerImage(
  db: Db,
  values: {
    workspaceId: WorkspaceId
    sha256: string
    contentType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp'
    width: number
    height: number
    bytes: Buffer
  },
) {
  return db
    .insertInto('banner_image')
    .values({
      workspace_id: values.workspaceId,
      sha256: values.sha256,
      content_type: values.contentType,
      width: values.width,
      height: values.height,
      byte_size: values.bytes.length,
      bytes: values.bytes,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
}
