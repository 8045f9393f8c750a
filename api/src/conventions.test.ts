import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

/** Keeps the structure of STYLE.md honest as the code grows. */
const root = new URL('.', import.meta.url).pathname

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? files(path) : [path]
  })
}

const sources = files(root).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
const appSource = readFileSync(join(root, 'app.ts'), 'utf8')

describe('conventions', () => {
  it('mounts every routes.ts in app.ts', () => {
    const unmounted = sources
      .filter((f) => f.endsWith('/routes.ts'))
      .map((f) => relative(root, f).replace(/\.ts$/, ''))
      .filter((module) => !appSource.includes(`from './${module}.ts'`))
    expect(unmounted).toEqual([])
  })

  it('runs queries only from queries.ts files and the database setup', () => {
    // SQL fragments (a keyset condition, `now()` as a value) may be built elsewhere; queries run only here.
    const running =
      /\.(selectFrom|insertInto|updateTable|deleteFrom|selectNoFrom|mergeInto)\(|(?<!transaction\(\))\.execute(TakeFirst(OrThrow)?)?\(/
    const sqlOutside = sources
      .filter((f) => !f.endsWith('queries.ts') && !f.includes('/db/'))
      .filter((f) => running.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f))
    expect(sqlOutside).toEqual([])
  })

  it('keeps source files under 400 lines', () => {
    const long = sources
      .map((f) => ({ file: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((f) => f.lines > 400)
    expect(long).toEqual([])
  })
})
