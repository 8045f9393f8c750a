import type { Department, EmployeeProfile } from '@signet/shared/employees'
import { useMemo, useState } from 'preact/hooks'
import { Link, useRoute } from '../router.tsx'
import { useSession } from '../session.tsx'
import { type Column, DataTable } from '../ui/DataTable.tsx'
import { arraySource } from '../ui/sources.ts'
import { Empty, ErrorState, Loading } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'
import { Departments } from './employees/Departments.tsx'
import { EditEmployee } from './employees/EditEmployee.tsx'
import { downloadCsv } from './targets/common.tsx'

const personName = (e: EmployeeProfile) => [e.firstName, e.lastName].filter(Boolean).join(' ')

const sortValue = (e: EmployeeProfile, sort: string): string =>
  sort === 'department'
    ? (e.department ?? '').toLowerCase()
    : sort === 'jobTitle'
      ? e.jobTitle.toLowerCase()
      : (personName(e) || e.email).toLowerCase()

/** The profile fields placeholders use; custom fields follow as `custom.<name>` columns. */
function downloadEmployees(employees: EmployeeProfile[]) {
  const custom = [...new Set(employees.flatMap((e) => Object.keys(e.customFields)))].sort()
  downloadCsv(
    'signet-employees.csv',
    [
      'email',
      'first_name',
      'last_name',
      'role',
      'job_title',
      'department',
      'phone',
      'mobile',
      'photo_url',
      'own_signature_template',
      'updated_at',
      ...custom.map((k) => `custom.${k}`),
    ],
    employees.map((e) => [
      e.email,
      e.firstName,
      e.lastName,
      e.role,
      e.jobTitle,
      e.department,
      e.phone,
      e.mobile,
      e.photoUrl,
      e.signatureTemplateId !== null,
      e.updatedAt,
      ...custom.map((k) => e.customFields[k]),
    ]),
  )
}

/** `/employees` and `/employees/:id`. */
export default function Employees() {
  const id = useRoute().split('/')[2]
  return id ? <EditEmployee id={id} /> : <EmployeeList />
}

function EmployeeList() {
  const { api } = useSession()
  const [departmentId, setDepartmentId] = useState('')
  const [version, setVersion] = useState(0)
  const departments = useLoad(() => api.get<Department[]>('/api/departments'), [api])
  const source = useMemo(
    () =>
      arraySource(async (q) => {
        const query = new URLSearchParams()
        if (q) query.set('q', q)
        if (departmentId) query.set('departmentId', departmentId)
        return api.get<EmployeeProfile[]>(`/api/employees?${query}`)
      }, sortValue),
    [api, departmentId],
  )
  const columns: Column<EmployeeProfile>[] = [
    {
      label: 'Name',
      sort: 'name',
      render: (e) => (
        <>
          <Link href={`/employees/${e.id}`}>
            <strong>{personName(e) || e.email}</strong>
          </Link>
          {personName(e) && <div class="muted">{e.email}</div>}
        </>
      ),
    },
    { label: 'Job title', sort: 'jobTitle', render: (e) => e.jobTitle || <span class="muted">—</span> },
    { label: 'Department', sort: 'department', render: (e) => e.department ?? <span class="muted">—</span> },
    { label: 'Phone', render: (e) => e.phone || e.mobile || <span class="muted">—</span> },
    {
      label: 'Signature',
      render: (e) => (e.signatureTemplateId ? 'Own template' : <span class="muted">Default</span>),
    },
  ]
  if (departments.error) return <ErrorState message={departments.error} onRetry={departments.reload} />
  if (!departments.data) return <Loading />
  return (
    <section aria-labelledby="employees-title">
      <h1 id="employees-title">Employees</h1>
      <p class="muted">
        Everyone who can sign in writes email with a Signet signature; their profile fills its placeholders.
        Add people under Users.
      </p>
      <Departments
        departments={departments.data}
        onChanged={() => {
          void departments.reload()
          setVersion((v) => v + 1)
        }}
      />
      <div class="filters">
        <label for="employees-department">Department</label>
        <select
          id="employees-department"
          value={departmentId}
          onChange={(e) => setDepartmentId(e.currentTarget.value)}
        >
          <option value="">All departments</option>
          {departments.data.map((d) => (
            <option key={d.id} value={d.id}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <DataTable
        id="employees"
        label="Employees"
        source={source}
        columns={columns}
        rowKey={(e) => e.id}
        rowProps={(e) => ({ 'data-employee': e.email })}
        defaultSort={{ sort: 'name', order: 'asc' }}
        pageSize={50}
        searchPlaceholder="Name or email"
        reloadKey={`${departmentId}:${version}`}
        onExport={async (request) => {
          // Through the source: the search, the department and the sort of the list, every row.
          const { items } = await source({ ...request, cursor: null, limit: Number.MAX_SAFE_INTEGER })
          downloadEmployees(items)
        }}
        empty={(q) => (
          <Empty title={q ? `No employee matches “${q}”.` : 'No employees here.'}>
            <p>{q ? 'Try another name or email.' : 'Put people in this department from their profile.'}</p>
          </Empty>
        )}
      />
    </section>
  )
}
