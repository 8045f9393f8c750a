import {
  BULK_MAX_IDS,
  BULK_MAX_MATCHING,
  BulkAccountsSchema,
  BulkContactsSchema,
  type BulkResult as Counts,
} from '@signet/shared/bulk'
import type { TargetGroup } from '@signet/shared/target-groups'
import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { ApiRequestError } from '../../api.ts'
import { useSession } from '../../session.tsx'
import { confirmDeletion } from '../../ui/confirm.ts'
import type { ListState } from '../../ui/DataTable.tsx'
import { plural } from './common.tsx'

/** What a bulk action did, for the screen's notice. */
export interface BulkResult {
  message: string
  failed?: boolean
}

/** The list the bulk bar acts on: its filters (the list's query parameters) and what it shows now. */
export interface BulkList {
  params: Record<string, string>
  state: ListState | undefined
}

/**
 * Sends one bulk action: `action` is the body without the selection; `describe` words the result.
 * Resolves to the field errors to show (none when it went through, or failed as a whole).
 */
export type RunBulk = (
  action: Record<string, unknown>,
  describe: (counts: Counts, things: (n: number) => string) => string,
  confirmText?: string,
  /** Confirm with a reason (a deletion): the answer goes into the action's `reason`. */
  reasonFallback?: string,
) => Promise<void>

/** "; 3 were already in it" — the rows the action left as they were, if any. */
export const rest = (counts: Counts, text: (n: number) => string) =>
  counts.matched > counts.changed ? `; ${text(counts.matched - counts.changed)}` : ''

/**
 * Actions on the ticked rows — or on every row the list's search and filters match — in one
 * request to `POST /api/{kind}s/bulk`: add to or remove from a static target group, delete,
 * export; a screen adds its own (labels, statuses) through `children`.
 */
export function BulkBar<T extends { id: string }>(props: {
  kind: 'account' | 'contact'
  selected: Map<string, T>
  /** How a row is named in a message: "acme.com". */
  rowLabel: (row: T) => string
  list: BulkList
  allMatching: boolean
  onAllMatching: (on: boolean) => void
  groups: TargetGroup[]
  onDone: (result: BulkResult) => void
  onClear: () => void
  /** Exports the selection: the ticked rows, or (`allMatching`) the list's own export. */
  onExport: () => Promise<void> | void
  children?: (run: RunBulk, errors: Record<string, string>) => ComponentChildren
}) {
  const { api } = useSession()
  const statics = props.groups.filter((g) => g.kind === props.kind && !g.segmentId)
  const [groupId, setGroupId] = useState('')
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const things = (n: number, estimate = false) => plural(n, props.kind, estimate)
  const total = props.list.state?.total ?? 0
  const estimate = props.list.state?.totalIsEstimate === true
  const count = props.allMatching ? total : props.selected.size
  const group = statics.find((g) => g.id === (groupId || statics[0]?.id))

  const selection = () => {
    if (!props.allMatching) return { ids: [...props.selected.keys()] }
    const matching: Record<string, string> = { ...props.list.params }
    if (props.list.state?.q) matching.q = props.list.state.q
    return { matching }
  }

  const run: RunBulk = async (action, describe, confirmText, reasonFallback) => {
    let reason: string | null | undefined
    if (confirmText && reasonFallback !== undefined) {
      reason = confirmDeletion(confirmText)
      if (reason === null) return
    }
    const body = {
      ...action,
      ...(reason === undefined ? {} : { reason: reason || reasonFallback }),
      ...selection(),
    }
    const schema = props.kind === 'contact' ? BulkContactsSchema : BulkAccountsSchema
    const parsed = schema.safeParse(body)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const field = String(issue.path[0] ?? '')
      if (field in action) return setErrors({ [field]: issue.message })
      setErrors({})
      return props.onDone({ message: issue.message, failed: true })
    }
    if (confirmText && reasonFallback === undefined && !confirm(confirmText)) return
    setErrors({})
    setBusy(true)
    try {
      const counts = await api.request<Counts>('POST', `/api/${props.kind}s/bulk`, body)
      props.onDone({ message: describe(counts, things) })
    } catch (error) {
      const field = error instanceof ApiRequestError ? error.field : undefined
      if (field && field in action) setErrors({ [field]: (error as Error).message })
      else if (field?.startsWith('ids.')) {
        // A ticked row that is gone (deleted meanwhile): the API refused the request, changed nothing.
        const row = props.selected.get([...props.selected.keys()][Number(field.slice(4))] ?? '')
        const name = row ? props.rowLabel(row) : 'One of the selected rows'
        props.onDone({
          message: `${name} no longer exists; nothing was changed. Reload the list and try again.`,
          failed: true,
        })
      } else props.onDone({ message: (error as Error).message, failed: true })
    } finally {
      setBusy(false)
    }
  }

  const changeGroup = (verb: 'add-to-group' | 'remove-from-group') =>
    group
      ? run({ action: verb, targetGroupId: group.id }, (c, n) =>
          verb === 'add-to-group'
            ? `${n(c.changed)} added to “${group.name}”${rest(c, (k) => `${k} already in it`)}.`
            : `${n(c.changed)} removed from “${group.name}”${rest(c, (k) => `${k} not in it`)}.`,
        )
      : props.onDone({ message: 'Create a static target group first.', failed: true })

  return (
    <section class="bulk" aria-label="Actions on selected rows" aria-busy={busy}>
      <strong data-selected={props.allMatching ? 'all' : String(count)}>
        {props.allMatching ? `All ${things(total, estimate)} matching` : `${count} selected`}
      </strong>
      {!props.allMatching &&
        total > props.selected.size &&
        (total <= BULK_MAX_MATCHING ? (
          <button type="button" class="button button-quiet" onClick={() => props.onAllMatching(true)}>
            Select all {things(total, estimate)} matching
          </button>
        ) : (
          <span class="muted">
            Actions on every match take at most {BULK_MAX_MATCHING.toLocaleString()}; narrow the filters to
            act on all {things(total, estimate)}.
          </span>
        ))}
      {props.allMatching && (
        <button type="button" class="button button-quiet" onClick={() => props.onAllMatching(false)}>
          Only the ticked rows
        </button>
      )}
      {!props.allMatching && props.selected.size > BULK_MAX_IDS && (
        <span class="field-error" role="alert">
          Tick at most {BULK_MAX_IDS.toLocaleString()} rows, or select all matching.
        </span>
      )}
      <span class="bulk-part">
        <label for={`${props.kind}-bulk-group`}>Target group</label>
        <select
          id={`${props.kind}-bulk-group`}
          value={groupId}
          onChange={(e) => setGroupId(e.currentTarget.value)}
          disabled={statics.length === 0}
          aria-invalid={errors.targetGroupId ? true : undefined}
          aria-describedby={errors.targetGroupId ? `${props.kind}-bulk-group-error` : undefined}
        >
          {statics.length === 0 && <option value="">No static groups yet</option>}
          {statics.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          class="button"
          disabled={busy || statics.length === 0}
          onClick={() => changeGroup('add-to-group')}
        >
          Add to group
        </button>
        <button
          type="button"
          class="button button-quiet"
          disabled={busy || statics.length === 0}
          onClick={() => changeGroup('remove-from-group')}
        >
          Remove from group
        </button>
        {errors.targetGroupId && (
          <span class="field-error" id={`${props.kind}-bulk-group-error`} data-field="bulk-targetGroupId">
            {errors.targetGroupId}
          </span>
        )}
      </span>
      {props.children?.(run, errors)}
      <button
        type="button"
        class="button"
        disabled={busy}
        onClick={async () => {
          setBusy(true)
          try {
            await props.onExport()
          } catch (error) {
            props.onDone({ message: (error as Error).message, failed: true })
          } finally {
            setBusy(false)
          }
        }}
      >
        Export selected
      </button>
      <button
        type="button"
        class="button button-danger"
        disabled={busy}
        onClick={() =>
          run(
            { action: 'delete' },
            (c, n) => `Deleted ${n(c.changed)}. Restore them from Deleted if needed.`,
            `Delete ${things(count, props.allMatching && estimate)}? You can restore them from Deleted.`,
            'Bulk delete',
          )
        }
      >
        Delete selected
      </button>
      <button type="button" class="button button-quiet" onClick={props.onClear}>
        Clear selection
      </button>
    </section>
  )
}
