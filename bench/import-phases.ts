/**
 * `npm run bench:import-phases`: where an import's time goes. Runs `runImport` in this process
 * (no HTTP) on a fresh PostgreSQL database with ROWS generated contacts (default 100,000) into a
 * target group, then a synchronise, and prints the duration of every SQL statement over 50 ms
 * and of the validation loop. For profiling: `node --cpu-prof --import tsx bench/import-phases.ts`.
 * PGLITE=1 runs it on an in-memory PGlite instead.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { Kysely, PostgresDialect, sql } from 'kysely'
import pg from 'pg'
import { migrateToLatest, openDatabase } from '../api/src/db/index.ts'
import type { Database } from '../api/src/db/schema.ts'
import { parseCsv } from '../api/src/imports/csv/parse.ts'
import { runImport } from '../api/src/imports/run.ts'
import { readImportFile } from '../api/src/imports/storage.ts'
import { createDatabase, writeCsv } from './lib.ts'

const ROWS = Number(process.env.ROWS ?? 100_000)

const row = (i: number, changed = false) =>
  `person${i}@firma${i % 5000}.de;${changed ? 'Neu' : 'Vor'}${i};Nach${i};+49 30 ${String(1_000_000 + i)};Firma ${i % 5000}`

// The one database backend's CPU seconds (PostgreSQL on this machine): on a machine shared with
// other work, CPU time says more than wall time.
let backendPid = 0
function backendCpu() {
  if (!backendPid) return 0
  try {
    const fields = readFileSync(`/proc/${backendPid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}
let lastCpu = 0
let started = 0
function logged(event: { level: string; query: { sql: string }; queryDurationMillis: number }) {
  const cpu = backendCpu()
  const used = cpu - lastCpu
  lastCpu = cpu
  if (event.queryDurationMillis < 50) return
  const text = event.query.sql.replace(/\s+/g, ' ').slice(0, 100)
  const at = ((performance.now() - started) / 1000).toFixed(1)
  console.log(
    `  at ${at.padStart(5)} s: ${event.queryDurationMillis.toFixed(0).padStart(6)} ms ${used.toFixed(2).padStart(6)} s cpu  ${text}`,
  )
}

async function main() {
  const dir = await mkdtemp(`${tmpdir()}/signet-import-phases-`)
  const file = `${dir}/a.csv`
  const syncFile = `${dir}/b.csv`
  await writeCsv(file, ROWS, (i) => row(i))
  await writeCsv(syncFile, ROWS, (i) => (i % 20 === 7 ? null : row(i, i % 10 === 3)))

  const usePglite = process.env.PGLITE === '1'
  const scratch = usePglite ? undefined : await createDatabase(`signet_bench_import_phases_${process.pid}`)
  const handle = await openDatabase({ databaseUrl: scratch?.url, dataDir: undefined })
  await migrateToLatest(handle.db)
  let db = handle.db
  let pool: pg.Pool | undefined
  if (scratch) {
    pool = new pg.Pool({ connectionString: scratch.url, max: 1, idleTimeoutMillis: 0 })
    // EXPLAIN=1: the plan of every statement over a second, with timings (auto_explain).
    if (process.env.EXPLAIN === '1') {
      pool.on('connect', (client) => {
        client.on('notice', (n) => console.log(n.message))
        client
          .query(
            `load 'auto_explain'; set auto_explain.log_min_duration = 1000; set auto_explain.log_analyze = on;
             set auto_explain.log_buffers = on; set auto_explain.log_nested_statements = on; set client_min_messages = log`,
          )
          .catch((error) => console.error(error))
      })
    }
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: logged as never })
  }
  try {
    if (pool) backendPid = (await pool.query('select pg_backend_pid() as pid')).rows[0].pid
    const ws = await sql<{ id: string }>`insert into workspace (name) values ('P') returning id`.execute(db)
    const workspaceId = ws.rows[0]!.id
    const user = await sql<{ id: string }>`
      insert into app_user (workspace_id, email, role) values (${workspaceId}, 'p@p.example', 'admin') returning id`.execute(
      db,
    )
    const group = await sql<{ id: string }>`
      insert into target_group (workspace_id, name, kind) values (${workspaceId}, 'G', 'contact') returning id`.execute(
      db,
    )
    for (const [name, path, mode] of [
      ['add_update', file, 'add_update'],
      ['synchronise', syncFile, 'synchronise'],
    ] as const) {
      const job = await sql<any>`
        insert into import_job (workspace_id, kind, target_group_id, file_name, byte_size, encoding, delimiter,
          has_header, headers, mapping, mode, created_by)
        values (${workspaceId}, 'contacts', ${group.rows[0]!.id}, 'p.csv', 0, 'utf-8', ';', true,
          ${['E-Mail', 'Vorname', 'Nachname', 'Telefon', 'Firma']},
          ${JSON.stringify(['email', 'firstName', 'lastName', 'phone', 'company'])}::jsonb, ${mode}, ${user.rows[0]!.id})
        returning *`.execute(db)
      console.log(`${name}, ${ROWS.toLocaleString('en')} rows${usePglite ? ' (PGlite)' : ''}:`)
      const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0 }
      const sampler = setInterval(
        () => {
          const m = process.memoryUsage()
          for (const k of Object.keys(peak) as (keyof typeof peak)[])
            peak[k] = Math.max(peak[k], m[k] / 2 ** 20)
          if (process.env.MEMLOG === '1')
            console.log(
              `  mem at ${((performance.now() - started) / 1000).toFixed(1)} s: heapUsed ${(m.heapUsed / 2 ** 20).toFixed(0)} rss ${(m.rss / 2 ** 20).toFixed(0)}`,
            )
        },
        Number(process.env.MEMLOG_MS ?? 100),
      )
      const start = performance.now()
      started = start
      const nodeStart = process.cpuUsage()
      const cpuStart = backendCpu()
      const records = parseCsv(readImportFile(path), {
        encoding: 'utf-8',
        delimiter: ';',
        newline: '\n',
        header: true,
      })
      const report = await runImport(db as never, job.rows[0], records, user.rows[0]!.id as never, false)
      const secs = (performance.now() - start) / 1000
      clearInterval(sampler)
      console.log(
        `  peak MiB: ${Object.entries(peak)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')}`,
      )
      const node = process.cpuUsage(nodeStart)
      console.log(
        `  total ${secs.toFixed(1)} s; CPU: node ${((node.user + node.system) / 1e6).toFixed(1)} s, database ${(backendCpu() - cpuStart).toFixed(1)} s — new ${report.new}, updated ${report.updated}, leaving ${report.leaving}, invalid ${report.invalid}; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
      )
    }
  } finally {
    if (pool) await db.destroy()
    await handle.close()
    await scratch?.drop()
    await rm(dir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
