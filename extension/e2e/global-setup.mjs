import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Builds the extension once for the browser tests; they load `.output/chrome-mv3` unpacked. Plain
 * JavaScript: on a fresh clone the extension's tsconfig (which extends WXT's generated one) does
 * not exist yet, so no TypeScript of the extension can load before WXT has run.
 */
export default function setup() {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
  if (!existsSync(chromium)) {
    throw new Error(`No Chromium at ${chromium}. Run scripts/ensure-chromium.sh (as root) first.`)
  }
  const cwd = join(import.meta.dirname, '..')
  // `wxt build` also writes .wxt/; with SIGNET_E2E_SKIP_BUILD the last build is reused.
  if (process.env.SIGNET_E2E_SKIP_BUILD) {
    if (!existsSync(join(cwd, '.wxt', 'tsconfig.json')))
      execFileSync('npx', ['wxt', 'prepare'], { cwd, stdio: 'pipe' })
    return
  }
  execFileSync('npx', ['wxt', 'build'], { cwd, stdio: 'pipe' })
}
