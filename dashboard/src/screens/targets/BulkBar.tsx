import type { TargetGroup } from '@signet/shared/target-groups'
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { useSession } from '../../session.tsx'
import { forEach, plural } from './common.tsx'

/** What a bulk action did, for the screen's notice. */
export interface BulkResult {
  message: string
  failed?: boolean
}

/**
 * Actions on the ticked rows: add them to a static target group, delete them, export them; a screen
 * adds its own (labels) as children.
 */
export function BulkBar<T extends { id: string }>(props: {
  kind: 'account' | 'contact'
  selected: Map<string, T>
  groups: TargetGroup[]
  onDone: (result: BulkResult) => void
  onClear: () => void
  onExport: () => void
  children?: ComponentChildren
}) {
  const { api } = useSession()
  const ids = [...props.selected.keys()]
  const statics = props.groups.filter((g) => g.kind === props.kind && !g.segmentId)
  const [groupId, setGroupId] = useState('')
  const [busy, setBusy] = useState(false)
  const things = (n: number) => plural(n, props.kind)

  const run = async (work: () => Promise<BulkResult>) => {
    setBusy(true)
    try {
      props.onDone(await work())
    } catch (error) {
      props.onDone({ message: (error as Error).message, failed: true })
    } finally {
      setBusy(false)
    }
  }

  const addToGroup = () =>
    run(async () => {
      const group = statics.find((g) => g.id === (groupId || statics[0]?.id))
      if (!group) return { message: 'Choose a target group first.', failed: true }
      const result = await api.request<{ changed: number }>(
        'POST',
        `/api/target-groups/${group.id}/members/add`,
        {
          ids,
        },
      )
      return { message: `Added ${things(result.changed)} to “${group.name}”.` }
    })

  const remove = () => {
    if (!confirm(`Delete ${things(ids.length)}? You can restore them from Deleted.`)) return
    void run(async () => {
      const r = await forEach(ids, (id) =>
        api.request('DELETE', `/api/${props.kind}s/${id}?reason=bulk%20delete`),
      )
      return r.failed
        ? { message: `Deleted ${things(r.done)}; ${r.failed} failed: ${r.firstError}`, failed: true }
        : { message: `Deleted ${things(r.done)}. Restore them from Deleted if needed.` }
    })
  }

  return (
    <section class="bulk" aria-label="Actions on selected rows">
      <strong>{ids.length} selected</strong>
      <label for={`${props.kind}-bulk-group`}>Target group</label>
      <select
        id={`${props.kind}-bulk-group`}
        value={groupId}
        onChange={(e) => setGroupId(e.currentTarget.value)}
        disabled={statics.length === 0}
      >
        {statics.length === 0 && <option value="">No static groups yet</option>}
        {statics.map((g) => (
          <option key={g.id} value={g.id}>
            {g.name}
          </option>
        ))}
      </select>
      <button type="button" class="button" disabled={busy || statics.length === 0} onClick={addToGroup}>
        Add to group
      </button>
      {props.children}
      <button type="button" class="button" onClick={props.onExport}>
        Export selected
      </button>
      <button type="button" class="button button-danger" disabled={busy} onClick={remove}>
        Delete selected
      </button>
      <button type="button" class="button button-quiet" onClick={props.onClear}>
        Clear selection
      </button>
    </section>
  )
}
