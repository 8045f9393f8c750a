/**
 * `npm run bench`: every benchmark of the project, one after another, each printing its figures.
 * (Collecting them into the BENCHMARKS.md table automatically is still to do.)
 */
import { spawnSync } from 'node:child_process'

const benches = ['extension', 'targets', 'import', 'resolve', 'track', 'stats']
const failed: string[] = []
for (const name of benches) {
  console.log(`\n=== npm run bench:${name}`)
  const run = spawnSync('npm', ['run', '--silent', `bench:${name}`], { stdio: 'inherit' })
  if (run.status !== 0) failed.push(name)
}
if (failed.length) {
  console.error(`\nfailed: ${failed.join(', ')}`)
  process.exit(1)
}
