import type { Campaign } from '@signet/shared/campaigns'
import type { Form } from '../../ui/form.tsx'
import { SelectField, TextField } from '../../ui/form.tsx'
import type { Audiences } from './shared.tsx'

const utmKeys = ['source', 'medium', 'campaign', 'term', 'content'] as const

/** The editable fields of a campaign as form values (strings; id lists comma-joined). */
export function campaignValues(c?: Campaign) {
  return {
    name: c?.name ?? '',
    /** Only when creating: the alt text of the first banner variant. */
    altText: '',
    kind: c?.kind ?? 'receiver',
    senderScope: c?.senderScope ?? 'all',
    targetGroupIds: c?.targetGroupIds.join(',') ?? '',
    departmentIds: c?.departmentIds.join(',') ?? '',
    destinationUrl: c?.destinationUrl ?? '',
    'utm.source': c?.utm.source ?? '',
    'utm.medium': c?.utm.medium ?? '',
    'utm.campaign': c?.utm.campaign ?? '',
    'utm.term': c?.utm.term ?? '',
    'utm.content': c?.utm.content ?? '',
    startsAt: toLocalInput(c?.startsAt ?? null),
    endsAt: toLocalInput(c?.endsAt ?? null),
    priority: String(c?.priority ?? 0),
  }
}

export type CampaignValues = ReturnType<typeof campaignValues>

/** The API's input from the form values; the shared schema then checks it. */
export function campaignInput(v: CampaignValues) {
  const utm = Object.fromEntries(
    utmKeys.map((k) => [k, v[`utm.${k}`].trim()] as const).filter(([, value]) => value !== ''),
  )
  return {
    name: v.name,
    kind: v.kind,
    senderScope: v.senderScope,
    // Only the audience of the chosen type is kept, so switching type leaves no hidden choice.
    targetGroupIds: v.kind === 'receiver' ? splitIds(v.targetGroupIds) : [],
    departmentIds: v.kind === 'sender' && v.senderScope === 'departments' ? splitIds(v.departmentIds) : [],
    destinationUrl: v.destinationUrl,
    utm,
    startsAt: fromLocalInput(v.startsAt),
    endsAt: fromLocalInput(v.endsAt),
    // A number when it reads as one; otherwise the text, so the schema says what is wrong.
    priority: /^\s*-?\d+(\.\d+)?\s*$/.test(v.priority) ? Number(v.priority) : v.priority,
  }
}

const splitIds = (value: string) => value.split(',').filter(Boolean)

/** `<input type="datetime-local">` shows local time without a zone; the API wants an instant. */
function toLocalInput(iso: string | null): string {
  if (!iso) return ''
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

function fromLocalInput(value: string): string | null {
  if (!value) return null
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? value : d.toISOString()
}

/** A list of checkboxes over ids, kept in one comma-joined form value. */
function IdChecklist(props: {
  form: Form<CampaignValues>
  name: 'targetGroupIds' | 'departmentIds'
  legend: string
  options: { id: string; name: string; detail?: string }[]
  empty: string
}) {
  const { form, name } = props
  const selected = new Set(splitIds(form.values[name]))
  const error = form.errors[name]
  const toggle = (id: string, on: boolean) => {
    if (on) selected.add(id)
    else selected.delete(id)
    form.set(name, [...selected].join(','))
  }
  return (
    <fieldset
      class={`field checklist${error ? ' field-invalid' : ''}`}
      id={`${form.id}-${name}`}
      tabIndex={-1}
      aria-describedby={error ? `${form.id}-${name}-error` : undefined}
    >
      <legend>{props.legend}</legend>
      {props.options.length === 0 && <p class="muted">{props.empty}</p>}
      {props.options.map((o) => (
        <label key={o.id}>
          <input
            type="checkbox"
            checked={selected.has(o.id)}
            onChange={(e) => toggle(o.id, e.currentTarget.checked)}
          />{' '}
          {o.name} {o.detail && <span class="muted">{o.detail}</span>}
        </label>
      ))}
      {error && (
        <p class="field-error" id={`${form.id}-${name}-error`} data-field={name}>
          {error}
        </p>
      )}
    </fieldset>
  )
}

/** Audience, destination, schedule and priority: the fields creating and editing share. */
export function CampaignFields(props: { form: Form<CampaignValues>; audiences: Audiences }) {
  const { form, audiences } = props
  return (
    <>
      <fieldset class="group">
        <legend>Who gets it</legend>
        <SelectField
          form={form}
          name="kind"
          label="Campaign type"
          options={[
            { value: 'receiver', label: 'Receiver-based — recipients in target groups' },
            { value: 'sender', label: 'Sender-based — emails of employees, when no target group matches' },
          ]}
        />
        {form.values.kind === 'receiver' ? (
          <IdChecklist
            form={form}
            name="targetGroupIds"
            legend="Target groups"
            options={audiences.groups.map((g) => ({
              id: g.id,
              name: g.name,
              detail: `${g.memberCount} ${g.kind}${g.memberCount === 1 ? '' : 's'}${g.segmentId ? ', dynamic' : ''}`,
            }))}
            empty="There are no target groups yet. Create one under Target groups first."
          />
        ) : (
          <>
            <SelectField
              form={form}
              name="senderScope"
              label="Employees"
              options={[
                { value: 'all', label: 'All employees' },
                { value: 'departments', label: 'Employees of chosen departments' },
              ]}
            />
            {form.values.senderScope === 'departments' && (
              <IdChecklist
                form={form}
                name="departmentIds"
                legend="Departments"
                options={audiences.departments.map((d) => ({
                  id: d.id,
                  name: d.name,
                  detail: `${d.employeeCount} employee${d.employeeCount === 1 ? '' : 's'}`,
                }))}
                empty="There are no departments yet. Create them under Employees."
              />
            )}
          </>
        )}
      </fieldset>
      <fieldset class="group">
        <legend>Where a click goes</legend>
        <TextField
          form={form}
          name="destinationUrl"
          label="Destination URL"
          type="url"
          placeholder="https://acme.com/webinar"
        />
        <div class="grid">
          {utmKeys.map((k) => (
            <TextField
              key={k}
              form={form}
              name={`utm.${k}`}
              label={`UTM ${k}`}
              placeholder={k === 'medium' ? 'email' : ''}
            />
          ))}
        </div>
      </fieldset>
      <fieldset class="group">
        <legend>When and how important</legend>
        <div class="grid">
          <TextField
            form={form}
            name="startsAt"
            label="Starts"
            type="datetime-local"
            hint="Empty: at once."
          />
          <TextField form={form} name="endsAt" label="Ends" type="datetime-local" hint="Empty: never." />
          <TextField
            form={form}
            name="priority"
            label="Priority"
            type="number"
            hint="From -1000 to 1000; higher wins when several campaigns match."
          />
        </div>
      </fieldset>
    </>
  )
}
