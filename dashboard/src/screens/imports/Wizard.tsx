import { type Import, importModes, UpdateImportSchema } from '@signet/shared/imports'
import type { TargetGroup } from '@signet/shared/target-groups'
import { useEffect, useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { ErrorState, Loading, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { dateTime, downloadFromApi } from '../targets/common.tsx'
import { DialectChoice } from './Dialect.tsx'
import { customFieldFor, importFields, modeNames, statusNames } from './fields.ts'
import { RunProgress } from './Progress.tsx'
import { Report } from './Report.tsx'

/** How often the wizard asks how far a dry run or an apply got. */
const POLL_MS = 500
const running = (job: Import) => job.status === 'checking' || job.status === 'applying'

export function Wizard(props: { id: string }) {
  const { api } = useSession()
  const job = useLoad(() => api.get<Import>(`/api/imports/${props.id}`), [api, props.id])
  if (job.error) return <ErrorState message={job.error} onRetry={job.reload} />
  if (!job.data) return <Loading label="Loading the import…" />
  return <Steps key={job.data.id} job={job.data} onChange={job.setData} />
}

type Problem = { field: string; message: string }

function Steps(props: { job: Import; onChange: (job: Import) => void }) {
  const { api } = useSession()
  const { job } = props
  const group = useLoad(
    () =>
      job.targetGroupId
        ? api.get<TargetGroup>(`/api/target-groups/${job.targetGroupId}`)
        : Promise.resolve(undefined),
    [api, job.targetGroupId],
  )
  const [mapping, setMapping] = useState(job.mapping)
  const [mode, setMode] = useState(job.mode)
  const [header, setHeader] = useState(job.dialect.header)
  const [restoreDeleted, setRestoreDeleted] = useState(job.restoreDeleted)
  const [liftSuppressions, setLiftSuppressions] = useState(job.liftSuppressions)
  const [problem, setProblem] = useState<Problem>()
  const [busy, setBusy] = useState<'check' | 'apply' | 'undo'>()
  const [lost, setLost] = useState<string>()
  const editable = job.status === 'uploaded' || job.status === 'checked' || job.status === 'failed'
  const report = job.report
  const things = job.kind
  const thing = job.kind === 'contacts' ? 'contact' : 'account'

  const fail = (error: unknown) => {
    const field = error instanceof ApiRequestError ? (error.field ?? '') : ''
    setProblem({ field: field === 'id' ? '' : field, message: (error as Error).message })
  }
  const reload = async () => props.onChange(await api.get<Import>(`/api/imports/${job.id}`))

  // A run under way: follow it until it has ended, then the import shows its report or error.
  const { onChange } = props
  const isRunning = running(job)
  useEffect(() => {
    if (!isRunning) return
    let stopped = false
    let asking = false
    const timer = setInterval(async () => {
      if (asking) return
      asking = true
      try {
        const next = await api.get<Import>(`/api/imports/${job.id}`)
        if (stopped) return
        setLost(undefined)
        onChange(next)
      } catch (error) {
        // Keep asking: the run goes on on the server whether or not this page hears of it.
        if (!stopped) setLost((error as Error).message)
      } finally {
        asking = false
      }
    }, POLL_MS)
    return () => {
      stopped = true
      clearInterval(timer)
    }
  }, [api, job.id, isRunning, onChange])

  const check = async () => {
    setProblem(undefined)
    const choices = { mapping, mode, header, restoreDeleted, liftSuppressions }
    const parsed = UpdateImportSchema.safeParse(choices)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      return setProblem({ field: issue.path.join('.'), message: issue.message })
    }
    setBusy('check')
    try {
      await api.request<Import>('PATCH', `/api/imports/${job.id}`, parsed.data)
      props.onChange(await api.request<Import>('POST', `/api/imports/${job.id}/dry-run`))
    } catch (error) {
      fail(error)
    } finally {
      setBusy(undefined)
    }
  }
  const run = async (step: 'apply' | 'undo') => {
    if (
      step === 'undo' &&
      !confirm(
        'Undo this import? Every contact, account and membership it changed goes back, except what was changed since: that stays as it is now.',
      )
    )
      return
    setProblem(undefined)
    setBusy(step)
    try {
      // Both answer the import: applying (under way) or undone.
      props.onChange(await api.request<Import>('POST', `/api/imports/${job.id}/${step}`))
    } catch (error) {
      fail(error)
      await reload().catch(() => {})
    } finally {
      setBusy(undefined)
    }
  }
  const problemAt = (field: string) =>
    problem?.field === field ? (
      <p class="field-error" role="alert" data-field={field}>
        {problem.message}
      </p>
    ) : null
  const changed = (apply: () => void) => {
    apply()
    setProblem(undefined)
  }

  return (
    <section aria-labelledby="import-title">
      <p>
        <Link href="/imports">← Imports</Link>
      </p>
      <h1 id="import-title">
        Import of {things}: {job.fileName}
      </h1>
      <p class="muted">
        <span class="badge" data-status={job.status}>
          {statusNames[job.status]}
        </span>{' '}
        {(job.byteSize / 1024).toFixed(1)} kB · {job.dialect.encoding} · delimiter “
        {job.dialect.delimiter === '\t' ? 'tab' : job.dialect.delimiter}” · uploaded {dateTime(job.createdAt)}
        {job.createdBy && <> by {job.createdBy.name}</>}
        {job.appliedAt && <> · applied {dateTime(job.appliedAt)}</>}
        {job.undoneAt && <> · undone {dateTime(job.undoneAt)}</>}
        {job.targetGroupId && (
          <>
            {' '}
            · into <Link href={`/groups/${job.targetGroupId}`}>{group.data?.name ?? 'target group'}</Link>
          </>
        )}
      </p>
      <ol class="tabs" aria-label="Steps">
        {['Upload', 'Columns and mode', 'Dry run', 'Apply', 'Result'].map((step, i) => {
          const at =
            { uploaded: 1, failed: 1, checking: 2, checked: 3, applying: 3 }[job.status as string] ?? 4
          return (
            <li key={step} class="badge" aria-current={i === at ? 'step' : undefined}>
              {i + 1}. {step}
            </li>
          )
        })}
      </ol>
      {problem &&
        !['mode', 'header', 'restoreDeleted', 'liftSuppressions'].includes(problem.field) &&
        !problem.field.startsWith('mapping') && <Notice kind="error">{problem.message}</Notice>}
      {job.error && job.status === 'failed' && (
        <Notice kind="error">
          {job.progress?.run === 'check' ? 'The dry run failed' : 'The apply failed'}: {job.error}
        </Notice>
      )}
      {isRunning && <RunProgress job={job} />}
      {lost && isRunning && (
        <Notice kind="error">Cannot ask the server how far it got ({lost}); trying again…</Notice>
      )}

      {editable && (
        <section class="card" aria-labelledby="mapping-title">
          <h2 id="mapping-title">Columns and mode</h2>
          <p class="muted">
            Signet suggested a field for each column from its name; check them. Unmapped columns are skipped,
            or kept as custom fields.
          </p>
          <DialectChoice
            job={job}
            onRead={(next) => {
              props.onChange(next)
              setMapping(next.mapping)
              setProblem(undefined)
            }}
            onError={fail}
          />
          <label>
            <input
              type="checkbox"
              checked={header}
              onChange={(e) => changed(() => setHeader(e.currentTarget.checked))}
            />{' '}
            The first row holds column names
          </label>
          <div class="preview">
            <table class="table mapping">
              <caption class="visually-hidden">Column mapping and preview</caption>
              <thead>
                <tr>
                  <th scope="col">Column</th>
                  <th scope="col">Goes into</th>
                  <th scope="col">First rows</th>
                </tr>
              </thead>
              <tbody>
                {job.headers.map((h, i) => (
                  <tr key={i} data-column={h}>
                    <th scope="row">{h}</th>
                    <td>
                      <select
                        aria-label={`Field for column ${h}`}
                        aria-invalid={problem?.field === `mapping.${i}` ? true : undefined}
                        value={mapping[i] ?? ''}
                        onChange={(e) =>
                          changed(() =>
                            setMapping(mapping.map((m, j) => (j === i ? e.currentTarget.value || null : m))),
                          )
                        }
                      >
                        <option value="">Skip this column</option>
                        {importFields[job.kind].map(([value, label]) => (
                          <option key={value} value={value}>
                            {label}
                          </option>
                        ))}
                        <option value={customFieldFor(h)}>Custom field “{customFieldFor(h).slice(7)}”</option>
                      </select>
                      {problemAt(`mapping.${i}`)}
                    </td>
                    <td class="muted">
                      {job.preview
                        .slice(0, 3)
                        .map((row) => row[i] ?? '')
                        .join(' · ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {problemAt('mapping')}
          <div class={`field${problem?.field === 'mode' ? ' field-invalid' : ''}`}>
            <label for="import-mode">Mode</label>
            <select
              id="import-mode"
              value={mode}
              onChange={(e) => changed(() => setMode(e.currentTarget.value as Import['mode']))}
            >
              {importModes
                .filter((m) => m !== 'synchronise' || job.targetGroupId)
                .map((m) => (
                  <option key={m} value={m}>
                    {modeNames[m]}
                  </option>
                ))}
            </select>
            {problemAt('mode')}
          </div>
          {job.kind === 'contacts' && (
            <label>
              <input
                type="checkbox"
                checked={restoreDeleted}
                onChange={(e) => changed(() => setRestoreDeleted(e.currentTarget.checked))}
              />{' '}
              Bring back deleted contacts that are in the file (otherwise they stay deleted)
            </label>
          )}
          {job.kind === 'contacts' && mapping.some((m) => m === 'status' || m === 'trackingOptOut') && (
            <label>
              <input
                type="checkbox"
                checked={liftSuppressions}
                onChange={(e) => changed(() => setLiftSuppressions(e.currentTarget.checked))}
              />{' '}
              Let the file’s status and opt-out columns lift an unsubscribe, a blacklisting or an opt-out
              (otherwise they only add them)
            </label>
          )}
          <p>
            <button type="button" class="button button-primary" disabled={!!busy} onClick={check}>
              {busy === 'check' ? 'Checking…' : 'Check the file (dry run)'}
            </button>
          </p>
        </section>
      )}

      {report && job.status !== 'uploaded' && !isRunning && (
        <section class="card" aria-labelledby="report-title">
          <h2 id="report-title">{report.dryRun ? 'Dry run: what applying would do' : 'Result'}</h2>
          <Report report={report} kind={job.kind} />
          <p class="builder-row">
            {(report.invalid > 0 || report.duplicates > 0) && (
              <button
                type="button"
                class="button"
                onClick={() =>
                  downloadFromApi(
                    api,
                    `/api/imports/${job.id}/rejected.csv`,
                    `rejected-${job.fileName}`,
                  ).catch(fail)
                }
              >
                Download rejected rows (CSV)
              </button>
            )}
            {(job.status === 'checked' || (job.status === 'failed' && report.dryRun)) && (
              <button
                type="button"
                class="button button-primary"
                disabled={!!busy}
                onClick={() => run('apply')}
              >
                {busy === 'apply'
                  ? 'Applying…'
                  : `Apply: ${report.total - report.invalid - report.duplicates} rows`}
              </button>
            )}
            {job.status === 'applied' && (
              <button
                type="button"
                class="button button-danger"
                disabled={!!busy}
                onClick={() => run('undo')}
              >
                {busy === 'undo' ? 'Undoing…' : 'Undo this import'}
              </button>
            )}
          </p>
          {job.status === 'applied' && (
            <Notice>
              Applied. See the{' '}
              <Link href={job.targetGroupId ? `/groups/${job.targetGroupId}` : `/${things}`}>
                {job.targetGroupId ? 'group' : things}
              </Link>
              .
            </Notice>
          )}
          {job.status === 'undone' && (
            <Notice>
              This import was undone; what it changed is back as it was
              {job.undo?.kept ? (
                <>
                  , except {job.undo.kept === 1 ? 'one' : job.undo.kept}{' '}
                  {job.undo.kept === 1 ? thing : things} changed since, left as{' '}
                  {job.undo.kept === 1 ? 'it is' : 'they are'} now: {job.undo.keptTargets.join(', ')}
                  {job.undo.kept > job.undo.keptTargets.length ? ' …' : ''}
                </>
              ) : null}
              .
            </Notice>
          )}
        </section>
      )}
    </section>
  )
}
