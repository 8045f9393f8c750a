/**
 * `npm run bench`: every benchmark of the project, one after another; the figures they emit
 * (`BENCH {json}` lines, see `emit` in lib.ts) become the generated table of BENCHMARKS.md.
 *
 * `--only a,b` runs just those benchmarks and replaces just their rows of the table; each row
 * says when and under what load it was measured.
 *
 * `npm run bench:smoke` (`--smoke`): the same benchmarks at tiny sizes, in seconds, compared with
 * the figures recorded in bench/smoke-figures.json; fails only when a figure is more than 3×
 * worse (a gross regression: the machine's load moves figures by less). `--record` rewrites that
 * file from this run instead.
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import { join } from 'node:path'
import { BENCH_PREFIX, type BenchFigure } from './lib.ts'

const BENCHES = ['extension', 'targets', 'import', 'resolve', 'track', 'stats']
const SMOKE_ENV = {
  BENCH_CONTACTS: '5000',
  BENCH_ACCOUNTS: '500',
  BENCH_RUNS: '5',
  BENCH_SECONDS: '2',
  BENCH_DELIVERIES_PER_CAMPAIGN: '10',
  BENCH_ROUNDS: '4',
  ROWS: '5000',
  PGLITE_ROWS: '1000',
  BENCH_DELIVERIES: '5000',
  BENCH_LIVE_SECONDS: '2',
}
const REGRESSION_FACTOR = 3
const root = join(import.meta.dirname, '..')
const SMOKE_FILE = join(root, 'bench', 'smoke-figures.json')
const MARKDOWN = join(root, 'BENCHMARKS.md')
const START = '<!-- bench:table:start -->'
const END = '<!-- bench:table:end -->'

interface Collected extends BenchFigure {
  bench: string
  /** Date and 1-minute load average when the benchmark finished. */
  when: string
}

function run(name: string, env: Record<string, string>): Promise<{ figures: Collected[]; ok: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `bench/${name}.ts`], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const figures: Collected[] = []
    let pending = ''
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk)
      pending += chunk
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        if (line.startsWith(BENCH_PREFIX))
          figures.push({ bench: name, when: '', ...JSON.parse(line.slice(BENCH_PREFIX.length)) })
      }
    })
    child.on('exit', (code) => {
      const when = `${new Date().toISOString().slice(0, 10)}, load ${loadavg()[0]!.toFixed(1)}`
      resolve({ figures: figures.map((f) => ({ ...f, when })), ok: code === 0 })
    })
  })
}

const format = (n: number) =>
  Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2)

const HEADER = [
  '| bench | figure | target | measured | ratio to baseline | measured on |',
  '| --- | --- | --- | ---: | ---: | --- |',
]

/** The table: this run's rows, and the earlier rows of the benchmarks this run left out. */
function table(figures: Collected[], earlier: string, ran: string[]): string {
  const fresh = figures.map((f) => {
    const ratio = f.baseline ? `${format(f.measured / f.baseline)}×` : '—'
    return `| \`bench:${f.bench}\` | ${f.figure} | ${f.target} | ${format(f.measured)} ${f.unit} | ${ratio} | ${f.when} |`
  })
  const benchOf = (row: string) => /^\| `bench:(\w+)`/.exec(row)?.[1]
  const kept = earlier
    .split('\n')
    .filter((row) => benchOf(row) && !ran.includes(benchOf(row)!))
    .map((row) => (row.split('|').length === 8 ? row : `${row} 2026-11-23, load 11.5 |`))
  const order = (row: string) => BENCHES.indexOf(benchOf(row)!)
  const rows = [...kept, ...fresh].sort((a, b) => order(a) - order(b))
  return [...HEADER, ...rows].join('\n')
}

// Timings this short are mostly scheduling noise on a shared machine: compared from this floor up.
const NOISE_FLOOR: Record<string, number> = { ms: 100, s: 1 }

/** How much worse than recorded a figure is (2 = twice as slow, or half the throughput). */
function slowdown(figure: BenchFigure, recorded: number): number {
  const floor = NOISE_FLOOR[figure.unit] ?? 0
  const [now, before] = [Math.max(figure.measured, floor), Math.max(recorded, floor)]
  if (now <= 0 || before <= 0) return now === before ? 1 : Number.POSITIVE_INFINITY
  return figure.better === 'lower' ? now / before : before / now
}

async function main() {
  const smoke = process.argv.includes('--smoke')
  const record = process.argv.includes('--record')
  const env = smoke ? SMOKE_ENV : {}
  const figures: Collected[] = []
  const failed: string[] = []
  const only = process.argv.find((a) => a.startsWith('--only'))
  const chosen = only
    ? (only.split('=')[1] ?? process.argv[process.argv.indexOf(only) + 1] ?? '').split(',')
    : BENCHES
  const unknown = chosen.filter((n) => !BENCHES.includes(n))
  if (unknown.length)
    throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHES.join(', ')}`)
  for (const name of chosen) {
    console.log(`\n=== bench:${name}${smoke ? ' (smoke)' : ''}`)
    const result = await run(name, env)
    figures.push(...result.figures)
    if (!result.ok) failed.push(`bench:${name} exited with an error`)
  }
  const key = (f: Collected) => `${f.bench}: ${f.figure}`

  if (smoke && record) {
    writeFileSync(
      SMOKE_FILE,
      `${JSON.stringify(Object.fromEntries(figures.map((f) => [key(f), f.measured])), null, 2)}\n`,
    )
    console.log(`\nrecorded ${figures.length} smoke figures in bench/smoke-figures.json`)
  } else if (smoke) {
    const recorded: Record<string, number> = JSON.parse(readFileSync(SMOKE_FILE, 'utf8'))
    console.log('\n| figure | recorded | measured | slowdown |\n| --- | ---: | ---: | ---: |')
    for (const f of figures) {
      const before = recorded[key(f)]
      if (before === undefined) {
        console.log(`| ${key(f)} | — | ${format(f.measured)} ${f.unit} | not recorded yet |`)
        continue
      }
      const factor = slowdown(f, before)
      console.log(`| ${key(f)} | ${format(before)} | ${format(f.measured)} ${f.unit} | ${format(factor)}× |`)
      if (factor > REGRESSION_FACTOR)
        failed.push(`${key(f)} is ${format(factor)}× worse than recorded (${format(before)} ${f.unit})`)
    }
  } else {
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(', ')
    const sizes = Object.entries(process.env)
      .filter(([k]) => /^(BENCH_(?!DATABASE_URL)\w+|ROWS|PGLITE_ROWS)$/.test(k))
      .map(([k, v]) => `${k}=${v}`)
    const heading = `Generated by \`npm run bench\`; last written by \`${[...sizes, 'npm run bench', ...(only ? [`-- --only ${chosen.join(',')}`] : [])].join(' ')}\` on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load average ${load} at the end of the run. Each row says when it was measured and the 1-minute load average then (2 cores shared by the database, the load generator and the API: figures move between runs).`
    const markdown = readFileSync(MARKDOWN, 'utf8')
    const at = markdown.indexOf(START)
    const earlier = at >= 0 ? markdown.slice(at, markdown.indexOf(END)) : ''
    const generated = `${START}\n${heading}\n\n${table(figures, earlier, chosen)}\n${END}`
    const next =
      at >= 0
        ? markdown.slice(0, at) + generated + markdown.slice(markdown.indexOf(END) + END.length)
        : `${markdown}\n${generated}\n`
    writeFileSync(MARKDOWN, next)
    console.log(`\nwrote ${figures.length} figures to BENCHMARKS.md`)
  }
  if (failed.length) {
    console.error(`\nFAILED:\n${failed.map((f) => `  - ${f}`).join('\n')}`)
    process.exit(1)
  }
}

await main()
