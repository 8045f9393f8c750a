#!/usr/bin/env node
// Prints every built file's gzipped size and the first screen's total (index.html's script and
// style plus the chunks they import statically); fails when the first screen passes 150 kB.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const LIMIT = 150 * 1024
const dist = new URL('../dist/', import.meta.url).pathname
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length
const kb = (n) => `${(n / 1024).toFixed(1)} kB`

export function firstScreen() {
  const html = readFileSync(join(dist, 'index.html'), 'utf8')
  const seen = new Set()
  const visit = (file) => {
    if (seen.has(file)) return
    seen.add(file)
    if (!file.endsWith('.js')) return
    const source = readFileSync(join(dist, file), 'utf8')
    // Static imports only (`import … from "./x.js"` / `import "./x.js"`); `import("./x.js")` is lazy.
    for (const m of source.matchAll(/\bimport\s*(?:[\w$*{}\s,]+from\s*)?["']\.\/([\w.-]+\.js)["']/g)) {
      visit(`assets/${m[1]}`)
    }
  }
  for (const m of html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)) visit(m[1])
  return [...seen]
}

const files = readdirSync(join(dist, 'assets')).map((f) => `assets/${f}`)
const first = firstScreen()
const total = first.reduce((sum, f) => sum + gz(f), gz('index.html'))
for (const f of files.sort())
  console.log(`${first.includes(f) ? '*' : ' '} ${f.padEnd(44)} ${kb(gz(f))} gzip`)
console.log(`first screen (index.html + * files): ${kb(total)} gzip, limit ${kb(LIMIT)}`)
if (total > LIMIT) {
  console.error('The first screen is over the limit: move code behind lazyScreen() or drop a dependency.')
  process.exit(1)
}
