import { CreateDepartmentSchema, type Department, UpdateDepartmentSchema } from '@signet/shared/employees'
import { useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { Empty } from '../../ui/states.tsx'
import { downloadCsv } from '../targets/common.tsx'

const downloadDepartments = (departments: Department[]) =>
  downloadCsv(
    'signet-departments.csv',
    ['name', 'employees', 'own_signature_template', 'created_at', 'updated_at'],
    departments.map((d) => [
      d.name,
      d.employeeCount,
      d.signatureTemplateId !== null,
      d.createdAt,
      d.updatedAt,
    ]),
  )

/** Departments: sender-based campaigns and signature templates can be chosen per department. */
export function Departments(props: { departments: Department[]; onChanged: () => void }) {
  const { api } = useSession()
  const form = useForm({
    id: 'new-department',
    initial: { name: '' },
    schema: CreateDepartmentSchema,
    submit: async (input) => {
      await api.request('POST', '/api/departments', input)
      form.reset({ name: '' })
      props.onChanged()
    },
  })
  return (
    <section class="card" aria-labelledby="departments-title">
      <div class="toolbar">
        <h2 id="departments-title">Departments</h2>
        <button
          type="button"
          class="button"
          aria-describedby="departments-title"
          disabled={props.departments.length === 0}
          onClick={() => downloadDepartments(props.departments)}
        >
          Export CSV
        </button>
      </div>
      {props.departments.length === 0 ? (
        <Empty title="No departments yet.">
          <p>Add one below, then put employees in it.</p>
        </Empty>
      ) : (
        <table class="table">
          <caption class="visually-hidden">Departments</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Employees</th>
              <th scope="col" class="actions">
                Actions
              </th>
            </tr>
          </thead>
          <tbody>
            {props.departments.map((d) => (
              <DepartmentRow key={d.id} department={d} onChanged={props.onChanged} />
            ))}
          </tbody>
        </table>
      )}
      <form onSubmit={form.onSubmit} noValidate class="inline-form">
        <TextField form={form} name="name" label="New department" placeholder="Sales" />
        <SubmitButton form={form}>Add department</SubmitButton>
        <FormError form={form} />
      </form>
    </section>
  )
}

function DepartmentRow(props: { department: Department; onChanged: () => void }) {
  const { api } = useSession()
  const { department } = props
  const [editing, setEditing] = useState(false)
  const [error, setError] = useState<string>()
  const form = useForm({
    id: `department-${department.id}`,
    initial: { name: department.name },
    schema: UpdateDepartmentSchema,
    submit: async (input) => {
      await api.request('PATCH', `/api/departments/${department.id}`, input)
      setEditing(false)
      props.onChanged()
    },
  })
  const remove = async () => {
    if (!confirm(`Delete the department “${department.name}”? Its employees keep their profiles.`)) return
    try {
      await api.request('DELETE', `/api/departments/${department.id}`)
      props.onChanged()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <tr data-department={department.name}>
      <td>
        {editing ? (
          <form onSubmit={form.onSubmit} noValidate class="inline-form">
            <TextField form={form} name="name" label={`Name of ${department.name}`} />
            <SubmitButton form={form}>Save</SubmitButton>
            <button
              type="button"
              class="button button-quiet"
              onClick={() => {
                form.reset({ name: department.name })
                setEditing(false)
              }}
            >
              Cancel
            </button>
            <FormError form={form} />
          </form>
        ) : (
          department.name
        )}
        {error && (
          <p class="field-error" role="alert">
            {error}
          </p>
        )}
      </td>
      <td>{department.employeeCount}</td>
      <td class="actions">
        {!editing && (
          <button
            type="button"
            class="button button-quiet"
            aria-label={`Rename ${department.name}`}
            onClick={() => setEditing(true)}
          >
            Rename
          </button>
        )}
        <button
          type="button"
          class="button button-danger"
          aria-label={`Delete ${department.name}`}
          onClick={remove}
        >
          Delete
        </button>
      </td>
    </tr>
  )
}
