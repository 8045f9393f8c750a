import { type HubSpotList, LinkHubSpotListSchema } from '@signet/shared/crm'
import type { TargetGroup } from '@signet/shared/target-groups'
import { z } from '@signet/shared/zod'
import { useSession } from '../../session.tsx'
import { FormError, SelectField, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { ErrorState, Loading } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'

const LinkFormSchema = LinkHubSpotListSchema.extend({
  targetGroupId: z.string().min(1, 'Choose a target group.'),
})

/** Links a static contact group to one of the account's HubSpot contact lists. */
export function LinkForm(props: { onLinked: () => Promise<void> }) {
  const { api } = useSession()
  const choices = useLoad(async () => {
    const [groups, lists] = await Promise.all([
      api.get<TargetGroup[]>('/api/target-groups'),
      api.get<HubSpotList[]>('/api/integrations/hubspot/lists'),
    ])
    return { groups: groups.filter((g) => g.kind === 'contact' && !g.segmentId), lists }
  })
  const form = useForm({
    id: 'link',
    initial: { targetGroupId: '', listId: '', intervalMinutes: '15' },
    schema: LinkFormSchema,
    toInput: (v) => ({ ...v, intervalMinutes: Number(v.intervalMinutes) }),
    submit: async ({ targetGroupId, ...input }) => {
      await api.request('PUT', `/api/integrations/hubspot/links/${targetGroupId}`, input)
      form.reset({ targetGroupId: '', listId: '', intervalMinutes: '15' })
      await props.onLinked()
    },
  })
  if (choices.error) return <ErrorState message={choices.error} onRetry={choices.reload} />
  if (!choices.data) return <Loading label="Loading HubSpot lists…" />
  const { groups, lists } = choices.data
  return (
    <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="link-title">
      <h2 id="link-title">Link a group to a HubSpot list</h2>
      <SelectField
        form={form}
        name="targetGroupId"
        label="Contact target group"
        hint="A static group of contacts. Members not in the list leave it at every run."
        options={[
          { value: '', label: groups.length ? 'Choose a group…' : 'No static contact group yet' },
          ...groups.map((g) => ({ value: g.id, label: g.name })),
        ]}
      />
      <SelectField
        form={form}
        name="listId"
        label="HubSpot list"
        options={[
          { value: '', label: lists.length ? 'Choose a list…' : 'HubSpot has no contact list' },
          ...lists.map((l) => ({
            value: l.listId,
            label: `${l.name}${l.size === null ? '' : ` (${l.size} contacts)`}`,
          })),
        ]}
      />
      <TextField form={form} name="intervalMinutes" label="Every … minutes" type="number" />
      <FormError form={form} />
      <SubmitButton form={form}>Link and synchronise</SubmitButton>
    </form>
  )
}
