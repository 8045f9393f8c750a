export type Delimiter = ',' | ';' | '\t' | '|'
export const delimiters: Delimiter[] = [',', ';', '\t', '|']

/** Splits a sample into records, honouring quotes, for detection only (not the real parse). */
function sampleRecords(sample: string, max = 50): string[] {
  const records: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < sample.length && records.length < max; i++) {
    const ch = sample[i]!
    if (ch === '"') quoted = !quoted
    if (!quoted && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && sample[i + 1] === '\n') i++
      if (current.trim()) records.push(current)
      current = ''
      continue
    }
    current += ch
  }
  return records
}

function countOutsideQuotes(record: string, delimiter: string): number {
  let n = 0
  let quoted = false
  for (const ch of record) {
    if (ch === '"') quoted = !quoted
    else if (!quoted && ch === delimiter) n++
  }
  return n
}

/**
 * The delimiter that splits the sample's records into the same number of fields most
 * consistently; ties go to the more fields. A single-column file falls back to a comma.
 */
export function detectDelimiter(sample: string): Delimiter {
  const records = sampleRecords(sample)
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: 0 }
  for (const delimiter of delimiters) {
    const counts = records.map((r) => countOutsideQuotes(r, delimiter))
    const frequency = new Map<number, number>()
    for (const c of counts) if (c > 0) frequency.set(c, (frequency.get(c) ?? 0) + 1)
    const [fields, times] = [...frequency.entries()].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] ?? [0, 0]
    const score = records.length ? (times / records.length) * 1000 + fields : 0
    if (score > best.score) best = { delimiter, score }
  }
  return best.delimiter
}

export function detectNewline(sample: string): '\r\n' | '\n' | '\r' {
  const crlf = sample.indexOf('\r\n')
  const lf = sample.indexOf('\n')
  const cr = sample.indexOf('\r')
  if (crlf >= 0 && crlf <= lf) return '\r\n'
  if (lf >= 0) return '\n'
  return cr >= 0 ? '\r' : '\n'
}

const looksLikeData = /@|^\d[\d\s.,/+-]*$|^https?:\/\/|^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i
// The custom-field columns of an export (`custom.shoe`) look like domains but name a column.
const customColumn = /^custom\.[^.]+$/

/**
 * Whether the first row names the columns: none of its cells look like values (emails, numbers,
 * domains, URLs) while some cells of the next rows do, or it simply has no such value at all.
 */
export function hasHeaderRow(rows: string[][]): boolean {
  const [first, ...rest] = rows
  if (!first) return false
  const firstData = first.filter((c) => looksLikeData.test(c.trim()) && !customColumn.test(c.trim())).length
  if (firstData > 0) return false
  if (first.some((c) => !c.trim())) return rest.length === 0
  return true
}
