import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { emailCases, naughtyStrings } from '../../test/corpora.ts'
import { type ChunkChecker, createChunkChecker } from './check-pool.ts'
import { checkChunk } from './rows.ts'

/**
 * Large imports are validated on worker threads. A row must get the same answer there as on the
 * main thread — the same `checkChunk`, the same shared schemas — and chunks must come back in
 * the order they went out.
 */

const contactMapping = ['email', 'firstName', 'lastName', 'phone', 'company', 'labels', 'custom.tier']
const accountMapping = ['domain', 'name', 'website', 'notes']

const corpus = [
  ...naughtyStrings,
  ...emailCases().map((c) => c.address),
  'Max Mustermann <MAX@Firma.DE>',
  'max@bücher.de',
  '+49 30 1234567',
  '030 1234567',
  '+1 (415) 555-0100',
  "'+49301234567",
  'https://www.Acme.co.uk/about',
  'gmail.com',
  'a, b; c | d',
]
const cell = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(...corpus),
  fc.stringMatching(/^[a-z0-9.+]{1,12}@[a-z0-9-]{1,10}\.(de|com|co\.uk)$/),
  fc.stringMatching(/^\+?[0-9 ()/-]{3,16}$/),
)
const record = (width: number) => fc.array(cell, { minLength: width, maxLength: width })

const checkers: ChunkChecker[] = []
afterAll(() => Promise.all(checkers.map((c) => c.close())))

function onWorker(kind: 'contacts' | 'accounts', mapping: string[]) {
  const checker = createChunkChecker(kind, mapping, { workers: 1, inlineChunks: 0, waitForWorkers: true })
  checkers.push(checker)
  return checker
}

describe('validation on a worker thread', () => {
  it('gives every contact row the answer the main thread gives, chunk by chunk in order', async () => {
    const checker = onWorker('contacts', contactMapping)
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(record(contactMapping.length), { maxLength: 30 }), { maxLength: 4 }),
        async (chunks) => {
          let line = 2
          const numbered = chunks.map((rows) => rows.map((cells) => ({ line: line++, cells })))
          const results = await Promise.all(numbered.map((records) => checker.check(records)))
          expect(results).toEqual(numbered.map((records) => checkChunk('contacts', records, contactMapping)))
        },
      ),
      { numRuns: 60 },
    )
    expect(checker.workerChunks).toBeGreaterThan(0)
  })

  it('gives every account row the answer the main thread gives', async () => {
    const checker = onWorker('accounts', accountMapping)
    await fc.assert(
      fc.asyncProperty(fc.array(record(accountMapping.length), { maxLength: 40 }), async (rows) => {
        const records = rows.map((cells, i) => ({ line: i + 2, cells }))
        expect(await checker.check(records)).toEqual(checkChunk('accounts', records, accountMapping))
      }),
      { numRuns: 40 },
    )
    expect(checker.workerChunks).toBeGreaterThan(0)
  })

  it('checks the whole corpus alike, valid and invalid rows', async () => {
    const checker = onWorker('contacts', contactMapping)
    const records = corpus.map((value, i) => ({
      line: i + 2,
      cells: [value, value, value, value, value, value, value],
    }))
    const emails = corpus.map((value, i) => ({ line: i + 2, cells: [value, 'Max', '', value, '', '', ''] }))
    for (const chunk of [records, emails]) {
      const expected = checkChunk('contacts', chunk, contactMapping)
      expect(expected.rows.length + expected.invalid.length).toBe(chunk.length)
      expect(await checker.check(chunk)).toEqual(expected)
    }
    expect(checker.workerChunks).toBe(2)
  })
})
