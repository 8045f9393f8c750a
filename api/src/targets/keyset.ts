import { type RawBuilder, sql } from 'kysely'
import { ApiError } from '../http/errors.ts'

/** One column of a sort order, with the SQL type its cursor value is cast back to. */
export interface SortColumn {
  column: string
  type: 'timestamptz' | 'text' | 'uuid'
}

/**
 * Keyset pagination: the page after a cursor is `(sort columns) < (cursor values)` (or `>`),
 * one index range scan however deep the page. The cursor is the JSON of the last row's sort
 * values, produced by Postgres itself so timestamps keep their microseconds.
 */
export function cursorValuesSql(table: string, columns: readonly SortColumn[]): RawBuilder<unknown> {
  return sql`json_build_array(${sql.join(columns.map((c) => sql.ref(`${table}.${c.column}`)))})`
}

export function encodeCursor(values: unknown): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url')
}

export function decodeCursor(cursor: string, columns: readonly SortColumn[]): unknown[] {
  let values: unknown
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    values = undefined
  }
  if (
    !Array.isArray(values) ||
    values.length !== columns.length ||
    !columns.every((c, i) => fitsColumn(values[i], c.type))
  ) {
    throw new ApiError(
      'validation_failed',
      'This page cursor is not valid; start from the first page.',
      'cursor',
    )
  }
  return values
}

/** Whether a cursor value casts to its column's type: PostgreSQL would fail the query otherwise. */
function fitsColumn(value: unknown, type: SortColumn['type']): boolean {
  if (typeof value !== 'string') return false
  if (type === 'uuid') return UUID.test(value)
  if (type === 'timestamptz') return isInstant(value)
  return !value.includes('\0')
}

const INSTANT = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.\d{1,6})?(?:Z|([+-])(\d\d)(?::?(\d\d))?)$/

/**
 * Whether `text` is an ISO 8601 instant as PostgreSQL and `toISOString()` write them
 * (`2026-03-10T10:05:00.123456+00:00`, `2026-03-10T10:05:00.123Z`) on a real day and time of the
 * years 1 to 9999, so `::timestamptz` cannot fail on it.
 */
export function isInstant(text: string): boolean {
  const m = INSTANT.exec(text)
  if (!m) return false
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[]
  const at = new Date(0)
  at.setUTCFullYear(year!, month! - 1, day!)
  at.setUTCHours(hour!, minute!, second!)
  const roundTrip =
    at.getUTCFullYear() === year &&
    at.getUTCMonth() === month! - 1 &&
    at.getUTCDate() === day &&
    at.getUTCHours() === hour &&
    at.getUTCMinutes() === minute &&
    at.getUTCSeconds() === second
  // PostgreSQL takes offsets up to 15:59 and has no year 0.
  return roundTrip && year! >= 1 && Number(m[8] ?? 0) <= 15 && Number(m[9] ?? 0) <= 59
}

/** Whether `digits` (already only digits) fits a PostgreSQL bigint. */
export function isBigint(digits: string): boolean {
  return digits.length <= 19 && BigInt(digits) <= 9_223_372_036_854_775_807n
}

export function afterCursorSql(
  table: string,
  columns: readonly SortColumn[],
  values: unknown[],
  order: 'asc' | 'desc',
): RawBuilder<boolean> {
  const refs = sql.join(columns.map((c) => sql.ref(`${table}.${c.column}`)))
  // The type names come from the allow-list above, never from the request.
  const params = sql.join(columns.map((c, i) => sql`cast(${values[i]} as ${sql.raw(c.type)})`))
  return order === 'desc' ? sql<boolean>`(${refs}) < (${params})` : sql<boolean>`(${refs}) > (${params})`
}

/** `%q%` for ILIKE with the wildcard characters of the input escaped. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, '\\$&')}%`
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
