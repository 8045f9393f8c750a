import {
  CreateSegmentSchema,
  type FilterGroup,
  FilterGroupSchema,
  type Segment,
  type TargetKind,
} from '@signet/shared/segments'
import type { TargetGroup } from '@signet/shared/target-groups'
import { useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { Link } from '../../router.tsx'
import { useSession } from '../../session.tsx'
import { FormError, SubmitButton, TextField, useForm } from '../../ui/form.tsx'
import { Notice } from '../../ui/states.tsx'
import { isEstimate, plural } from './common.tsx'
import { emptyFilter, FilterBuilder, type FilterError } from './FilterBuilder.tsx'

/** A zod or API error of a filter, as the path inside the filter (`conditions.0.value`). */
export function filterErrorOf(path: string, message: string): FilterError {
  return { path: path.replace(/^filter\.?/, ''), message }
}

/** Checks a filter with the shared schema and the API (which also knows the groups and fields). */
export async function checkFilter(
  api: ReturnType<typeof useSession>['api'],
  kind: TargetKind,
  filter: FilterGroup,
): Promise<{ count: number; countIsEstimate?: boolean } | { error: FilterError }> {
  const parsed = FilterGroupSchema.safeParse(filter)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    return { error: filterErrorOf(issue.path.join('.'), issue.message) }
  }
  try {
    return await api.request<{ count: number; countIsEstimate?: boolean }>('POST', '/api/segments/count', {
      kind,
      filter: parsed.data,
    })
  } catch (error) {
    if (error instanceof ApiRequestError && error.field?.startsWith('filter'))
      return { error: filterErrorOf(error.field, error.message) }
    throw error
  }
}

/**
 * "Smart search": a filter built here narrows the list (it is an unsaved segment) and can be saved
 * as a segment by name.
 */
export function SmartSearch(props: {
  kind: TargetKind
  groups: TargetGroup[]
  onApply: (filter: FilterGroup | undefined) => void
}) {
  const { api } = useSession()
  const [draft, setDraft] = useState<FilterGroup>(emptyFilter)
  const [error, setError] = useState<FilterError>()
  const [count, setCount] = useState<{ count: number; countIsEstimate?: boolean }>()
  const [saved, setSaved] = useState<Segment>()
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string>()

  const apply = async () => {
    setBusy(true)
    setError(undefined)
    setFailure(undefined)
    try {
      const checked = await checkFilter(api, props.kind, draft)
      if ('error' in checked) return setError(checked.error)
      setCount(checked)
      props.onApply(draft.conditions.length ? draft : undefined)
    } catch (e) {
      setFailure((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  const form = useForm({
    id: `${props.kind}-segment`,
    initial: { name: '' },
    schema: CreateSegmentSchema,
    toInput: (v) => ({ name: v.name, kind: props.kind, filter: draft }),
    submit: async (input) => {
      setSaved(undefined)
      try {
        setSaved(await api.request<Segment>('POST', '/api/segments', input))
        form.reset({ name: '' })
      } catch (e) {
        if (e instanceof ApiRequestError && e.field?.startsWith('filter'))
          return setError(filterErrorOf(e.field, e.message))
        throw e
      }
    },
  })

  return (
    <section class="card" aria-labelledby={`${props.kind}-smart-title`}>
      <h2 id={`${props.kind}-smart-title`}>Smart search</h2>
      <FilterBuilder
        kind={props.kind}
        value={draft}
        groups={props.groups}
        error={error}
        onChange={(next) => {
          setDraft(next)
          setError(undefined)
        }}
      />
      <div class="builder-row">
        <button type="button" class="button button-primary" disabled={busy} onClick={apply}>
          Apply filter
        </button>
        <button
          type="button"
          class="button button-quiet"
          onClick={() => {
            setDraft(emptyFilter())
            setError(undefined)
            setCount(undefined)
            props.onApply(undefined)
          }}
        >
          Clear
        </button>
        {count !== undefined && (
          <span class="muted" aria-live="polite">
            {plural(count.count, props.kind, isEstimate(count))} match this filter.
          </span>
        )}
      </div>
      {failure && <Notice kind="error">{failure}</Notice>}
      <form
        class="builder-row"
        onSubmit={async (e) => {
          // A filter the schema refuses is shown at its condition, not as a form error.
          const parsed = FilterGroupSchema.safeParse(draft)
          if (!parsed.success) {
            e.preventDefault()
            const issue = parsed.error.issues[0]!
            return setError(filterErrorOf(issue.path.join('.'), issue.message))
          }
          await form.onSubmit(e)
        }}
        noValidate
      >
        <TextField form={form} name="name" label="Save this filter as a segment named" />
        <SubmitButton form={form}>Save segment</SubmitButton>
        <FormError form={form} />
      </form>
      {saved && (
        <Notice>
          Segment <Link href={`/segments/${saved.id}`}>{saved.name}</Link> saved; it matches{' '}
          {plural(saved.count, props.kind, isEstimate(saved))} now.
        </Notice>
      )}
    </section>
  )
}
