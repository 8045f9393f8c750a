import { type Campaign, type CampaignState, campaignStates } from '@signet/shared/campaigns'
import { useMemo, useState } from 'preact/hooks'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { type Column, DataTable } from '../../ui/DataTable.tsx'
import { arraySource } from '../../ui/sources.ts'
import { Empty } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { downloadCsv } from '../targets/common.tsx'
import { audienceText, bannerUrl, loadAudiences, StateBadge, scheduleText, stateLabels } from './shared.tsx'

const stateOrder: Record<CampaignState, number> = { active: 0, scheduled: 1, paused: 2, draft: 3, ended: 4 }

const sortValue = (c: Campaign, sort: string): string | number =>
  sort === 'name'
    ? c.name.toLowerCase()
    : sort === 'state'
      ? stateOrder[c.state]
      : sort === 'priority'
        ? c.priority
        : c.updatedAt

const csvHeader = [
  'name',
  'state',
  'kind',
  'starts_at',
  'ends_at',
  'paused_at',
  'priority',
  'audience',
  'variants',
  'variants_with_banner',
  'destination_url',
  'landing_url',
  'created_at',
  'updated_at',
]

export function CampaignList() {
  const { api } = useSession()
  const [state, setState] = useState<CampaignState | ''>('')
  const [version, setVersion] = useState(0)
  const [rowError, setRowError] = useState<{ id: string; message: string }>()
  const audiences = useLoad(() => loadAudiences(api), [api])
  const source = useMemo(
    () =>
      arraySource(async (q) => {
        const list = await api.get<Campaign[]>(`/api/campaigns${state ? `?state=${state}` : ''}`)
        const needle = q.toLowerCase()
        return needle ? list.filter((c) => c.name.toLowerCase().includes(needle)) : list
      }, sortValue),
    [api, state],
  )

  const toggle = async (campaign: Campaign) => {
    setRowError(undefined)
    try {
      await api.request('POST', `/api/campaigns/${campaign.id}/${campaign.pausedAt ? 'resume' : 'pause'}`)
      setVersion((v) => v + 1)
    } catch (error) {
      setRowError({ id: campaign.id, message: (error as Error).message })
    }
  }

  const columns: Column<Campaign>[] = [
    {
      label: 'Campaign',
      sort: 'name',
      render: (c) => {
        const banner = c.variants.find((v) => v.image)
        return (
          <div class="campaign-cell">
            {banner?.image ? (
              <img class="thumb" src={bannerUrl(api, banner.id, banner.image.version)} alt="" />
            ) : (
              <span class="thumb thumb-empty" aria-hidden="true" />
            )}
            <div>
              <Link href={`/campaigns/${c.id}`}>
                <strong>{c.name}</strong>
              </Link>
              <div class="muted">{audienceText(c, audiences.data)}</div>
              {rowError?.id === c.id && (
                <p class="field-error" role="alert">
                  {rowError.message}
                </p>
              )}
            </div>
          </div>
        )
      },
    },
    { label: 'State', sort: 'state', render: (c) => <StateBadge state={c.state} /> },
    { label: 'Schedule', render: scheduleText },
    { label: 'Priority', sort: 'priority', render: (c) => c.priority },
    {
      label: 'Variants',
      render: (c) => `${c.variants.length} (${c.variants.filter((v) => v.image).length} with banner)`,
    },
    {
      label: 'Actions',
      class: 'actions',
      render: (c) =>
        c.state === 'draft' || c.state === 'ended' ? null : (
          <button
            type="button"
            class="button button-quiet"
            aria-label={`${c.pausedAt ? 'Resume' : 'Pause'} ${c.name}`}
            onClick={() => toggle(c)}
          >
            {c.pausedAt ? 'Resume' : 'Pause'}
          </button>
        ),
    },
  ]

  return (
    <section aria-labelledby="campaigns-title">
      <div class="heading-row">
        <h1 id="campaigns-title">Campaigns</h1>
        <Link href="/campaigns/new" class="button button-primary">
          New campaign
        </Link>
      </div>
      <p class="muted">
        Banners under your employees’ signatures. Receiver-based campaigns go to recipients in their target
        groups; sender-based campaigns serve everyone else.
      </p>
      <div class="filters">
        <label for="campaigns-state">State</label>
        <select
          id="campaigns-state"
          value={state}
          onChange={(e) => setState(e.currentTarget.value as CampaignState | '')}
        >
          <option value="">All states</option>
          {campaignStates.map((s) => (
            <option key={s} value={s}>
              {stateLabels[s]}
            </option>
          ))}
        </select>
      </div>
      <DataTable
        id="campaigns"
        label="Campaigns"
        source={source}
        columns={columns}
        rowKey={(c) => c.id}
        rowProps={(c) => ({ 'data-campaign': c.name })}
        defaultSort={{ sort: 'state', order: 'asc' }}
        pageSize={25}
        searchPlaceholder="Campaign name"
        reloadKey={`${state}:${version}`}
        onExport={async (request) => {
          // The source searches, filters by state and sorts as the list does; the export takes every row.
          const [{ items }, names] = await Promise.all([
            source({ ...request, cursor: null, limit: Number.MAX_SAFE_INTEGER }),
            audiences.data ?? loadAudiences(api),
          ])
          downloadCsv(
            'signet-campaigns.csv',
            csvHeader,
            items.map((c) => [
              c.name,
              c.state,
              c.kind,
              c.startsAt,
              c.endsAt,
              c.pausedAt,
              c.priority,
              audienceText(c, names),
              c.variants.length,
              c.variants.filter((v) => v.image).length,
              c.destinationUrl,
              c.landingUrl,
              c.createdAt,
              c.updatedAt,
            ]),
          )
        }}
        empty={(q) => (
          <Empty
            title={
              q
                ? `No campaign matches “${q}”.`
                : state
                  ? `No ${stateLabels[state].toLowerCase()} campaigns.`
                  : 'No campaigns yet.'
            }
          >
            {!q && !state && (
              <p>
                <Link href="/campaigns/new">Create the first campaign</Link>: a banner, where it links to, and
                who gets it.
              </p>
            )}
          </Empty>
        )}
      />
    </section>
  )
}
