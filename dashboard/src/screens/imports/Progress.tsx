import type { Import } from '@signet/shared/imports'

/** A dry run or an apply under way: how far it got, from the import's `progress`. */
export function RunProgress(props: { job: Import }) {
  const { job } = props
  const p = job.progress
  const what = job.status === 'checking' ? 'Dry run' : 'Apply'
  const rows = (p?.rows ?? 0).toLocaleString()
  const reading = !p || p.phase === 'reading'
  const percent = p?.percent ?? null
  const of = p?.total == null ? '' : ` of ${p.totalIsEstimate ? 'about ' : ''}${p.total.toLocaleString()}`
  const label = reading
    ? `${rows}${of} rows read${percent === null ? '' : ` · ${percent} %`}`
    : `All ${rows} rows read; matching and writing them…`
  return (
    <section class="card" aria-labelledby="run-progress-title" data-run={p?.run ?? ''}>
      <h2 id="run-progress-title">{what} under way</h2>
      <label class="run-progress" for="run-progress">
        {label}
      </label>
      {/* While matching and writing there is no fraction to show: the bar is indeterminate. */}
      {reading && percent !== null ? (
        <progress id="run-progress" class="run-progress" max={100} value={percent} />
      ) : (
        <progress id="run-progress" class="run-progress" />
      )}
      <p class="muted">
        {job.status === 'checking'
          ? 'Every row is checked exactly as applying would; nothing changes.'
          : 'Every row is applied in one transaction: all of them or none.'}{' '}
        It runs on the server: you may leave this page and come back.
      </p>
    </section>
  )
}
