/**
 * `npx tsx bench/resolve-cpu.ts`: CPU time of the API process per resolve at a paced rate (RATE,
 * default 2,000/s; three runs of 10 s after a 12 s warm-up) over a database `bench/resolve.ts`
 * seeded (BENCH_DB_NAME, BENCH_CONTACTS, BENCH_ACCOUNTS as there). On a machine shared with the
 * load generator and PostgreSQL, CPU per request is steadier than req/s at saturation.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import autocannon from 'autocannon'
import { startSession } from '../api/src/auth/service.ts'
import { openDatabase } from '../api/src/db/index.ts'
import { API_NODE_FLAGS } from '../scripts/build-api.mjs'
import { freePort, resolveBenchConfig } from './lib.ts'

const dbName = process.env.BENCH_DB_NAME ?? 'signet_bench_resolve'
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000)
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000)
const RATE = Number(process.env.RATE ?? 2000)
const url = `postgres://postgres@127.0.0.1:5432/${dbName}`
const config = resolveBenchConfig(url)
const { db, close } = await openDatabase({ databaseUrl: url })
const user = await db.selectFrom('app_user').select(['id', 'workspace_id']).executeTakeFirstOrThrow()
const { token } = await startSession(db, config, user.workspace_id, user.id, 'bench')
await close()
const port = await freePort()
const child = spawn(process.execPath, [...API_NODE_FLAGS, '--import', 'tsx', 'bench/resolve-server.ts'], {
  env: { ...process.env, PORT: String(port), SIGNET_BENCH_CONFIG: JSON.stringify(config) },
  stdio: ['ignore', 'pipe', 'inherit'],
})
await new Promise<void>((r) => child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && r()))
const rand = (n: number) => 1 + Math.floor(Math.random() * n)
const body = () => {
  const a = rand(CONTACTS),
    b = rand(CONTACTS)
  return JSON.stringify({
    to: [`c${a}@acct${(a % ACCOUNTS) + 1}.com`, 'Colleague <someone@ourco.com>'],
    cc: [`c${b}@acct${(b % ACCOUNTS) + 1}.com`, `x${rand(1e9)}@unknown${rand(1e6)}.com`],
  })
}
const cpu = () => {
  const f = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return (Number(f[11]) + Number(f[12])) * 10_000
}
const run = (seconds: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: 20,
    duration: seconds,
    overallRate: RATE,
    requests: [
      {
        method: 'POST',
        path: '/api/resolve',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        setupRequest: (r) => ({ ...r, body: body() }),
      },
    ],
  })
await run(12)
for (let i = 0; i < 3; i++) {
  const c0 = cpu()
  const r = await run(10)
  const used = cpu() - c0
  console.log(
    `${dbName}: ${r.requests.total} resolves, ${(used / r.requests.total).toFixed(0)} µs CPU each, p99 ${r.latency.p99} ms, errors ${r.errors + r.non2xx}`,
  )
}
child.kill()
