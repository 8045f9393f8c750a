import type { Segment, TargetKind } from '@signet/shared/segments'
import { useSession } from '../../session.tsx'
import { useLoad } from '../../ui/useLoad.ts'
import { countOf } from './common.tsx'

/** Narrows a list to a saved segment's matches. */
export function SegmentPicker(props: { kind: TargetKind; value: string; onChange: (id: string) => void }) {
  const { api } = useSession()
  const segments = useLoad(() => api.get<Segment[]>('/api/segments'), [api])
  const own = (segments.data ?? []).filter((s) => s.kind === props.kind)
  return (
    <div class="field">
      <label for={`${props.kind}-segment-filter`}>Segment</label>
      <select
        id={`${props.kind}-segment-filter`}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <option value="">All {props.kind}s</option>
        {own.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name} ({countOf(s)})
          </option>
        ))}
      </select>
    </div>
  )
}
