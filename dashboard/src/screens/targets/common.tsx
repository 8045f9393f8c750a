import { type ContactStatus, contactStatuses, type StatusCounts } from '@signet/shared/contacts'
import type { TargetGroup } from '@signet/shared/target-groups'
import type { ApiClient } from '../../api.ts'
import { useSession } from '../../session.tsx'
import { saveFile, toCsv } from '../../ui/csv.ts'
import type { PageRequest } from '../../ui/sources.ts'
import { useLoad } from '../../ui/useLoad.ts'
import './targets.css'

export const statusNames: Record<ContactStatus, string> = {
  active: 'Active',
  not_confirmed: 'Not confirmed',
  unsubscribed: 'Unsubscribed',
  hard_bounce: 'Hard bounce',
  spam_report: 'Spam report',
  blacklisted: 'Blacklisted',
}

/**
 * The contact-status filter of a list: "Any status" (empty) or one status, each with how many
 * contacts have it (`/api/contacts/status-counts`, the live or the deleted ones).
 */
export function StatusFilter(props: {
  id: string
  value: string
  onChange: (status: string) => void
  deleted?: boolean
  /** Changes when the list's contacts may have changed, to count again. */
  version?: number
}) {
  const { api } = useSession()
  const counts = useLoad(
    () => api.get<StatusCounts>(`/api/contacts/status-counts?deleted=${props.deleted === true}`),
    [api, props.deleted, props.version],
  )
  const countOfStatus = (s: ContactStatus) => {
    const c = counts.data?.find((r) => r.status === s)
    return c ? ` (${c.count.toLocaleString()})` : ''
  }
  return (
    <div class="field">
      <label for={props.id}>Status</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
        <option value="">Any status</option>
        {contactStatuses.map((s) => (
          <option key={s} value={s}>
            {statusNames[s]}
            {countOfStatus(s)}
          </option>
        ))}
      </select>
    </div>
  )
}

export const date = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString() : '—')
export const dateTime = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—')

/** The message of a failed request, for a notice. */
export const messageOf = (error: unknown) => (error as Error).message

/**
 * Saves the API's streamed CSV export of a list: `path` is the list's export endpoint, `params`
 * its filters, `request` the search and sort the table shows — so the file is what the list shows,
 * every row of it, written by the API (formula-safe, custom fields as columns).
 */
export function exportCsv(
  api: ApiClient,
  path: string,
  params: Record<string, string>,
  request: Omit<PageRequest, 'cursor' | 'limit'> | undefined,
  fileName: string,
) {
  const query = new URLSearchParams(params)
  if (request) {
    query.set('sort', request.sort)
    query.set('order', request.order)
    if (request.q.trim()) query.set('q', request.q.trim())
  }
  const search = query.toString()
  return downloadFromApi(api, search ? `${path}?${search}` : path, fileName)
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
