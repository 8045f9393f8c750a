import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Builds the extension once for the browser tests; they load `.output/chrome-mv3` unpacked. */
export default function setup() {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}. Run scripts/ensure-chromium.sh (as root) first.`)
  }
  if (process.env.SIGNET_E2E_SKIP_BUILD) return
  const cwd = join(import.meta.dirname, '..')
  execFileSync('npx', ['wxt', 'build'], { cwd, stdio: 'pipe' })
}
