import { type Department, type EmployeeProfile, UpdateEmployeeSchema } from '@signet/shared/employees'
import type { SignatureTemplate } from '@signet/shared/signatures'
import { useState } from 'preact/hooks'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { FormError, SelectField, SubmitButton, TextAreaField, TextField, useForm } from '../../ui/form.tsx'
import { ErrorState, Loading, Notice } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { LivePreviewOfEmployee } from './preview.tsx'

function toValues(e: EmployeeProfile) {
  return {
    firstName: e.firstName,
    lastName: e.lastName,
    jobTitle: e.jobTitle,
    phone: e.phone,
    mobile: e.mobile,
    photoUrl: e.photoUrl,
    departmentId: e.departmentId ?? '',
    signatureTemplateId: e.signatureTemplateId ?? '',
    customFields: Object.entries(e.customFields)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  }
}

/** "linkedin: https://…" lines; the first colon separates the name from the value. */
function parseCustomFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    const at = line.indexOf(':')
    if (at < 0) fields[line.trim()] = ''
    else fields[line.slice(0, at).trim()] = line.slice(at + 1).trim()
  }
  return fields
}

export function EditEmployee(props: { id: string }) {
  const { api } = useSession()
  const loaded = useLoad(async () => {
    const [employee, departments, templates] = await Promise.all([
      api.get<EmployeeProfile>(`/api/employees/${props.id}`),
      api.get<Department[]>('/api/departments'),
      api.get<SignatureTemplate[]>('/api/signatures'),
    ])
    return { employee, departments, templates }
  }, [api, props.id])
  if (loaded.error) return <ErrorState message={loaded.error} onRetry={loaded.reload} />
  if (!loaded.data) return <Loading label="Loading the employee…" />
  return <EmployeeForm key={props.id} {...loaded.data} />
}

function EmployeeForm(props: {
  employee: EmployeeProfile
  departments: Department[]
  templates: SignatureTemplate[]
}) {
  const { api } = useSession()
  const [employee, setEmployee] = useState(props.employee)
  const [saved, setSaved] = useState(false)
  const form = useForm({
    id: 'employee',
    initial: toValues(props.employee),
    schema: UpdateEmployeeSchema,
    toInput: (v) => ({
      ...v,
      departmentId: v.departmentId || null,
      signatureTemplateId: v.signatureTemplateId || null,
      customFields: parseCustomFields(v.customFields),
    }),
    submit: async (input) => {
      setSaved(false)
      const updated = await api.request<EmployeeProfile>('PATCH', `/api/employees/${employee.id}`, input)
      form.reset(toValues(updated))
      setEmployee(updated)
      setSaved(true)
    },
  })
  const name = [employee.firstName, employee.lastName].filter(Boolean).join(' ') || employee.email
  return (
    <section aria-labelledby="employee-title">
      <p>
        <Link href="/employees">← Employees</Link>
      </p>
      <h1 id="employee-title">{name}</h1>
      <p class="muted">
        {employee.email} · {employee.role}
      </p>
      <div class="split">
        <form class="card" onSubmit={form.onSubmit} noValidate onInput={() => setSaved(false)}>
          <h2>Profile</h2>
          <div class="grid">
            <TextField form={form} name="firstName" label="First name" />
            <TextField form={form} name="lastName" label="Last name" />
            <TextField form={form} name="jobTitle" label="Job title" />
            <TextField form={form} name="phone" label="Phone" type="tel" />
            <TextField form={form} name="mobile" label="Mobile" type="tel" />
            <TextField form={form} name="photoUrl" label="Photo URL" type="url" placeholder="https://" />
            <SelectField
              form={form}
              name="departmentId"
              label="Department"
              options={[
                { value: '', label: 'No department' },
                ...props.departments.map((d) => ({ value: d.id, label: d.name })),
              ]}
            />
            <SelectField
              form={form}
              name="signatureTemplateId"
              label="Signature template"
              options={[
                { value: '', label: 'Department’s or workspace default' },
                ...props.templates.map((t) => ({ value: t.id, label: t.name })),
              ]}
            />
          </div>
          <TextAreaField
            form={form}
            name="customFields"
            label="Custom fields"
            rows={4}
            placeholder="linkedin: https://www.linkedin.com/in/…"
            hint="One per line, “name: value”; a template shows it with {{custom.name}}."
          />
          <FormError form={form} />
          {saved && <Notice>Profile saved.</Notice>}
          <SubmitButton form={form}>Save profile</SubmitButton>
        </form>
        <div class="card">
          <h2>Their signature</h2>
          <LivePreviewOfEmployee employee={employee} />
        </div>
      </div>
    </section>
  )
}
