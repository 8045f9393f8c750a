/**
 * CSV for spreadsheets. Cells that a spreadsheet would run as a formula (starting with `=`, `+`,
 * `-`, `@`, tab or carriage return) get a leading apostrophe, so an exported contact named
 * `=HYPERLINK(…)` stays text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
}

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = neutraliseFormula(
    value instanceof Date ? value.toISOString() : Array.isArray(value) ? value.join(', ') : String(value),
  )
  return /[",\r\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function csvRow(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`
}

/**
 * A streamed CSV response body: a UTF-8 BOM (so Excel reads umlauts), the header, then rows as
 * the source yields them — memory stays flat whatever the number of rows.
 */
export function csvStream(header: string[], rows: AsyncIterable<unknown[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  const iterator = rows[Symbol.asyncIterator]()
  let started = false
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true
        controller.enqueue(encoder.encode(`\uFEFF${csvRow(header)}`))
        return
      }
      let chunk = ''
      while (chunk.length < 64 * 1024) {
        const next = await iterator.next()
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk))
          controller.close()
          return
        }
        chunk += csvRow(next.value)
      }
      controller.enqueue(encoder.encode(chunk))
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}
