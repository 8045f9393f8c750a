import type { EmployeeProfile } from '@signet/shared/employees'
import {
  CreateSignatureTemplateSchema,
  type SignatureTemplate,
  signaturePlaceholders,
} from '@signet/shared/signatures'
import { useEffect, useState } from 'preact/hooks'
import { navigate } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { CheckboxField, FormError, SubmitButton, TextAreaField, TextField, useForm } from '../../ui/form.tsx'
import { Notice } from '../../ui/states.tsx'
import { LivePreview } from './Preview.tsx'

const STARTER = `<table style="font-family:Arial,sans-serif;font-size:13px;color:#222">
  <tr><td>
    <strong>{{firstName}} {{lastName}}</strong><br>
    {{jobTitle}} · {{department}}<br>
    <a href="tel:{{phone}}">{{phone}}</a> · <a href="mailto:{{email}}">{{email}}</a>
  </td></tr>
</table>
{{banner}}`

const toValues = (t?: SignatureTemplate) => ({
  name: t?.name ?? '',
  html: t?.html ?? STARTER,
  isDefault: t?.isDefault ?? false,
})

export function TemplateEditor(props: {
  template?: SignatureTemplate
  employees: EmployeeProfile[]
  /** Just created: the page opened on it after saving. */
  created?: boolean
  onSaved: () => Promise<void>
  /** Whose profile fills the preview; kept by the page, so it survives switching templates. */
  previewAs: string
  onPreviewAs: (employeeId: string) => void
}) {
  const { api, me } = useSession()
  const { template } = props
  const [saved, setSaved] = useState(false)
  // The page opens a created template on its own address, possibly in this same editor.
  useEffect(() => setSaved(props.created ?? false), [props.created])
  const form = useForm({
    id: 'template',
    initial: toValues(template),
    // Creating and changing take the same fields, so the create schema checks both.
    schema: CreateSignatureTemplateSchema,
    submit: async (input) => {
      setSaved(false)
      const result = template
        ? await api.request<SignatureTemplate>('PATCH', `/api/signatures/${template.id}`, input)
        : await api.request<SignatureTemplate>('POST', '/api/signatures', input)
      // The API sanitises: show what it kept.
      await props.onSaved()
      if (!template) return navigate(`/signatures/${result.id}?created=1`)
      form.reset(toValues(result))
      setSaved(true)
    },
  })

  const insert = (placeholder: string) => {
    const area = document.getElementById('template-html') as HTMLTextAreaElement
    const at = area.selectionStart ?? form.values.html.length
    const end = area.selectionEnd ?? at
    const text = `{{${placeholder}}}`
    form.set('html', form.values.html.slice(0, at) + text + form.values.html.slice(end))
    requestAnimationFrame(() => {
      area.focus()
      area.setSelectionRange(at + text.length, at + text.length)
    })
  }

  const [deleteError, setDeleteError] = useState<string>()
  const remove = async () => {
    if (!template || !confirm(`Delete the template “${template.name}”? Who uses it gets the default.`)) return
    try {
      await api.request('DELETE', `/api/signatures/${template.id}`)
      await props.onSaved()
      navigate('/signatures')
    } catch (error) {
      setDeleteError((error as Error).message)
    }
  }

  return (
    <div class="split">
      <form class="card" onSubmit={form.onSubmit} noValidate onInput={() => setSaved(false)}>
        <h2>{template ? `Edit “${template.name}”` : 'New template'}</h2>
        <TextField form={form} name="name" label="Template name" />
        <p class="field-hint" id="placeholders-hint">
          Insert a placeholder at the cursor; <code>{'{{custom.name}}'}</code> reads a custom field.
        </p>
        <ul class="placeholders" aria-describedby="placeholders-hint">
          {signaturePlaceholders.map((p) => (
            <li key={p}>
              <button type="button" class="chip" onClick={() => insert(p)}>{`{{${p}}}`}</button>
            </li>
          ))}
        </ul>
        <TextAreaField
          form={form}
          name="html"
          label="HTML"
          rows={14}
          hint="Scripts, event handlers and javascript: links are removed on save. Without {{banner}} the banner goes at the end."
        />
        <CheckboxField
          form={form}
          name="isDefault"
          label="Workspace default"
          hint="Used by every employee without a department or personal template."
        />
        <FormError form={form} />
        {saved && <Notice>Template saved.</Notice>}
        <div class="row">
          <SubmitButton form={form}>{template ? 'Save template' : 'Create template'}</SubmitButton>
          {template && (
            <button type="button" class="button button-danger" onClick={remove}>
              Delete template
            </button>
          )}
        </div>
        {deleteError && (
          <p class="form-error" role="alert">
            {deleteError}
          </p>
        )}
      </form>
      <div class="card">
        <h2>Preview</h2>
        <div class="field">
          <label for="preview-employee">Preview as</label>
          <select
            id="preview-employee"
            value={props.previewAs}
            onChange={(e) => props.onPreviewAs(e.currentTarget.value)}
          >
            {props.employees.map((e) => (
              <option key={e.id} value={e.id}>
                {[e.firstName, e.lastName].filter(Boolean).join(' ') || e.email}
                {e.id === me.user.id ? ' (you)' : ''}
              </option>
            ))}
          </select>
        </div>
        <LivePreview html={form.values.html} employeeId={props.previewAs} />
        <p class="muted">The grey box stands for the campaign banner the recipient gets.</p>
      </div>
    </div>
  )
}
