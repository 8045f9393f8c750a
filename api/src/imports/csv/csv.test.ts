import { describe, expect, it } from 'vitest'
import { csvCell, csvRow, csvStream, neutraliseFormula } from '../../exports/csv.ts'
import { detectDelimiter, hasHeaderRow } from './dialect.ts'
import { detectEncoding } from './encoding.ts'
import { suggestMapping } from './mapping.ts'
import { type CsvDialect, detectDialect, parseCsv } from './parse.ts'

const win1252 = (text: string) =>
  Uint8Array.from(
    [...text].map(
      (ch) => ({ ä: 0xe4, ö: 0xf6, ü: 0xfc, ß: 0xdf, Ä: 0xc4, '€': 0x80 })[ch] ?? ch.charCodeAt(0),
    ),
  )
const utf8 = (text: string) => new TextEncoder().encode(text)

async function* chunks(bytes: Uint8Array, size: number) {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

async function records(bytes: Uint8Array, chunkSize = 7, dialect?: CsvDialect) {
  const out = []
  for await (const r of parseCsv(chunks(bytes, chunkSize), dialect ?? detectDialect(bytes))) out.push(r)
  return out
}

describe('encoding detection', () => {
  it.each([
    ['UTF-8 with BOM', Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('Müller')]), 'utf-8-bom'],
    ['UTF-8', utf8('E-Mail;Nachname\nmax@x.de;Müller'), 'utf-8'],
    ['Windows-1252 umlauts', win1252('E-Mail;Nachname\nmax@x.de;Müller'), 'windows-1252'],
    ['plain ASCII', utf8('a,b\n1,2'), 'utf-8'],
    ['UTF-8 cut inside a character', utf8('Grüße').subarray(0, 4), 'utf-8'],
  ])('%s → %s', (_name, bytes, expected) => {
    expect(detectEncoding(bytes)).toBe(expected)
  })
})

describe('delimiter detection', () => {
  it.each([
    ['a,b,c\n1,2,3\n4,5,6', ','],
    ['a;b;c\n1;2;3\n4;5;6', ';'],
    ['a\tb\n1\t2', '\t'],
    ['a|b|c\n1|2|3', '|'],
    ['name;note\n"Acme, Inc.";"a, b, c"\n"Beta, AG";x', ';'],
    ['email\nmax@x.de\nanna@y.de', ','],
    ['Firma;Umsatz\nAcme;1,5\nBeta;2,75', ';'],
  ])('%j → %j', (sample, expected) => {
    expect(detectDelimiter(sample)).toBe(expected)
  })
})

describe('header detection', () => {
  it.each([
    [
      [
        ['E-Mail', 'Vorname'],
        ['max@x.de', 'Max'],
      ],
      true,
    ],
    [
      [
        ['max@x.de', 'Max'],
        ['anna@y.de', 'Anna'],
      ],
      false,
    ],
    [
      [
        ['acme.com', 'Acme'],
        ['beta.de', 'Beta'],
      ],
      false,
    ],
    [[['Domain'], ['https://www.acme.com']], true],
  ])('%j → %s', (rows, expected) => {
    expect(hasHeaderRow(rows)).toBe(expected)
  })
})

describe('parsing a CSV stream', () => {
  it('reads semicolons and Windows-1252 umlauts', async () => {
    const bytes = win1252('E-Mail;Vorname;Nachname\r\nmax@müller.de;Jürgen;Größe\r\n')
    const dialect = detectDialect(bytes)
    expect(dialect).toEqual({ encoding: 'windows-1252', delimiter: ';', newline: '\r\n', header: true })
    expect(await records(bytes, 3)).toEqual([
      { line: 1, cells: ['E-Mail', 'Vorname', 'Nachname'] },
      { line: 2, cells: ['max@müller.de', 'Jürgen', 'Größe'] },
    ])
  })

  it('drops a BOM and keeps multi-byte characters split across chunks', async () => {
    const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('Firma,Domain\nBücher GmbH,bücher.de\n')])
    expect(await records(bytes, 1)).toEqual([
      { line: 1, cells: ['Firma', 'Domain'] },
      { line: 2, cells: ['Bücher GmbH', 'bücher.de'] },
    ])
  })

  it('keeps quoted fields with embedded newlines, delimiters and quotes as one record', async () => {
    const bytes = utf8(
      'name,notes,email\n"Acme, Inc.","line one\nline ""two""",a@acme.com\nBeta,,b@beta.de\n',
    )
    expect(await records(bytes)).toEqual([
      { line: 1, cells: ['name', 'notes', 'email'] },
      { line: 2, cells: ['Acme, Inc.', 'line one\nline "two"', 'a@acme.com'] },
      { line: 3, cells: ['Beta', '', 'b@beta.de'] },
    ])
  })

  it('skips empty lines but counts them, so line numbers match the file', async () => {
    const bytes = utf8('email\n\nmax@x.de\n\n\nanna@y.de\n')
    expect(await records(bytes)).toEqual([
      { line: 1, cells: ['email'] },
      { line: 3, cells: ['max@x.de'] },
      { line: 6, cells: ['anna@y.de'] },
    ])
  })
})

describe('column mapping suggestions', () => {
  it('maps English and German contact headers', () => {
    expect(
      suggestMapping('contacts', [
        'E-Mail-Adresse',
        'Vorname',
        'Nachname',
        'Telefon',
        'Firma',
        'Position',
        'Lieblingsfarbe',
      ]),
    ).toEqual(['email', 'firstName', 'lastName', 'phone', 'company', 'jobTitle', null])
    expect(suggestMapping('contacts', ['Email Address', 'First Name', 'Last Name', 'Job Title'])).toEqual([
      'email',
      'firstName',
      'lastName',
      'jobTitle',
    ])
  })

  it('maps consent headers, our own export’s included, so an exported file imports again', () => {
    expect(suggestMapping('contacts', ['email', 'consentGivenAt', 'consentMethod'])).toEqual([
      'email',
      'consent',
      'consentMethod',
    ])
    expect(suggestMapping('contacts', ['E-Mail', 'Einwilligung', 'Rechtsgrundlage'])).toEqual([
      'email',
      'consent',
      'consentMethod',
    ])
  })

  it('maps account headers and gives each field to one column only', () => {
    expect(suggestMapping('accounts', ['Website', 'Firma', 'Branche', 'URL', 'Mitarbeiter', 'Web'])).toEqual([
      'domain',
      'name',
      'industry',
      'website',
      'size',
      null,
    ])
  })

  it.each([
    [
      ['Webseite', 'Domain'],
      ['website', 'domain'],
    ],
    [
      ['Domäne', 'Homepage'],
      ['domain', 'website'],
    ],
    [
      ['Firmenname', 'Internetadresse'],
      ['name', 'domain'],
    ],
    [['URL'], ['domain']],
  ])(
    'maps a website column to the website beside a domain column, else to the domain: %j',
    (headers, expected) => {
      expect(suggestMapping('accounts', headers)).toEqual(expected)
    },
  )
})

describe('CSV export', () => {
  it.each([
    ['=HYPERLINK("http://evil")', `"'=HYPERLINK(""http://evil"")"`],
    ['+49 30 1234', "'+49 30 1234"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
  ])('writes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected)
  })

  it('neutralises only leading formula characters', () => {
    expect(neutraliseFormula('a=b')).toBe('a=b')
  })

  it('round-trips through the importer', async () => {
    const rows = [
      ['email', 'notes'],
      ['max@x.de', 'line one\nline "two", with comma'],
      ['anna@y.de', 'Grüße'],
    ]
    const stream = csvStream(
      rows[0]!,
      (async function* () {
        yield* rows.slice(1)
      })(),
    )
    const bytes = new Uint8Array(await new Response(stream).arrayBuffer())
    const parsed = await records(bytes, 5)
    expect(parsed.map((r) => r.cells)).toEqual(rows)
    expect(csvRow(['a', null, 3])).toBe('a,,3\r\n')
  })
})
