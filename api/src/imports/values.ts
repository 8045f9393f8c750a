import type { ContactStatus } from '@signet/shared'

/** `a, b; c` → `['a', 'b', 'c']`: how spreadsheets hold several labels in one cell. */
export function splitList(cell: string): string[] {
  return cell
    .split(/[,;|]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

const YES = new Set([
  'yes',
  'y',
  'ja',
  'j',
  'true',
  'wahr',
  '1',
  'x',
  'given',
  'erteilt',
  'opted in',
  'opt-in',
])
const NO = new Set([
  'no',
  'n',
  'nein',
  'false',
  'falsch',
  '0',
  'withdrawn',
  'widerrufen',
  'opted out',
  'opt-out',
])

/**
 * A consent cell as spreadsheets and CRMs write it: yes/no in English or German, or the day it was
 * given (`2026-03-01`, `01.03.2026`, an ISO timestamp). A day is taken at noon UTC, so it stays
 * that day in every European time zone. Anything else comes back as written: the row is invalid.
 */
export function consentCell(cell: string): { given: boolean; at?: string } | string {
  const value = cell.trim().toLowerCase()
  if (YES.has(value)) return { given: true }
  if (NO.has(value)) return { given: false }
  const german = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value)
  const day = german
    ? `${german[3]}-${german[2]!.padStart(2, '0')}-${german[1]!.padStart(2, '0')}`
    : /^\d{4}-\d{2}-\d{2}$/.test(value)
      ? value
      : undefined
  if (day) {
    const at = `${day}T12:00:00Z`
    return Number.isNaN(Date.parse(at)) || new Date(at).toISOString().slice(0, 10) !== day
      ? cell
      : { given: true, at }
  }
  if (!Number.isNaN(Date.parse(cell)) && /^\d{4}-\d{2}-\d{2}T/.test(cell.trim()))
    return { given: true, at: cell.trim() }
  return cell
}

const STATUSES: Record<string, ContactStatus> = {
  active: 'active',
  aktiv: 'active',
  subscribed: 'active',
  angemeldet: 'active',
  notconfirmed: 'not_confirmed',
  unconfirmed: 'not_confirmed',
  unbestätigt: 'not_confirmed',
  nichtbestätigt: 'not_confirmed',
  unsubscribed: 'unsubscribed',
  abgemeldet: 'unsubscribed',
  ausgetragen: 'unsubscribed',
  hardbounce: 'hard_bounce',
  bounced: 'hard_bounce',
  unzustellbar: 'hard_bounce',
  spamreport: 'spam_report',
  spam: 'spam_report',
  alsspamgemeldet: 'spam_report',
  blacklisted: 'blacklisted',
  blacklist: 'blacklisted',
  gesperrt: 'blacklisted',
}

/**
 * A status cell in English or German, as our export writes it (`hard_bounce`) or as people do
 * (`Hard bounce`, `abgemeldet`); null when it names no status.
 */
export function statusCell(cell: string): ContactStatus | null {
  return STATUSES[cell.toLowerCase().replace(/[\s_-]+/g, '')] ?? null
}
