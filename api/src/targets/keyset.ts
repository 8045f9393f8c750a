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
    values.some((v) => typeof v !== 'string' && v !== null)
  ) {
    throw new ApiError(
      'validation_failed',
      'This page cursor is not valid; start from the first page.',
      'cursor',
    )
  }
  return values
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
