import type { EmployeeProfile } from '@signet/shared/employees'
import { useSession } from '../../session.tsx'
import { HtmlFrame } from '../../ui/HtmlFrame.tsx'
import { ErrorState, Loading } from '../../ui/states.tsx'
import { useLoad } from '../../ui/useLoad.ts'

/** The signature that applies to this employee now (own, department's or default template). */
export function LivePreviewOfEmployee(props: { employee: EmployeeProfile }) {
  const { api } = useSession()
  const { employee } = props
  const preview = useLoad(
    () => api.request<{ html: string }>('POST', '/api/signatures/preview', { employeeId: employee.id }),
    [api, employee],
  )
  if (preview.error) return <ErrorState message={preview.error} onRetry={preview.reload} />
  if (!preview.data) return <Loading />
  return <HtmlFrame html={preview.data.html} title={`Signature of ${employee.email}`} />
}
