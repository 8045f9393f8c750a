import { Readable } from 'node:stream'
import { expect } from 'vitest'
import { parseCsv } from '../src/imports/csv/parse.ts'
import type { TestContext, TestWorkspace } from './helpers.ts'

/**
 * The export tests' steps, as a marketer: create records through the API, and download an export
 * read back with the import's own parser. `context` is read at call time, so the helpers can be
 * made before `beforeAll` sets the app up.
 */
export function exportSteps(context: () => TestContext) {
  /** The export's rows as objects keyed by header, after checking its headers and byte-order mark. */
  async function download(path: string, w: TestWorkspace = context().a) {
    const res = await context().app.request(path, {
      headers: { authorization: `Bearer ${w.marketer.token}` },
    })
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(res.status, new TextDecoder().decode(bytes)).toBe(200)
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="[\w.-]+\.csv"$/)
    // A UTF-8 byte-order mark, so spreadsheets read umlauts right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const records: string[][] = []
    const dialect = { encoding: 'utf-8-bom', delimiter: ',', newline: '\r\n', header: true } as const
    for await (const record of parseCsv(Readable.from([bytes]), dialect)) records.push(record.cells)
    const [header, ...rows] = records
    return {
      bytes,
      header: header!,
      rows: rows.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i]!]))),
    }
  }

  async function create(w: TestWorkspace, path: string, json: Record<string, unknown>) {
    const res = await context().request('POST', path, { token: w.marketer.token, json })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }

  return { download, create }
}
