import type { Campaign, CampaignState } from '@signet/shared/campaigns'
import type { Department } from '@signet/shared/employees'
import type { TargetGroup } from '@signet/shared/target-groups'
import type { ApiClient } from '../../api.ts'

export const stateLabels: Record<CampaignState, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  active: 'Active',
  paused: 'Paused',
  ended: 'Ended',
}

export function StateBadge(props: { state: CampaignState }) {
  return <span class={`badge badge-${props.state}`}>{stateLabels[props.state]}</span>
}

/** The target groups and departments a campaign can be assigned to. */
export interface Audiences {
  groups: TargetGroup[]
  departments: Department[]
}

export async function loadAudiences(api: ApiClient): Promise<Audiences> {
  const [groups, departments] = await Promise.all([
    api.get<TargetGroup[]>('/api/target-groups'),
    api.get<Department[]>('/api/departments'),
  ])
  return { groups, departments }
}

/** "Key accounts, Partners", "All employees", "Sales" — who a campaign is for, in words. */
export function audienceText(campaign: Campaign, audiences: Audiences | undefined): string {
  const names = (ids: string[], list: { id: string; name: string }[] | undefined) =>
    ids.map((id) => list?.find((x) => x.id === id)?.name ?? '…').join(', ')
  if (campaign.kind === 'receiver')
    return campaign.targetGroupIds.length
      ? `Recipients in ${names(campaign.targetGroupIds, audiences?.groups)}`
      : 'Recipients in no target group yet'
  if (campaign.senderScope === 'all') return 'All employees'
  return campaign.departmentIds.length
    ? `Employees of ${names(campaign.departmentIds, audiences?.departments)}`
    : 'Employees of no department yet'
}

function formatDate(iso: string | null) {
  return iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : ''
}

export function scheduleText(campaign: Campaign): string {
  const start = formatDate(campaign.startsAt)
  const end = formatDate(campaign.endsAt)
  if (!start && !end) return 'Always'
  if (!end) return `From ${start}`
  if (!start) return `Until ${end}`
  return `${start} – ${end}`
}

/** The address of a stored banner image: a new image has a new version, so no stale cache. */
export function bannerUrl(api: ApiClient, variantId: string, version: string): string {
  return api.url(`/b/${variantId}/${version}`)
}
