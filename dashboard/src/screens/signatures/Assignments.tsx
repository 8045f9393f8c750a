import type { Department, EmployeeProfile } from '@signet/shared/employees'
import type { SignatureTemplate } from '@signet/shared/signatures'
import { useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'

const personName = (e: EmployeeProfile) => [e.firstName, e.lastName].filter(Boolean).join(' ') || e.email

function TemplateSelect(props: {
  id: string
  label: string
  value: string | null
  templates: SignatureTemplate[]
  emptyLabel: string
  onChange: (value: string | null) => void
}) {
  return (
    <select
      id={props.id}
      aria-label={props.label}
      value={props.value ?? ''}
      onChange={(e) => props.onChange(e.currentTarget.value || null)}
    >
      <option value="">{props.emptyLabel}</option>
      {props.templates.map((t) => (
        <option key={t.id} value={t.id}>
          {t.name}
        </option>
      ))}
    </select>
  )
}

/** Which template a department or an employee uses instead of the workspace default. */
export function Assignments(props: {
  templates: SignatureTemplate[]
  departments: Department[]
  employees: EmployeeProfile[]
  onChanged: () => void
}) {
  const { api } = useSession()
  const [error, setError] = useState<string>()
  const [pick, setPick] = useState('')
  const change = async (path: string, signatureTemplateId: string | null) => {
    setError(undefined)
    try {
      await api.request('PATCH', path, { signatureTemplateId })
      props.onChanged()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const overridden = props.employees.filter((e) => e.signatureTemplateId)
  const others = props.employees.filter((e) => !e.signatureTemplateId)
  return (
    <section class="card" aria-labelledby="assignments-title">
      <h2 id="assignments-title">Who uses which template</h2>
      <p class="muted">
        An employee’s own template wins over their department’s, which wins over the workspace default.
      </p>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <h3>Departments</h3>
      {props.departments.length === 0 ? (
        <p class="muted">No departments yet; create them under Employees.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Department templates</caption>
          <thead>
            <tr>
              <th scope="col">Department</th>
              <th scope="col">Template</th>
            </tr>
          </thead>
          <tbody>
            {props.departments.map((d) => (
              <tr key={d.id} data-department={d.name}>
                <td>
                  {d.name} <span class="muted">({d.employeeCount})</span>
                </td>
                <td>
                  <TemplateSelect
                    id={`department-template-${d.id}`}
                    label={`Template of ${d.name}`}
                    value={d.signatureTemplateId}
                    templates={props.templates}
                    emptyLabel="Workspace default"
                    onChange={(v) => change(`/api/departments/${d.id}`, v)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Employees with their own template</h3>
      {overridden.length === 0 ? (
        <p class="muted">Nobody has a personal template.</p>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Personal templates</caption>
          <thead>
            <tr>
              <th scope="col">Employee</th>
              <th scope="col">Template</th>
            </tr>
          </thead>
          <tbody>
            {overridden.map((e) => (
              <tr key={e.id} data-employee={e.email}>
                <td>
                  {personName(e)} <span class="muted">{e.department ?? ''}</span>
                </td>
                <td>
                  <TemplateSelect
                    id={`employee-template-${e.id}`}
                    label={`Template of ${e.email}`}
                    value={e.signatureTemplateId}
                    templates={props.templates}
                    emptyLabel="Department or workspace default"
                    onChange={(v) => change(`/api/employees/${e.id}`, v)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {others.length > 0 && props.templates.length > 0 && (
        <div class="row">
          <label for="override-employee">Give an employee their own template</label>
          <select id="override-employee" value={pick} onChange={(e) => setPick(e.currentTarget.value)}>
            <option value="">Choose an employee…</option>
            {others.map((e) => (
              <option key={e.id} value={e.id}>
                {personName(e)}
              </option>
            ))}
          </select>
          {pick && (
            <TemplateSelect
              id="override-template"
              label="Their template"
              value={null}
              templates={props.templates}
              emptyLabel="Choose a template…"
              onChange={(v) => {
                if (!v) return
                setPick('')
                void change(`/api/employees/${pick}`, v)
              }}
            />
          )}
        </div>
      )}
    </section>
  )
}
