/**
 * `npm run bench:import`: a 1M-row contacts CSV imported through a real API process on
 * PostgreSQL, then synchronised (10 % changed, 5 % removed), beside `psql \copy` of the same
 * file as the physical floor; peak RSS of the API process; and a 200k-row import on PGlite.
 * Also the peak RSS once a resolve has built the targeting index of the imported contacts.
 * ROWS=… changes the size; BENCH_TAG=… goes into the scratch database's name, so runs of several
 * engineers on one server never share a database.
 */
import { execFileSync } from 'node:child_process'
import { createReadStream, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import pg from 'pg'
import { api, createDatabase, emit, seconds, signUp, startApi, writeCsv } from './lib.ts'

const ROWS = Number(process.env.ROWS ?? 1_000_000)
const PGLITE_ROWS = Number(process.env.PGLITE_ROWS ?? 200_000)

const row = (i: number, changed = false) =>
  `person${i}@firma${i % 5000}.de;${changed ? 'Neu' : 'Vor'}${i};Nach${i};+49 30 ${String(1_000_000 + i)};Firma ${i % 5000}`

/**
 * CPU seconds used so far by the API process and by the database's server processes for `dbName`
 * (PostgreSQL on this machine; 0 where /proc cannot tell). On a machine shared with other work,
 * CPU time is steadier than wall time.
 */
function cpuSeconds(pid: number) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}
async function cpuNow(url: string, dbName: string, apiPid: number) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const { rows } = await client.query(
    'select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
    [dbName],
  )
  await client.end()
  return { api: cpuSeconds(apiPid), db: rows.reduce((sum, r) => sum + cpuSeconds(r.pid), 0) }
}

async function importInto(base: string, token: string, path: string, groupId: string, mode: string) {
  const upload = await api(
    base,
    token,
    'POST',
    `/api/imports?kind=contacts&targetGroupId=${groupId}&fileName=bench.csv`,
    createReadStream(path),
    { 'content-type': 'text/csv' },
  )
  await api(base, token, 'PATCH', `/api/imports/${upload.id}`, { mode })
  const [report, secs] = await seconds(() =>
    api(base, token, 'POST', `/api/imports/${upload.id}/apply?wait=true`),
  )
  return { report, secs }
}

async function createGroup(url: string, workspaceId: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const { rows } = await client.query(
    `insert into target_group (workspace_id, name, kind) values ($1, 'Bench', 'contact') returning id`,
    [workspaceId],
  )
  await client.end()
  return rows[0].id as string
}

async function main() {
  const dir = await mkdtemp(`${tmpdir()}/signet-bench-import-`)
  const file = `${dir}/contacts.csv`
  const syncFile = `${dir}/sync.csv`
  await writeCsv(file, ROWS, (i) => row(i))
  // 10 % changed, 5 % removed.
  await writeCsv(syncFile, ROWS, (i) => (i % 20 === 7 ? null : row(i, i % 10 === 3)))

  const tag = (process.env.BENCH_TAG ?? '').replace(/[^a-z0-9_]/gi, '').toLowerCase()
  const db = await createDatabase(`signet_bench_import${tag ? `_${tag}` : ''}_${process.pid}`)
  try {
    execFileSync('psql', [
      db.url,
      '-qc',
      'create table copy_floor (email text, first_name text, last_name text, phone text, company text)',
    ])
    const [, copySecs] = await seconds(async () =>
      execFileSync('psql', [
        db.url,
        '-qc',
        `\\copy copy_floor from '${file}' with (format csv, delimiter ';', header true)`,
      ]),
    )

    const server = await startApi({ DATABASE_URL: db.url, DATA_DIR: `${dir}/data` })
    const session = await signUp(server.url)
    const groupId = await createGroup(db.url, session.workspace.id)
    const dbName = new URL(db.url).pathname.slice(1)
    const cpu0 = await cpuNow(db.url, dbName, server.child.pid!)
    const first = await importInto(server.url, session.token, file, groupId, 'add_update')
    const cpu1 = await cpuNow(db.url, dbName, server.child.pid!)
    const sync = await importInto(server.url, session.token, syncFile, groupId, 'synchronise')
    const cpu2 = await cpuNow(db.url, dbName, server.child.pid!)
    const peak = server.peakRssMiB()
    // The first resolve after the import builds the workspace's targeting index of every contact
    // it created (resolve/targeting-index.ts): the API's memory once the extension is in use.
    const [, indexSecs] = await seconds(() =>
      api(server.url, session.token, 'POST', '/api/resolve', { to: ['person1@firma1.de'] }),
    )
    const withIndex = server.peakRssMiB()
    await server.stop()

    console.log(`rows: ${ROWS.toLocaleString('en')}`)
    console.log(`psql \\copy (floor): ${copySecs.toFixed(1)} s`)
    console.log(
      `import (add_update): ${first.secs.toFixed(1)} s = ${(first.secs / copySecs).toFixed(1)}× copy — new ${first.report.new}`,
    )
    console.log(
      `synchronise (10 % changed, 5 % removed): ${sync.secs.toFixed(1)} s — updated ${sync.report.updated}, leaving ${sync.report.leaving}`,
    )
    console.log(
      `CPU (upload + apply): import API ${(cpu1.api - cpu0.api).toFixed(1)} s, database ${(cpu1.db - cpu0.db).toFixed(1)} s; synchronise API ${(cpu2.api - cpu1.api).toFixed(1)} s, database ${(cpu2.db - cpu1.db).toFixed(1)} s`,
    )
    console.log(
      `API peak RSS after the first resolve (targeting index of ${ROWS.toLocaleString('en')} contacts built in ${indexSecs.toFixed(1)} s): ${withIndex.toFixed(0)} MiB`,
    )
    console.log(
      `API peak RSS: ${peak.toFixed(0)} MiB; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')}`,
    )
    emit({
      figure: 'CSV import, add_update',
      target: '≤ 3× copy, < 30 s per 1M',
      measured: first.secs,
      unit: 's',
      better: 'lower',
      baseline: copySecs,
    })
    emit({
      figure: 'CSV synchronise (10 % changed, 5 % leaving)',
      target: '—',
      measured: sync.secs,
      unit: 's',
      better: 'lower',
      baseline: copySecs,
    })
    emit({
      figure: 'CSV import, API peak RSS',
      target: '< 300 MiB',
      measured: peak,
      unit: 'MiB',
      better: 'lower',
    })
  } finally {
    await db.drop()
  }

  const small = `${dir}/small.csv`
  await writeCsv(small, PGLITE_ROWS, (i) => row(i))
  const embedded = await startApi({ DATABASE_URL: '', DATA_DIR: `${dir}/pglite-data` })
  const session = await signUp(embedded.url)
  const upload = await api(
    embedded.url,
    session.token,
    'POST',
    '/api/imports?kind=contacts&fileName=small.csv',
    createReadStream(small),
    { 'content-type': 'text/csv' },
  )
  const [report, secs] = await seconds(() =>
    api(embedded.url, session.token, 'POST', `/api/imports/${upload.id}/apply?wait=true`),
  )
  console.log(
    `PGlite import of ${PGLITE_ROWS.toLocaleString('en')} rows: ${secs.toFixed(1)} s — new ${report.new}; API peak RSS ${embedded.peakRssMiB().toFixed(0)} MiB`,
  )
  emit({
    figure: 'CSV import on PGlite',
    target: '200k rows complete',
    measured: secs,
    unit: 's',
    better: 'lower',
  })
  await embedded.stop()
  await rm(dir, { recursive: true, force: true })
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
