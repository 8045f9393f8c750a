import type {
  LastClick,
  Stats,
  StatsBreakdown,
  StatsBreakdownBy,
  StatsCounts,
  StatsPreset,
  StatsScope,
} from '@signet/shared/stats'
import { useState } from 'preact/hooks'
import { Link, useRoute } from '../router.tsx'
import { useSession } from '../session.tsx'
import { ErrorState, Loading } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'
import { Chart } from './statistics/Chart.tsx'
import { percent, Table, type TableColumn, when } from './statistics/Table.tsx'

const presetLabels: [StatsPreset, string][] = [
  ['today', 'Today'],
  ['yesterday', 'Yesterday'],
  ['last_7_days', 'Last 7 days'],
  ['last_30_days', 'Last 30 days'],
  ['last_90_days', 'Last 90 days'],
  ['this_month', 'This month'],
  ['last_month', 'Last month'],
  ['this_year', 'This year'],
  ['last_12_months', 'Last 12 months'],
  ['custom', 'Custom range'],
]

const scopeLabels: Record<StatsScope, string> = {
  workspace: 'Workspace overview',
  campaign: 'Campaign',
  variant: 'Banner variant',
  account: 'Account',
  contact: 'Contact',
  employee: 'Employee',
  target_group: 'Target group',
}

/** Which breakdown tables a scope shows. */
const breakdownsOf: Record<StatsScope, StatsBreakdownBy[]> = {
  workspace: ['accounts', 'campaigns', 'employees'],
  campaign: ['variants', 'accounts', 'employees'],
  variant: [],
  account: ['campaigns'],
  contact: ['campaigns'],
  employee: ['campaigns'],
  target_group: ['accounts', 'campaigns'],
}

const byTitles: Record<StatsBreakdownBy, string> = {
  accounts: 'Top accounts',
  contacts: 'Top contacts',
  campaigns: 'Most popular campaigns',
  variants: 'Variants (A/B test)',
  employees: 'Top employees',
}
const drillScope: Record<StatsBreakdownBy, StatsScope> = {
  accounts: 'account',
  contacts: 'contact',
  campaigns: 'campaign',
  variants: 'variant',
  employees: 'employee',
}

function parsePath(path: string): { scope: StatsScope; id?: string } {
  const [, , scope, id] = path.split('/')
  if (scope && id && scope in scopeLabels) return { scope: scope as StatsScope, id }
  return { scope: 'workspace' }
}

const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'

export default function Statistics() {
  const { scope, id } = parsePath(useRoute())
  const [preset, setPreset] = useState<StatsPreset>('last_30_days')
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [raw, setRaw] = useState(false)
  const tz = localZone()
  const params = new URLSearchParams({ scope, preset, tz })
  if (id) params.set('id', id)
  if (preset === 'custom') {
    params.set('from', from)
    params.set('to', to)
  }
  const ready = preset !== 'custom' || (from !== '' && to !== '')
  return (
    <div class="statistics">
      <h1>
        {scopeLabels[scope]}
        {scope !== 'workspace' && (
          <>
            {' '}
            · <Link href="/statistics">back to the overview</Link>
          </>
        )}
      </h1>
      <fieldset class="toolbar" aria-label="Range">
        <label for="stats-preset">Range</label>
        <select
          id="stats-preset"
          value={preset}
          onChange={(e) => setPreset(e.currentTarget.value as StatsPreset)}
        >
          {presetLabels.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        {preset === 'custom' && (
          <>
            <label for="stats-from">From</label>
            <input
              id="stats-from"
              type="date"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
            />
            <label for="stats-to">To</label>
            <input id="stats-to" type="date" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
          </>
        )}
        <label>
          <input type="checkbox" checked={raw} onChange={(e) => setRaw(e.currentTarget.checked)} /> Include
          machine events (raw)
        </label>
        <span class="muted">Times in {tz}</span>
      </fieldset>
      {ready ? (
        <Figures key={params.toString()} query={params.toString()} scope={scope} id={id} raw={raw} />
      ) : (
        <p class="muted">Choose the first and last day.</p>
      )}
    </div>
  )
}

function Figures(props: { query: string; scope: StatsScope; id?: string; raw: boolean }) {
  const { api } = useSession()
  const stats = useLoad(() => api.get<Stats>(`/api/stats?${props.query}`), [props.query])
  if (stats.error) return <ErrorState message={stats.error} onRetry={stats.reload} />
  if (!stats.data) return <Loading label="Counting…" />
  const { totals, series, range } = stats.data
  const pick = (v: { human: number; raw: number }) => (props.raw ? v.raw : v.human)
  const rate = (v: { human: number | null; raw: number | null }) => percent(props.raw ? v.raw : v.human)
  // Raw and human side by side: the figure chosen above, and under it the other one.
  const other = (name: string, text: string) => (
    <dd class="muted" data-figure={`${name}-other`}>
      {text} {props.raw ? 'human' : 'with machines'}
    </dd>
  )
  const otherCount = (v: { human: number; raw: number }) => (props.raw ? v.human : v.raw).toLocaleString()
  const otherRate = (v: { human: number | null; raw: number | null }) => percent(props.raw ? v.human : v.raw)
  return (
    <>
      <dl class="facts totals">
        <div>
          <dt>Banners sent</dt>
          <dd data-figure="sent">{totals.sent.toLocaleString()}</dd>
        </div>
        <div>
          <dt>Views</dt>
          <dd data-figure="views">{pick(totals.views).toLocaleString()}</dd>
          {other('views', otherCount(totals.views))}
        </div>
        <div>
          <dt>Clicks</dt>
          <dd data-figure="clicks">{pick(totals.clicks).toLocaleString()}</dd>
          {other('clicks', otherCount(totals.clicks))}
        </div>
        <div>
          <dt>Click rate (on sent)</dt>
          <dd data-figure="click-rate">{rate(totals.clickRate)}</dd>
          {other('click-rate', otherRate(totals.clickRate))}
        </div>
        <div>
          <dt>Clicks per view</dt>
          <dd>{rate(totals.viewClickRate)}</dd>
        </div>
        {totals.accounts && (
          <div>
            <dt>Accounts reached / clicked</dt>
            <dd data-figure="accounts">
              {totals.accounts.reached.toLocaleString()} / {pick(totals.accounts.clicked).toLocaleString()}
            </dd>
          </div>
        )}
        {totals.contacts && (
          <div>
            <dt>Contacts reached / clicked</dt>
            <dd>
              {totals.contacts.reached.toLocaleString()} / {pick(totals.contacts.clicked).toLocaleString()}
            </dd>
          </div>
        )}
      </dl>
      <p class="muted">
        {props.raw
          ? 'Raw figures: views and clicks of machines (link scanners, image proxies) included.'
          : 'Human figures: views and clicks recognised as machines are left out.'}{' '}
        Image loads are a lower bound: many mail clients block or cache images.
      </p>
      <section class="card">
        <h2>{range.interval === 'hour' ? 'By hour' : 'By day'}</h2>
        <Chart series={series} raw={props.raw} interval={range.interval} />
      </section>
      <div class="breakdowns">
        {breakdownsOf[props.scope].map((by) => (
          <Breakdown key={by} by={by} query={props.query} raw={props.raw} />
        ))}
        {(props.scope === 'account' || props.scope === 'contact') && props.id && (
          <LastClicks scope={props.scope} id={props.id} />
        )}
      </div>
    </>
  )
}

function countColumns<T extends StatsCounts>(raw: boolean): TableColumn<T>[] {
  const pick = (v: { human: number; raw: number }) => (raw ? v.raw : v.human)
  return [
    { label: 'Sent', numeric: true, render: (r) => r.sent.toLocaleString(), csv: (r) => r.sent },
    {
      label: 'Views',
      numeric: true,
      render: (r) => pick(r.views).toLocaleString(),
      csv: (r) => pick(r.views),
    },
    {
      label: 'Clicks',
      numeric: true,
      render: (r) => pick(r.clicks).toLocaleString(),
      csv: (r) => pick(r.clicks),
    },
    {
      label: 'Click rate',
      numeric: true,
      render: (r) => percent(raw ? r.clickRate.raw : r.clickRate.human),
      csv: (r) => (raw ? r.clickRate.raw : r.clickRate.human),
    },
  ]
}

function Breakdown(props: { by: StatsBreakdownBy; query: string; raw: boolean }) {
  const { api } = useSession()
  const data = useLoad(
    () => api.get<StatsBreakdown>(`/api/stats/breakdown?${props.query}&by=${props.by}&limit=10`),
    [props.query, props.by],
  )
  if (data.error) return <ErrorState message={data.error} onRetry={data.reload} />
  if (!data.data) return <Loading />
  type Row = StatsBreakdown['rows'][number]
  return (
    <Table<Row>
      id={`top-${props.by}`}
      title={byTitles[props.by]}
      rows={data.data.rows}
      rowKey={(r) => r.id}
      empty="Nothing in this range."
      fileName={`top-${props.by}.csv`}
      columns={[
        {
          label: 'Name',
          render: (r) => <Link href={`/statistics/${drillScope[props.by]}/${r.id}`}>{r.name}</Link>,
          csv: (r) => r.name,
        },
        ...countColumns<Row>(props.raw),
      ]}
    />
  )
}

function LastClicks(props: { scope: 'account' | 'contact'; id: string }) {
  const { api } = useSession()
  const data = useLoad(
    () => api.get<{ items: LastClick[] }>(`/api/stats/last-clicks?scope=${props.scope}&id=${props.id}`),
    [props.scope, props.id],
  )
  if (data.error) return <ErrorState message={data.error} onRetry={data.reload} />
  if (!data.data) return <Loading />
  return (
    <Table<LastClick>
      id="last-clicks"
      title="Last clicks"
      rows={data.data.items}
      rowKey={(r) => `${r.at}-${r.campaign.id}`}
      empty="No clicks yet."
      fileName="last-clicks.csv"
      columns={[
        { label: 'When', render: (r) => when(r.at), csv: (r) => r.at },
        { label: 'Campaign', render: (r) => r.campaign.name, csv: (r) => r.campaign.name },
        { label: 'Employee', render: (r) => r.employee?.name ?? '—', csv: (r) => r.employee?.name },
      ]}
    />
  )
}
