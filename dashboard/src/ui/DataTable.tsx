import type { ComponentChildren } from 'preact'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { PageRequest, Source } from './sources.ts'
import { ErrorState, Loading } from './states.tsx'

export interface Column<T> {
  label: string
  /** The API's sort key; columns without one are not sortable. */
  sort?: string
  render: (row: T) => ComponentChildren
  class?: string
}

export interface DataTableProps<T> {
  id: string
  label: string
  source: Source<T>
  columns: Column<T>[]
  rowKey: (row: T) => string
  rowProps?: (row: T) => Record<string, string>
  defaultSort: { sort: string; order: 'asc' | 'desc' }
  pageSize?: number
  searchPlaceholder?: string
  /** What to show when there is nothing: `q` is the search, empty when none. */
  empty: (q: string) => ComponentChildren
  /** Exports what the list shows now (search and sort), e.g. by calling an export endpoint. */
  onExport?: (request: Omit<PageRequest, 'cursor' | 'limit'>) => Promise<void>
  /** Change it to reload the rows shown, after the screen changed one of them. */
  reloadKey?: unknown
  /** Change it when the screen's own filters change: the list starts again from the first page. */
  filterKey?: string
  /** Rows can be ticked; the screen keeps the selection (by row key) for its bulk actions. */
  selection?: Selection<T>
  /** Told the search and the total after each load, for actions on every match of the list. */
  onLoaded?: (state: ListState) => void
}

export interface ListState {
  q: string
  total: number
  totalIsEstimate: boolean
  shown: number
}

export interface Selection<T> {
  selected: Map<string, T>
  onChange: (selected: Map<string, T>) => void
  /** How a row is named to screen readers: "Select acme.com". */
  rowLabel: (row: T) => string
}

const SEARCH_DELAY_MS = 250

/**
 * The list every screen uses: search box, sort headers, live total, keyset "Load more" and CSV
 * export. It never counts pages or offsets: the API hands out `nextCursor`.
 */
export function DataTable<T>(props: DataTableProps<T>) {
  const pageSize = props.pageSize ?? 50
  const [input, setInput] = useState('')
  const [q, setQ] = useState('')
  const [sort, setSort] = useState(props.defaultSort)
  const [rows, setRows] = useState<T[]>()
  const [total, setTotal] = useState({ n: 0, estimate: false })
  const [cursor, setCursor] = useState<string | null>(null)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState<'first' | 'more' | 'export' | null>('first')
  const generation = useRef(0)
  const shown = useRef(0)

  useEffect(() => {
    const timer = setTimeout(() => setQ(input), SEARCH_DELAY_MS)
    return () => clearTimeout(timer)
  }, [input])

  const load = async (more: boolean) => {
    const mine = more ? generation.current : ++generation.current
    setBusy(more ? 'more' : 'first')
    setError(undefined)
    try {
      // A reload after a change keeps as many rows as were shown, up to the API's page limit.
      const limit = more ? pageSize : Math.min(200, Math.max(pageSize, shown.current))
      const page = await props.source({ q, ...sort, cursor: more ? cursor : null, limit })
      if (mine !== generation.current) return
      const next = more ? [...(rows ?? []), ...page.items] : page.items
      shown.current = next.length
      setRows(next)
      setTotal({ n: page.total, estimate: page.totalIsEstimate === true })
      setCursor(page.nextCursor)
      props.onLoaded?.({
        q: q.trim(),
        total: page.total,
        totalIsEstimate: page.totalIsEstimate === true,
        shown: next.length,
      })
    } catch (e) {
      if (mine === generation.current) setError((e as Error).message)
    } finally {
      if (mine === generation.current) setBusy(null)
    }
  }

  // A new search or sort starts again from the first page; a reload keeps what was shown.
  useEffect(() => {
    shown.current = 0
  }, [q, sort, props.filterKey])
  useEffect(() => {
    void load(false)
  }, [q, sort, props.reloadKey, props.filterKey])

  const selection = props.selection
  const allTicked =
    !!rows?.length && !!selection && rows.every((r) => selection.selected.has(props.rowKey(r)))
  const tick = (row: T, on: boolean) => {
    if (!selection) return
    const next = new Map(selection.selected)
    if (on) next.set(props.rowKey(row), row)
    else next.delete(props.rowKey(row))
    selection.onChange(next)
  }
  const tickAll = (on: boolean) => {
    if (!selection || !rows) return
    const next = new Map(selection.selected)
    for (const row of rows) {
      if (on) next.set(props.rowKey(row), row)
      else next.delete(props.rowKey(row))
    }
    selection.onChange(next)
  }

  const toggleSort = (key: string) =>
    setSort((s) => ({ sort: key, order: s.sort === key && s.order === 'asc' ? 'desc' : 'asc' }))

  return (
    <div class="data-table">
      <div class="toolbar">
        <label for={`${props.id}-search`}>Search</label>
        <input
          id={`${props.id}-search`}
          type="search"
          placeholder={props.searchPlaceholder}
          value={input}
          onInput={(e) => setInput(e.currentTarget.value)}
        />
        <span class="muted count" aria-live="polite">
          {rows ? `${rows.length} of ${total.estimate ? 'about ' : ''}${total.n}` : ''}
        </span>
        {props.onExport && (
          <button
            type="button"
            class="button"
            disabled={busy === 'export'}
            onClick={async () => {
              setBusy('export')
              try {
                await props.onExport?.({ q, ...sort })
              } catch (e) {
                setError((e as Error).message)
              } finally {
                setBusy(null)
              }
            }}
          >
            Export CSV
          </button>
        )}
      </div>
      {error && <ErrorState message={error} onRetry={() => load(false)} />}
      {!rows ? (
        !error && <Loading />
      ) : rows.length === 0 ? (
        props.empty(q)
      ) : (
        <table class="table" aria-busy={busy === 'first'}>
          <caption class="visually-hidden">{props.label}</caption>
          <thead>
            <tr>
              {selection && (
                <th scope="col" class="tick">
                  <input
                    type="checkbox"
                    aria-label="Select all shown"
                    checked={allTicked}
                    onChange={(e) => tickAll(e.currentTarget.checked)}
                  />
                </th>
              )}
              {props.columns.map((c) => {
                const active = c.sort && sort.sort === c.sort
                return (
                  <th
                    key={c.label}
                    scope="col"
                    class={c.class}
                    aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
                  >
                    {c.sort ? (
                      <button type="button" onClick={() => toggleSort(c.sort!)}>
                        {c.label}{' '}
                        <span aria-hidden="true">{active ? (sort.order === 'asc' ? '▲' : '▼') : '↕'}</span>
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={props.rowKey(row)} {...props.rowProps?.(row)}>
                {selection && (
                  <td class="tick">
                    <input
                      type="checkbox"
                      aria-label={`Select ${selection.rowLabel(row)}`}
                      checked={selection.selected.has(props.rowKey(row))}
                      onChange={(e) => tick(row, e.currentTarget.checked)}
                    />
                  </td>
                )}
                {props.columns.map((c) => (
                  <td key={c.label} class={c.class}>
                    {c.render(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && rows && (
        <p class="more">
          <button type="button" class="button" disabled={busy === 'more'} onClick={() => load(true)}>
            {busy === 'more' ? 'Loading…' : 'Load more'}
          </button>
        </p>
      )}
    </div>
  )
}
