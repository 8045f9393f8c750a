import type { Department, EmployeeProfile } from '@signet/shared/employees'
import type { SignatureTemplate } from '@signet/shared/signatures'
import { useState } from 'preact/hooks'
import { Link, useRoute } from '../router.tsx'
import { useSession } from '../session.tsx'
import { ErrorState, Loading } from '../ui/states.tsx'
import { useLoad } from '../ui/useLoad.ts'
import { Assignments } from './signatures/Assignments.tsx'
import { TemplateEditor } from './signatures/TemplateEditor.tsx'

/** `/signatures` (the default template), `/signatures/new` and `/signatures/:id`. */
export default function Signatures() {
  const { api, me } = useSession()
  const [previewAs, setPreviewAs] = useState(me.user.id)
  const [path, query = ''] = useRoute().split('?')
  const selected = path!.split('/')[2]
  const loaded = useLoad(async () => {
    const [templates, departments, employees] = await Promise.all([
      api.get<SignatureTemplate[]>('/api/signatures'),
      api.get<Department[]>('/api/departments'),
      api.get<EmployeeProfile[]>('/api/employees'),
    ])
    return { templates, departments, employees }
  }, [api])
  if (loaded.error) return <ErrorState message={loaded.error} onRetry={loaded.reload} />
  if (!loaded.data) return <Loading label="Loading signatures…" />
  const { templates, departments, employees } = loaded.data
  const current =
    selected === 'new'
      ? undefined
      : (templates.find((t) => t.id === selected) ?? templates.find((t) => t.isDefault) ?? templates[0])
  if (selected && selected !== 'new' && current?.id !== selected)
    return <ErrorState message="This template does not exist (any more). Pick one from Signatures." />
  const reload = () => loaded.reload()
  return (
    <section aria-labelledby="signatures-title">
      <h1 id="signatures-title">Signatures</h1>
      <p class="muted">
        Templates are HTML with placeholders filled from each employee’s profile; <code>{'{{banner}}'}</code>{' '}
        is where the campaign banner goes.
      </p>
      <nav aria-label="Templates" class="row tabs">
        {templates.map((t) => (
          <Link key={t.id} href={`/signatures/${t.id}`} class="button" current={t.id === current?.id}>
            {t.name}
            {t.isDefault ? ' (default)' : ''}
          </Link>
        ))}
        <Link href="/signatures/new" class="button" current={!current}>
          + New template
        </Link>
      </nav>
      {templates.length === 0 && !current && (
        <p class="muted">
          No template yet: until there is one, employees get a built-in signature with name, job title and
          phone. Start from the example below.
        </p>
      )}
      <TemplateEditor
        key={current?.id ?? 'new'}
        template={current}
        created={new URLSearchParams(query).has('created')}
        employees={employees}
        onSaved={reload}
        previewAs={previewAs}
        onPreviewAs={setPreviewAs}
      />
      <Assignments
        templates={templates}
        departments={departments}
        employees={employees}
        onChanged={() => void reload()}
      />
    </section>
  )
}
