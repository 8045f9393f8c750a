import { type Import, UploadImportQuerySchema } from '@signet/shared/imports'
import { useRef } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { navigate } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { FormError, SelectField, SubmitButton, useForm } from '../../ui/form.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { loadGroups } from '../targets/common.tsx'

/** Step 1: the file, what it holds, and (optionally) the target group it goes into. */
export function Upload(props: { query: URLSearchParams }) {
  const { api } = useSession()
  const file = useRef<HTMLInputElement>(null)
  const groups = useLoad(() => loadGroups(api), [api])
  const synchronise = props.query.get('mode') === 'synchronise'
  const form = useForm({
    id: 'upload',
    initial: {
      kind: props.query.get('kind') === 'accounts' ? 'accounts' : 'contacts',
      targetGroupId: props.query.get('group') ?? '',
      file: '',
    },
    schema: UploadImportQuerySchema,
    toInput: ({ kind, targetGroupId }) => (targetGroupId ? { kind, targetGroupId } : { kind }),
    submit: async (input) => {
      const chosen = file.current?.files?.[0]
      if (!chosen) throw new ApiRequestError(422, 'validation_failed', 'Choose a CSV file to upload.', 'file')
      const query = new URLSearchParams({ kind: input.kind, fileName: chosen.name })
      if (input.targetGroupId) query.set('targetGroupId', input.targetGroupId)
      const res = await api.raw('POST', `/api/imports?${query}`, { data: chosen, type: 'text/csv' })
      const created = (await res.json()) as Import
      if (synchronise && input.targetGroupId)
        await api.request('PATCH', `/api/imports/${created.id}`, { mode: 'synchronise' })
      navigate(`/imports/${created.id}`)
    },
  })
  const kind = form.values.kind === 'accounts' ? 'account' : 'contact'
  const statics = (groups.data ?? []).filter((g) => g.kind === kind && !g.segmentId)
  return (
    <form class="card" onSubmit={form.onSubmit} noValidate aria-labelledby="upload-title">
      <h2 id="upload-title">
        {synchronise ? 'Synchronise a target group with a CSV file' : 'Import a CSV file'}
      </h2>
      <p class="muted">
        Encoding (UTF-8 or Windows-1252), delimiter and header row are detected; you check the columns next,
        and nothing changes before you apply.
      </p>
      <div class="grid">
        <SelectField
          form={form}
          name="kind"
          label="The file holds"
          options={[
            { value: 'contacts', label: 'Contacts (one email address per row)' },
            { value: 'accounts', label: 'Accounts (one domain per row)' },
          ]}
        />
        <SelectField
          form={form}
          name="targetGroupId"
          label="Into target group"
          hint={synchronise ? 'Its members become exactly the rows of the file.' : 'Optional.'}
          options={[
            { value: '', label: 'No group' },
            ...statics.map((g) => ({ value: g.id, label: g.name })),
          ]}
        />
        <div class={`field${form.errors.file ? ' field-invalid' : ''}`}>
          <label for="upload-file">CSV file</label>
          <input
            id="upload-file"
            ref={file}
            type="file"
            accept=".csv,.txt,text/csv,text/plain"
            aria-invalid={form.errors.file ? true : undefined}
            aria-describedby={form.errors.file ? 'upload-file-error' : undefined}
            onChange={(e) => form.set('file', e.currentTarget.value)}
          />
          {form.errors.file && (
            <p class="field-error" id="upload-file-error" data-field="file">
              {form.errors.file}
            </p>
          )}
        </div>
      </div>
      <FormError form={form} />
      <SubmitButton form={form}>Upload and preview</SubmitButton>
    </form>
  )
}
