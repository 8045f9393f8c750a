import { type Campaign, UpdateCampaignSchema } from '@signet/shared/campaigns'
import { useState } from 'preact/hooks'
import { Link, navigate } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { ErrorState, Loading, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { Banners } from './Banners.tsx'
import { CampaignFields, campaignInput, campaignValues } from './CampaignForm.tsx'
import { type Audiences, audienceText, loadAudiences, StateBadge, scheduleText } from './shared.tsx'

export function EditCampaign(props: { id: string; created: boolean }) {
  const { api } = useSession()
  const loaded = useLoad(async () => {
    const [campaign, audiences] = await Promise.all([
      api.get<Campaign>(`/api/campaigns/${props.id}`),
      loadAudiences(api),
    ])
    return { campaign, audiences }
  }, [api, props.id])
  if (loaded.error) return <ErrorState message={loaded.error} onRetry={loaded.reload} />
  if (!loaded.data) return <Loading label="Loading the campaign…" />
  return (
    <CampaignPage
      key={props.id}
      campaign={loaded.data.campaign}
      audiences={loaded.data.audiences}
      created={props.created}
      onChange={(campaign) => loaded.setData({ ...loaded.data!, campaign })}
    />
  )
}

function CampaignPage(props: {
  campaign: Campaign
  audiences: Audiences
  created: boolean
  onChange: (campaign: Campaign) => void
}) {
  const { api } = useSession()
  const { campaign } = props
  const [actionError, setActionError] = useState<string>()
  const [saved, setSaved] = useState(false)

  const act = async (method: string, path: string, body?: unknown) => {
    setActionError(undefined)
    try {
      props.onChange(await api.request<Campaign>(method, `/api/campaigns/${campaign.id}${path}`, body))
    } catch (error) {
      setActionError((error as Error).message)
    }
  }
  const remove = async () => {
    if (
      !confirm(`Delete the campaign “${campaign.name}”? It stops serving at once; its statistics are kept.`)
    )
      return
    try {
      await api.request('DELETE', `/api/campaigns/${campaign.id}`)
      navigate('/campaigns')
    } catch (error) {
      setActionError((error as Error).message)
    }
  }

  const form = useForm({
    id: 'campaign',
    initial: campaignValues(campaign),
    schema: UpdateCampaignSchema,
    toInput: campaignInput,
    submit: async (input) => {
      setSaved(false)
      const updated = await api.request<Campaign>('PATCH', `/api/campaigns/${campaign.id}`, input)
      form.reset(campaignValues(updated))
      props.onChange(updated)
      setSaved(true)
    },
  })
  const hasBanner = campaign.variants.some((v) => v.image && v.weight > 0)

  return (
    <section aria-labelledby="campaign-title">
      <p>
        <Link href="/campaigns">← Campaigns</Link>
      </p>
      <div class="heading-row">
        <h1 id="campaign-title">{campaign.name}</h1>
        <StateBadge state={campaign.state} />
      </div>
      <p class="muted">
        {audienceText(campaign, props.audiences)} · {scheduleText(campaign)} · priority {campaign.priority}
      </p>
      {props.created && !hasBanner && (
        <Notice>The campaign is saved as a draft. Upload its banner below, then publish it.</Notice>
      )}
      <div class="row">
        {campaign.draft ? (
          <button
            type="button"
            class="button button-primary"
            onClick={() => act('PATCH', '', { draft: false })}
          >
            Publish
          </button>
        ) : (
          <button type="button" class="button" onClick={() => act('PATCH', '', { draft: true })}>
            Back to draft
          </button>
        )}
        {!campaign.draft &&
          (campaign.pausedAt ? (
            <button type="button" class="button" onClick={() => act('POST', '/resume')}>
              Resume
            </button>
          ) : (
            <button type="button" class="button" onClick={() => act('POST', '/pause')}>
              Pause
            </button>
          ))}
        <button type="button" class="button button-danger" onClick={remove}>
          Delete campaign
        </button>
      </div>
      {actionError && (
        <p class="form-error" role="alert">
          {actionError}
        </p>
      )}
      <Banners campaign={campaign} onChange={props.onChange} />
      <form
        class="card"
        onSubmit={form.onSubmit}
        noValidate
        aria-labelledby="campaign-settings-title"
        onInput={() => setSaved(false)}
      >
        <h2 id="campaign-settings-title">Settings</h2>
        <TextField form={form} name="name" label="Name" />
        <CampaignFields form={form} audiences={props.audiences} />
        <p class="muted">
          A click lands on <code class="landing">{campaign.landingUrl}</code>
        </p>
        <FormError form={form} />
        {saved && <Notice>Campaign saved.</Notice>}
        <SubmitButton form={form}>Save campaign</SubmitButton>
      </form>
    </section>
  )
}
