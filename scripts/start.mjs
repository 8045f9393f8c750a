#!/usr/bin/env node
// `npm start`: build the extension (so it can be loaded unpacked) and the dashboard (served at /),
// then compile and run the API, which migrates the database, seeds a demo workspace on first start and prints
// how to sign in.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { buildApi } from './build-api.mjs'

const root = new URL('..', import.meta.url).pathname
process.chdir(root)

const extension = 'extension/package.json'
if (existsSync(extension) && JSON.parse(readFileSync(extension, 'utf8')).scripts?.build) {
  console.log('[signet] building the browser extension…')
  const build = spawnSync('npm', ['run', 'build', '--silent', '--workspace', 'extension'], {
    stdio: 'inherit',
  })
  if (build.status === 0) {
    console.log(
      `[signet] extension ready: load ${root}extension/.output/chrome-mv3 unpacked (chrome://extensions → Developer mode → Load unpacked)`,
    )
  } else {
    console.warn('[signet] the extension did not build; the API starts anyway')
  }
}

console.log('[signet] building the dashboard…')
const dashboard = spawnSync('npm', ['run', 'build:dashboard', '--silent'], { stdio: 'inherit' })
if (dashboard.status !== 0) console.warn('[signet] the dashboard did not build; the API starts anyway')

// The API runs compiled (scripts/build-api.mjs): without a TypeScript loader its process needs
// about 90 MiB less memory.
console.log('[signet] compiling the API…')
const api = spawn(process.execPath, await buildApi(), { stdio: 'inherit' })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => api.kill(signal))
api.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
