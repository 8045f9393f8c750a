import { extensionFeatures } from '@signet/shared/extension'
import {
  multiRecipientPolicies,
  trackingTiers,
  UpdateWorkspaceSchema,
  type Workspace,
} from '@signet/shared/workspace'
import { useState } from 'preact/hooks'
import { useSession } from '../session.tsx'
import {
  CheckboxField,
  FormError,
  SelectField,
  SubmitButton,
  TextAreaField,
  TextField,
  useForm,
} from '../ui/form.tsx'
import { ErrorState, Loading, Notice } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'
import { ExtensionHealth } from './settings/ExtensionHealth.tsx'

const tierLabels: Record<(typeof trackingTiers)[number], string> = {
  off: 'Off — no views or clicks are recorded',
  aggregate: 'Aggregate — counts per campaign and account, no per-person history',
  identified: 'Identified — per-contact history, only for contacts with recorded consent',
}
const policyLabels: Record<(typeof multiRecipientPolicies)[number], string> = {
  best_match: 'Best match — contact over account, then priority, then most recipients',
  first_to: 'First “To” recipient decides',
  single_account: 'Targeted banner only when all recipients are one account, else sender-based',
}

const featureLabels: Record<(typeof extensionFeatures)[number], string> = {
  gmail: 'Gmail',
  outlook: 'Outlook on the web',
  insert_signature: 'Inserting the signature',
  report_sent: 'Reporting sent emails',
  indicator: 'The “why this banner” indicator',
}
const clientSignatureLabels = {
  keep: 'Keep it — our signature goes beside the mail client’s own',
  replace: 'Replace it — only the Signet signature',
} as const

type Feature = (typeof extensionFeatures)[number]
const featureField = (f: Feature) => `off.${f}` as const

function toValues(w: Workspace) {
  const off = Object.fromEntries(
    extensionFeatures.map((f) => [featureField(f), w.disabledFeatures.includes(f)]),
  ) as Record<ReturnType<typeof featureField>, boolean>
  return {
    name: w.name,
    internalDomains: w.internalDomains.join('\n'),
    trackingTier: w.trackingTier as string,
    multiRecipientPolicy: w.multiRecipientPolicy as string,
    clientSignature: w.clientSignature as string,
    ...off,
  }
}

export default function Settings() {
  const { api } = useSession()
  const workspace = useLoad(() => api.get<Workspace>('/api/workspace'))
  if (workspace.error) return <ErrorState message={workspace.error} onRetry={workspace.reload} />
  if (!workspace.data) return <Loading label="Loading settings…" />
  return <SettingsForm workspace={workspace.data} />
}

function SettingsForm(props: { workspace: Workspace }) {
  const { api, me, refresh } = useSession()
  const [saved, setSaved] = useState(false)
  const canEdit = me.user.role === 'admin'
  const form = useForm({
    id: 'settings',
    initial: toValues(props.workspace),
    schema: UpdateWorkspaceSchema,
    toInput: ({ name, trackingTier, multiRecipientPolicy, clientSignature, ...v }) => ({
      name,
      trackingTier,
      multiRecipientPolicy,
      clientSignature,
      disabledFeatures: extensionFeatures.filter((f) => v[featureField(f)]),
      internalDomains: v.internalDomains
        .split(/[\n,]/)
        .map((d) => d.trim())
        .filter(Boolean),
    }),
    submit: async (input) => {
      setSaved(false)
      const updated = await api.request<Workspace>('PATCH', '/api/workspace', input)
      form.reset(toValues(updated))
      setSaved(true)
      await refresh()
    },
  })
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {!canEdit && <p class="notice">Only an admin can change these settings; you can read them.</p>}
      <form class="card" onSubmit={form.onSubmit} noValidate onInput={() => setSaved(false)}>
        <fieldset disabled={!canEdit}>
          <TextField form={form} name="name" label="Workspace name" />
          <TextAreaField
            form={form}
            name="internalDomains"
            label="Internal domains"
            rows={4}
            placeholder="acme.com"
            hint="One domain per line. Email to these domains is internal and never gets a campaign."
          />
          <SelectField
            form={form}
            name="trackingTier"
            label="Tracking"
            options={trackingTiers.map((t) => ({ value: t, label: tierLabels[t] }))}
          />
          <SelectField
            form={form}
            name="multiRecipientPolicy"
            label="Several recipients"
            hint="Which campaign an email gets when its recipients belong to different target groups."
            options={multiRecipientPolicies.map((p) => ({ value: p, label: policyLabels[p] }))}
          />
          <SelectField
            form={form}
            name="clientSignature"
            label="The mail client’s own signature"
            options={(['keep', 'replace'] as const).map((k) => ({
              value: k,
              label: clientSignatureLabels[k],
            }))}
          />
          <fieldset class="field">
            <legend>Extension features switched off</legend>
            <p class="field-hint">
              Switch a feature off for everyone when a mail client changed its page and the feature
              misbehaves; emails then get the default signature.
            </p>
            {extensionFeatures.map((f) => (
              <CheckboxField key={f} form={form} name={featureField(f)} label={featureLabels[f]} />
            ))}
          </fieldset>
          <FormError form={form} />
          {saved && <Notice>Settings saved.</Notice>}
          {canEdit && <SubmitButton form={form}>Save settings</SubmitButton>}
        </fieldset>
      </form>
      <ExtensionHealth />
    </section>
  )
}
