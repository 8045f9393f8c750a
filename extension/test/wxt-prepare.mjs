import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The extension's tsconfig extends WXT's generated `.wxt/tsconfig.json`, which a fresh clone does
 * not have until something runs WXT; without it vitest cannot transform any extension file. Plain
 * JavaScript, because this file must load before that tsconfig exists.
 */
export default function setup() {
  const root = join(import.meta.dirname, '..')
  if (!existsSync(join(root, '.wxt', 'tsconfig.json')))
    execFileSync('npx', ['wxt', 'prepare'], { cwd: root, stdio: 'pipe' })
}
