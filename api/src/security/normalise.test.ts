import { Readable } from 'node:stream'
import { accountDomain, canonicalEmail, parseEmail } from '@signet/shared'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvSpectrum, emailCases, naughtyStrings } from '../../test/corpora.ts'
import { csvRow } from '../exports/csv.ts'
import { detectDialect, parseCsv } from '../imports/csv/parse.ts'

/** Properties of the normalisers and the CSV reader/writer, and the corpora they must survive. */

// Registrable host names under real public suffixes, so the domain rules can accept them.
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/)
const host = fc.tuple(label, fc.constantFrom('com', 'de', 'co.uk', 'io', 'org')).map(([l, s]) => `${l}.${s}`)
const local = fc.stringMatching(/^[a-z0-9](?:[a-z0-9._+-]{0,20}[a-z0-9])?$/).filter((l) => !l.includes('..'))
const email = fc.tuple(local, host).map(([l, h]) => `${l}@${h}`)
const anyText = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom(...naughtyStrings))

describe('email normalisation', () => {
  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(anyText, (input) => {
        parseEmail(input)
        canonicalEmail(input)
      }),
    )
  })

  it('is idempotent, ignores case, mailto: and a display name', () => {
    fc.assert(
      fc.property(email, fc.string({ maxLength: 20 }), (address, name) => {
        const parsed = parseEmail(address)
        expect(parsed?.email).toBe(address)
        expect(parseEmail(parsed!.email)).toEqual(parsed)
        expect(parseEmail(address.toUpperCase())?.email).toBe(address)
        expect(parseEmail(`mailto:${address}`)?.email).toBe(address)
        const safeName = name.replace(/[<>"]/g, '').trim()
        expect(parseEmail(`"${safeName}" <${address}>`)?.email).toBe(address)
        const canonical = canonicalEmail(address)
        expect(canonicalEmail(canonical)).toBe(canonical)
      }),
    )
  })

  // Whitespace and line breaks around an address are what pasting adds: read, not refused.
  const pasted = (address: string) => address.trim() !== address
  it.each(emailCases().filter((c) => c.category === 'ISEMAIL_ERR'))(
    'refuses the invalid RFC case $id: $address',
    ({ address }) => {
      const parsed = parseEmail(address)
      if (parsed && pasted(address)) expect(parsed.email).toBe(address.trim())
      else expect(parsed).toBeUndefined()
    },
  )
})

describe('domain normalisation', () => {
  it('never throws, whatever the input', () => {
    fc.assert(fc.property(anyText, (input) => void accountDomain(input)))
  })

  it('stores one form of a domain however it was typed, and that form again as itself', () => {
    fc.assert(
      fc.property(host, fc.constantFrom('', 'https://', 'http://www.', 'HTTPS://WWW.'), (domain, prefix) => {
        const typed = accountDomain(`${prefix}${domain.toUpperCase()}/path?q=1`)
        const plain = accountDomain(domain)
        expect(typed).toEqual(plain)
        if (plain.ok) expect(accountDomain(plain.domain)).toEqual(plain)
      }),
    )
  })
})

async function readBack(bytes: Uint8Array) {
  const dialect = detectDialect(bytes)
  const records: string[][] = []
  for await (const record of parseCsv(Readable.from([bytes]), dialect)) records.push(record.cells)
  return { dialect, records }
}

describe('CSV', () => {
  // Cells a spreadsheet would run as formulas are written with a leading apostrophe on purpose.
  const cell = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !/^[=+\-@\t\r]/.test(s))
  const HEADER = ['email', 'first name', 'last name', 'company']

  it('reads back exactly what the export writer wrote (any text, quotes, delimiters, line breaks)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(cell, cell, cell, cell), { minLength: 1, maxLength: 20 }),
        async (rows) => {
          const text = `\uFEFF${csvRow(HEADER)}${rows.map((r) => csvRow(r)).join('')}`
          const { dialect, records } = await readBack(new TextEncoder().encode(text))
          expect(dialect.delimiter).toBe(',')
          expect(records).toEqual([HEADER, ...rows])
        },
      ),
      { numRuns: 200 },
    )
  })

  it.each(csvSpectrum().map((c) => [c.name, c] as const))(
    'reads csv-spectrum’s %s',
    async (_name, spectrum) => {
      const { records } = await readBack(new Uint8Array(spectrum.csv))
      const [header = [], ...rows] = records
      expect(rows.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i]])))).toEqual(
        spectrum.records,
      )
    },
  )
})
