import type { ApiClient } from '../api.ts'

/** One page of a list, the shape every list endpoint answers (`pageSchema` in shared/src/lists.ts). */
export interface Page<T> {
  items: T[]
  total: number
  /** The API ran out of time counting and answered the planner's estimate instead. */
  totalIsEstimate?: boolean
  nextCursor: string | null
}

export interface PageRequest {
  q: string
  sort: string
  order: 'asc' | 'desc'
  cursor: string | null
  limit: number
}

export type Source<T> = (request: PageRequest) => Promise<Page<T>>

/**
 * A list endpoint with keyset paging: `GET path?q&sort&order&limit&cursor` answering a `Page`.
 * `params` adds the screen's own filters (status, label, segment…).
 */
export function endpointSource<T>(
  api: ApiClient,
  path: string,
  params: Record<string, string> = {},
): Source<T> {
  return (r) => {
    const query = new URLSearchParams({ ...params, sort: r.sort, order: r.order, limit: String(r.limit) })
    if (r.q.trim()) query.set('q', r.q.trim())
    if (r.cursor) query.set('cursor', r.cursor)
    return api.get<Page<T>>(`${path}?${query}`)
  }
}

/**
 * A small list the API answers whole (users): searched by `load(q)`, sorted and paged here, so
 * it looks and behaves like the big lists.
 */
export function arraySource<T>(
  load: (q: string) => Promise<T[]>,
  sortValue: (row: T, sort: string) => string | number,
): Source<T> {
  return async (r) => {
    const rows = [...(await load(r.q.trim()))]
    const sign = r.order === 'asc' ? 1 : -1
    rows.sort((a, b) => {
      const x = sortValue(a, r.sort)
      const y = sortValue(b, r.sort)
      return (x < y ? -1 : x > y ? 1 : 0) * sign
    })
    const start = r.cursor ? Number(r.cursor) : 0
    const end = start + r.limit
    return {
      items: rows.slice(start, end),
      total: rows.length,
      nextCursor: end < rows.length ? String(end) : null,
    }
  }
}
