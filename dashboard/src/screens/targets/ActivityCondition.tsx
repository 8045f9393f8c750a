import type { Campaign } from '@signet/shared/campaigns'
import type { Condition } from '@signet/shared/segments'
import { useSession } from '../../session.tsx'
import { useLoad } from '../../ui/useLoad.ts'

type Activity = Extract<Condition, { type: 'activity' }>

export const newActivityCondition = (): Activity => ({
  type: 'activity',
  action: 'clicked',
  campaignId: null,
  withinDays: 30,
})

/**
 * The controls of an activity condition: viewed or clicked, a campaign or any, within N days.
 * Lists every campaign of the workspace, ended ones too: old clicks still count.
 */
export function ActivityFields(props: {
  condition: Activity
  onChange: (patch: Partial<Activity>) => void
  invalid: Record<string, unknown>
}) {
  const { api } = useSession()
  const { condition: c } = props
  const campaigns = useLoad(
    async () => (await api.get<Campaign[]>('/api/campaigns')).sort((a, b) => a.name.localeCompare(b.name)),
    [api],
  )
  const list = campaigns.data ?? []
  const unknown = c.campaignId && !list.some((k) => k.id === c.campaignId)
  return (
    <>
      <select
        aria-label="Activity"
        value={c.action}
        onChange={(e) => props.onChange({ action: e.currentTarget.value as Activity['action'] })}
      >
        <option value="clicked">clicked</option>
        <option value="viewed">viewed</option>
      </select>
      <select
        aria-label="Campaign"
        value={c.campaignId ?? ''}
        onChange={(e) => props.onChange({ campaignId: e.currentTarget.value || null })}
      >
        <option value="">any campaign</option>
        {list.map((k) => (
          <option key={k.id} value={k.id}>
            {k.name}
          </option>
        ))}
        {unknown && (
          <option value={c.campaignId ?? ''}>
            {campaigns.loading ? 'Loading campaigns…' : 'A campaign no longer listed'}
          </option>
        )}
      </select>
      <label>
        within the last{' '}
        <input
          aria-label="Within days"
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          step={1}
          size={5}
          value={Number.isFinite(c.withinDays) ? c.withinDays : ''}
          onInput={(e) => props.onChange({ withinDays: e.currentTarget.valueAsNumber })}
          {...props.invalid}
        />{' '}
        days
      </label>
    </>
  )
}
