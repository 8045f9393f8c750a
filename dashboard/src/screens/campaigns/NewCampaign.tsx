import { type Campaign, CreateCampaignSchema } from '@signet/shared/campaigns'
import { Link, navigate } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { ErrorState, Loading } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { CampaignFields, campaignInput, campaignValues } from './CampaignForm.tsx'
import { type Audiences, loadAudiences } from './shared.tsx'

export function NewCampaign() {
  const { api } = useSession()
  const audiences = useLoad(() => loadAudiences(api), [api])
  if (audiences.error) return <ErrorState message={audiences.error} onRetry={audiences.reload} />
  if (!audiences.data) return <Loading />
  return <NewCampaignForm audiences={audiences.data} />
}

function NewCampaignForm(props: { audiences: Audiences }) {
  const { api } = useSession()
  const form = useForm({
    id: 'new-campaign',
    initial: campaignValues(),
    schema: CreateCampaignSchema,
    toInput: (v) => ({ ...campaignInput(v), altText: v.altText, draft: true }),
    submit: async (input) => {
      const created = await api.request<Campaign>('POST', '/api/campaigns', input)
      // The banner is uploaded on the campaign's own page, where its variant now exists.
      navigate(`/campaigns/${created.id}?created=1`)
    },
  })
  return (
    <section aria-labelledby="new-campaign-title">
      <p>
        <Link href="/campaigns">← Campaigns</Link>
      </p>
      <h1 id="new-campaign-title">New campaign</h1>
      <form class="card" onSubmit={form.onSubmit} noValidate>
        <div class="grid">
          <TextField form={form} name="name" label="Name" placeholder="Webinar Q4" />
          <TextField
            form={form}
            name="altText"
            label="Banner alt text"
            hint="What the banner says, for people whose mail client hides images."
          />
        </div>
        <CampaignFields form={form} audiences={props.audiences} />
        <FormError form={form} />
        <p class="muted">The campaign starts as a draft; upload its banner next, then publish it.</p>
        <SubmitButton form={form}>Create campaign</SubmitButton>
      </form>
    </section>
  )
}
