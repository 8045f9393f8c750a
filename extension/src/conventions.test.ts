import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { features } from './features/index.ts'

const src = import.meta.dirname
const read = (...path: string[]) => readFileSync(join(src, ...path), 'utf8')

describe('extension conventions', () => {
  it('registers every feature file in the one list', () => {
    const files = readdirSync(join(src, 'features')).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !['index.ts', 'feature.ts'].includes(f),
    )
    expect(features.map((f) => `${f.id}.ts`).sort()).toEqual(files.sort())
  })

  it('keeps every host selector in the host selectors file', () => {
    for (const host of ['gmail', 'outlook']) {
      const adapter = read('hosts', host, 'adapter.ts')
      expect(adapter).not.toMatch(/querySelector(All)?(<[^>]+>)?\(\s*['"`]/)
      expect(adapter).not.toMatch(/closest\(\s*['"`]/)
    }
  })

  it('never selects on English aria-label text', () => {
    for (const host of ['gmail', 'outlook'])
      expect(read('hosts', host, 'selectors.ts')).not.toMatch(
        /['"`][^'"`\n]*(aria-label|data-tooltip)[^'"`\n]*['"`]/,
      )
  })

  it('talks to the network only from the background worker', () => {
    const offenders: string[] = []
    const walk = (dir: string) => {
      for (const entry of readdirSync(join(src, dir), { withFileTypes: true })) {
        const path = join(dir, entry.name)
        if (entry.isDirectory()) walk(path)
        else if (
          /\.tsx?$/.test(entry.name) &&
          !entry.name.endsWith('.test.ts') &&
          path !== join('lib', 'api.ts')
        ) {
          if (/\bfetch\(|XMLHttpRequest|sessionItem/.test(read(path))) offenders.push(path)
        }
      }
    }
    walk('.')
    expect(
      offenders.filter((p) => p !== join('entrypoints', 'background.ts') && p !== join('lib', 'storage.ts')),
    ).toEqual([])
  })
})
