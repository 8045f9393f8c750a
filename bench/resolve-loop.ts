import { writeFileSync } from 'node:fs'
import { createApp } from '../api/src/app.ts'
import { startSession } from '../api/src/auth/service.ts'
import { openDatabase } from '../api/src/db/index.ts'
import { stopDeliveries } from '../api/src/resolve/deliveries.ts'
import { resolveBenchConfig } from './lib.ts'

/**
 * In-process resolve loop over a database `bench/resolve.ts` seeded (BENCH_DB_NAME, same
 * BENCH_CONTACTS/BENCH_ACCOUNTS): `app.request` without the HTTP server, so a CPU profile
 * (`node --cpu-prof --import tsx bench/resolve-loop.ts`) shows the app's own cost per request.
 * LOOP_DUMP=<file> writes the answers of a fixed sequence of requests, with delivery ids and
 * tokens masked, to compare two versions of the code.
 */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000)
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000)
const N = Number(process.env.LOOP_REQUESTS ?? 20_000)
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const url = new URL(adminUrl)
url.pathname = `/${process.env.BENCH_DB_NAME ?? 'signet_bench_resolve'}`

const config = resolveBenchConfig(url.toString())

let seed = 42
const rand = (n: number) => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
  return 1 + (seed % n)
}
function body() {
  const a = rand(CONTACTS)
  const b = rand(CONTACTS)
  return JSON.stringify({
    to: [`c${a}@acct${(a % ACCOUNTS) + 1}.com`, `Colleague <someone@ourco.com>`],
    cc: [`c${b}@acct${(b % ACCOUNTS) + 1}.com`, `x${rand(1e9)}@unknown${rand(1e6)}.com`],
  })
}

const { db, close } = await openDatabase({ databaseUrl: config.databaseUrl })
const user = await db.selectFrom('app_user').select(['id', 'workspace_id']).executeTakeFirstOrThrow()
const { token } = await startSession(db, config, user.workspace_id, user.id, 'bench')
const app = createApp({ db, config })
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` }
const call = (b: string) => app.request('/api/resolve', { method: 'POST', headers, body: b })

const first = await call(body())
if (first.status !== 200) throw new Error(`first resolve: ${first.status} ${await first.text()}`)

if (process.env.LOOP_DUMP) {
  seed = 7
  const lines: string[] = []
  for (let i = 0; i < 2000; i++) {
    const text = await (await call(body())).text()
    if (i % 50 === 0) await new Promise(setImmediate)
    lines.push(
      text
        .replace(/"deliveryId":"[^"]+"/g, '"deliveryId":"<id>"')
        .replace(/\/t\/([vch])\/[A-Za-z0-9_-]{43}/g, '/t/$1/<token>'),
    )
  }
  writeFileSync(process.env.LOOP_DUMP, `${lines.join('\n')}\n`)
  console.log(`wrote ${lines.length} answers to ${process.env.LOOP_DUMP}`)
}

for (let round = 0; round < 3; round++) {
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  for (let i = 0; i < N; i++) {
    const res = await call(body())
    if (res.status !== 200) throw new Error(`resolve: ${res.status}`)
    await res.text()
    // Let timers run (the deliveries' batch writer), as a server's event loop would.
    if (i % 50 === 0) await new Promise(setImmediate)
  }
  const us = Number(process.hrtime.bigint() - started) / 1000 / N
  const { user, system } = process.cpuUsage(cpu)
  console.log(
    `round ${round + 1}: ${us.toFixed(1)} µs per resolve, ${((user + system) / N).toFixed(1)} µs CPU (${N} requests)`,
  )
}
await stopDeliveries(db)
await close()
