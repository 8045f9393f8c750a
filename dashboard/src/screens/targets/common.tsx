import type { ContactStatus } from '@signet/shared/contacts'
import type { TargetGroup } from '@signet/shared/target-groups'
import type { ApiClient } from '../../api.ts'
import { saveFile, toCsv } from '../../ui/csv.ts'
import type { Page, PageRequest } from '../../ui/sources.ts'
import './targets.css'

export const statusNames: Record<ContactStatus, string> = {
  active: 'Active',
  not_confirmed: 'Not confirmed',
  unsubscribed: 'Unsubscribed',
  hard_bounce: 'Hard bounce',
  spam_report: 'Spam report',
  blacklisted: 'Blacklisted',
}

export const date = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString() : '—')
export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—')

/** The message of a failed request, for a notice. */
export const messageOf = (error: unknown) => (error as Error).message

/** Runs `work` for every item, a few at a time, and counts what failed (the first failure's message). */
export async function forEach<T>(items: T[], work: (item: T) => Promise<unknown>) {
  let failed = 0
  let firstError: string | undefined
  const queue = [...items]
  const worker = async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      try {
        await work(item)
      } catch (error) {
        failed++
        firstError ??= messageOf(error)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(4, items.length) }, worker))
  return { done: items.length - failed, failed, firstError }
}

// The list export endpoints are not on main yet: the dashboard pages through the list itself.
const EXPORT_LIMIT = 50_000

/** Every row of a list (its search, sort and filters), page by page, as a CSV download. */
export async function exportList<T>(options: {
  api: ApiClient
  path: string
  params: Record<string, string>
  request: Omit<PageRequest, 'cursor' | 'limit'>
  header: string[]
  row: (item: T) => unknown[]
  fileName: string
}) {
  const { api, request } = options
  const rows: unknown[][] = []
  let cursor: string | null = null
  do {
    const query = new URLSearchParams({
      ...options.params,
      sort: request.sort,
      order: request.order,
      limit: '200',
    })
    if (request.q.trim()) query.set('q', request.q.trim())
    if (cursor) query.set('cursor', cursor)
    const page: Page<T> = await api.get<Page<T>>(`${options.path}?${query}`)
    rows.push(...page.items.map(options.row))
    cursor = page.nextCursor
  } while (cursor && rows.length < EXPORT_LIMIT)
  downloadCsv(options.fileName, options.header, rows)
}

export function downloadCsv(fileName: string, header: string[], rows: unknown[][]) {
  saveFile(fileName, new Blob([toCsv(header, rows)], { type: 'text/csv;charset=utf-8' }))
}

/** Saves a file the API answers (it needs the bearer token, so a plain link would not do). */
export async function downloadFromApi(api: ApiClient, path: string, fileName: string) {
  const res = await api.raw('GET', path)
  saveFile(fileName, await res.blob())
}

export const loadGroups = (api: ApiClient, kind?: 'account' | 'contact') =>
  api
    .get<TargetGroup[]>('/api/target-groups')
    .then((groups) => (kind ? groups.filter((g) => g.kind === kind) : groups))

/** "3 contacts", "1 contact"; "about 3,000 contacts" when the API could only estimate. */
export const plural = (n: number, word: string, estimate = false) =>
  `${estimate ? 'about ' : ''}${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`

/** A segment's live count, which the API may answer as an estimate when counting takes too long. */
export const countOf = (s: { count: number; countIsEstimate?: boolean }) =>
  `${s.countIsEstimate ? 'about ' : ''}${s.count.toLocaleString()}`
export const isEstimate = (s: { count: number; countIsEstimate?: boolean }) => s.countIsEstimate === true
