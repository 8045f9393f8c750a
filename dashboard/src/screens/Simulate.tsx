import type { EmployeeProfile } from '@signet/shared/employees'
import { type ResolveResponse, SimulateRequestSchema } from '@signet/shared/resolve'
import { useState } from 'preact/hooks'
import { Link } from '../router.tsx'
import { useSession } from '../session.tsx'
import { FormError, SelectField, SubmitButton, TextAreaField, useForm } from '../ui/form.tsx'
import { HtmlFrame } from '../ui/HtmlFrame.tsx'
import { Empty, ErrorState, Loading } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'

/** Recipients as people paste them: one a line, or separated by commas or semicolons. */
const splitRecipients = (text: string) =>
  text
    .split(/[\n,;]/)
    .map((r) => r.trim())
    .filter(Boolean)

const ignoredLabels = { internal: 'internal', invalid: 'not an email address', duplicate: 'listed twice' }

export default function Simulate() {
  const { api } = useSession()
  const employees = useLoad(() => api.get<EmployeeProfile[]>('/api/employees'), [api])
  if (employees.error) return <ErrorState message={employees.error} onRetry={employees.reload} />
  if (!employees.data) return <Loading />
  return <SimulateForm employees={employees.data} />
}

function SimulateForm(props: { employees: EmployeeProfile[] }) {
  const { api, me } = useSession()
  const [result, setResult] = useState<ResolveResponse>()
  const form = useForm({
    id: 'simulate',
    initial: { employeeId: me.user.id, to: '', cc: '', bcc: '' },
    schema: SimulateRequestSchema,
    toInput: (v) => ({
      employeeId: v.employeeId,
      to: splitRecipients(v.to),
      cc: splitRecipients(v.cc),
      bcc: splitRecipients(v.bcc),
      client: 'dashboard',
    }),
    submit: async (input) => setResult(await api.request<ResolveResponse>('POST', '/api/simulate', input)),
  })
  return (
    <section aria-labelledby="simulate-title">
      <h1 id="simulate-title">Simulate</h1>
      <p class="muted">
        Which banner would an email get? Pick who writes it and type the recipients; nothing is sent or
        counted.
      </p>
      <div class="split">
        <form class="card" onSubmit={form.onSubmit} noValidate onInput={() => setResult(undefined)}>
          <SelectField
            form={form}
            name="employeeId"
            label="Sender"
            options={props.employees.map((e) => ({
              value: e.id,
              label: `${[e.firstName, e.lastName].filter(Boolean).join(' ') || e.email}${e.department ? ` (${e.department})` : ''}`,
            }))}
          />
          <TextAreaField form={form} name="to" label="To" rows={3} placeholder="max@acme.com" />
          <TextAreaField form={form} name="cc" label="Cc" rows={2} />
          <TextAreaField
            form={form}
            name="bcc"
            label="Bcc"
            rows={2}
            hint="One address a line, or separated by commas."
          />
          <FormError form={form} />
          <SubmitButton form={form}>Simulate</SubmitButton>
        </form>
        <div class="card" aria-live="polite">
          <h2>Decision</h2>
          {result ? (
            <Decision result={result} />
          ) : (
            <Empty title="No simulation yet.">
              <p>The chosen campaign, why, and the signature appear here.</p>
            </Empty>
          )}
        </div>
      </div>
    </section>
  )
}

function Decision(props: { result: ResolveResponse }) {
  const { result } = props
  return (
    <div class="decision">
      <p class="explanation" data-testid="explanation">
        {result.explanation}
      </p>
      <dl class="facts">
        <dt>Campaign</dt>
        <dd data-testid="campaign">
          {result.campaign ? (
            <>
              <Link href={`/campaigns/${result.campaign.id}`}>{result.campaign.name}</Link>{' '}
              <span class="muted">
                ({result.campaign.kind === 'receiver' ? 'receiver-based' : 'sender-based'})
              </span>
            </>
          ) : (
            'No banner'
          )}
        </dd>
        <dt>Tracked</dt>
        <dd>{result.tracked ? 'Yes — views and clicks would be counted' : 'No'}</dd>
      </dl>
      {result.recipients.length > 0 && (
        <table class="table">
          <caption>Recipients</caption>
          <thead>
            <tr>
              <th scope="col">Recipient</th>
              <th scope="col">Known as</th>
              <th scope="col">Target groups → campaigns</th>
            </tr>
          </thead>
          <tbody>
            {result.recipients.map((r) => (
              <tr key={r.email} data-recipient={r.email}>
                <td>
                  {r.email || '(empty)'}
                  {r.optedOut && <div class="muted">opted out of tracking</div>}
                </td>
                <td>
                  {r.ignored
                    ? `Ignored: ${ignoredLabels[r.ignored]}`
                    : [r.contactId && 'contact', r.accountId && 'account'].filter(Boolean).join(' and ') ||
                      'not a contact or account'}
                </td>
                <td>
                  {r.matches.length === 0 ? (
                    <span class="muted">—</span>
                  ) : (
                    <ul class="plain">
                      {r.matches.map((m) => (
                        <li key={`${m.level}-${m.targetGroup.id}`}>
                          {m.targetGroup.name} <span class="muted">({m.level})</span>
                          {' → '}
                          {m.campaigns.length
                            ? m.campaigns.map((c) => c.name).join(', ')
                            : 'no active campaign'}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Signature</h3>
      <HtmlFrame html={result.signatureHtml} title="Simulated signature" />
    </div>
  )
}
