import type { Campaign, CampaignState } from '@signet/shared'
import type { Selectable } from 'kysely'
import type { CampaignTable } from '../db/schema.ts'
import type { listVariantsOfCampaigns } from './queries.ts'

export type CampaignRow = Selectable<CampaignTable>
export type VariantRow = Awaited<ReturnType<typeof listVariantsOfCampaigns>>[number]

/** The state shown to marketers, derived from the draft flag, the pause and the schedule. */
export function campaignState(
  row: Pick<CampaignRow, 'is_draft' | 'paused_at' | 'starts_at' | 'ends_at'>,
  now = new Date(),
): CampaignState {
  if (row.is_draft) return 'draft'
  if (row.ends_at && row.ends_at <= now) return 'ended'
  if (row.paused_at) return 'paused'
  if (row.starts_at && row.starts_at > now) return 'scheduled'
  return 'active'
}

const utmKeys = ['source', 'medium', 'campaign', 'term', 'content'] as const

/**
 * Where a click on the banner lands: the stored destination with the campaign's UTM parameters.
 * The tracking redirect must use this, never a URL from the request.
 */
export function landingUrl(row: { destination_url: string; utm: unknown }): string {
  const url = new URL(row.destination_url)
  const utm = row.utm as Record<string, unknown>
  for (const key of utmKeys) {
    const value = utm[key]
    if (typeof value === 'string' && value !== '') url.searchParams.set(`utm_${key}`, value)
  }
  return url.toString()
}

/** A short hash of the image bytes: part of the banner's URL, so a new banner gets a new URL. */
export function imageVersion(sha256: string): string {
  return sha256.slice(0, 16)
}

export function toCampaign(
  row: CampaignRow,
  variants: VariantRow[],
  audience: { groupIds: string[]; departmentIds: string[] },
): Campaign {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    senderScope: row.sender_scope,
    targetGroupIds: audience.groupIds,
    departmentIds: audience.departmentIds,
    destinationUrl: row.destination_url,
    utm: row.utm as Campaign['utm'],
    landingUrl: landingUrl(row),
    startsAt: row.starts_at?.toISOString() ?? null,
    endsAt: row.ends_at?.toISOString() ?? null,
    pausedAt: row.paused_at?.toISOString() ?? null,
    priority: row.priority,
    draft: row.is_draft,
    state: campaignState(row),
    variants: variants.map((v) => ({
      id: v.id,
      name: v.name,
      altText: v.alt_text,
      weight: v.weight,
      image:
        v.image_id && v.content_type && v.sha256
          ? {
              id: v.image_id,
              contentType: v.content_type,
              width: v.width!,
              height: v.height!,
              byteSize: v.byte_size!,
              version: imageVersion(v.sha256),
            }
          : null,
    })),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}
