import type { Context } from 'hono'
import { csvStream } from './csv.ts'

/** A finished table as a formula-safe CSV download. */
export function csvDownload(c: Context, fileName: string, header: string[], rows: unknown[][]) {
  async function* each() {
    yield* rows
  }
  return c.body(csvStream(header, each()), 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
  })
}

/** The columns of a statistics row, for CSV. */
export const COUNT_HEADER = [
  'sent',
  'views',
  'views (raw)',
  'clicks',
  'clicks (raw)',
  'click rate',
  'click rate (raw)',
]

export function countCells(row: {
  sent: number
  views: { human: number; raw: number }
  clicks: { human: number; raw: number }
  clickRate: { human: number | null; raw: number | null }
}) {
  return [
    row.sent,
    row.views.human,
    row.views.raw,
    row.clicks.human,
    row.clicks.raw,
    row.clickRate.human,
    row.clickRate.raw,
  ]
}
