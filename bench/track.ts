/**
 * Click-redirect throughput of a real API server on PostgreSQL, beside a bare Hono JSON endpoint
 * measured in the same run, then a check that every click answered was persisted.
 *
 *   npm run bench:track        (DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/postgres)
 *
 * BENCH_DB_NAME names the scratch database (default signet_bench_track_<pid>), BENCH_PORT the
 * first of the two ports (default 3901), BENCH_CPU_PROF=<dir> writes a CPU profile of the API.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import pg from 'pg'
import { migrateToLatest, openDatabase } from '../api/src/db/index.ts'
import { deliveryToken } from '../api/src/tracking/token.ts'
import { API_NODE_FLAGS } from '../scripts/build-api.mjs'
import { emit } from './lib.ts'

const BASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const CAMPAIGNS = 500
const DELIVERIES_PER_CAMPAIGN = Number(process.env.BENCH_DELIVERIES_PER_CAMPAIGN ?? 200)
const TOKENS = 10_000
const SECRET = randomBytes(32).toString('base64url')
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

function withDatabase(url: string, name: string) {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

async function createDatabase() {
  const name = process.env.BENCH_DB_NAME ?? `signet_bench_track_${process.pid}`
  const admin = new pg.Client({ connectionString: BASE_URL })
  await admin.connect()
  await admin.query(`drop database if exists ${name} with (force)`)
  await admin.query(`create database ${name}`)
  return {
    url: withDatabase(BASE_URL, name),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    },
  }
}

/** 500 campaigns with a banner each, 100k deliveries; answers the tokens of 10k of them. */
async function seed(url: string): Promise<string[]> {
  const { db, close } = await openDatabase({ databaseUrl: url })
  await migrateToLatest(db)
  const ws = (
    await db.insertInto('workspace').values({ name: 'Bench' }).returning('id').executeTakeFirstOrThrow()
  ).id
  const image = await db
    .insertInto('banner_image')
    .values({
      workspace_id: ws,
      sha256: 'x',
      content_type: 'image/png',
      width: 1,
      height: 1,
      byte_size: PNG.length,
      bytes: PNG,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await sql`insert into campaign (workspace_id, name, kind, destination_url, is_draft, utm)
    select ${ws}, 'Campaign ' || g, 'receiver', 'https://example.com/c/' || g, false, '{"utm_source":"signet"}'
    from generate_series(1, ${CAMPAIGNS}) g`.execute(db)
  await sql`insert into campaign_variant (workspace_id, campaign_id, image_id, alt_text)
    select ${ws}, id, ${image.id}, 'Banner' from campaign where workspace_id = ${ws}`.execute(db)
  await sql`insert into delivery (workspace_id, campaign_id, variant_id, created_at)
    select ${ws}, v.campaign_id, v.id, now() - interval '1 day'
    from campaign_variant v, generate_series(1, ${DELIVERIES_PER_CAMPAIGN})
    where v.workspace_id = ${ws}`.execute(db)
  const { rows } = await sql<{
    id: string
  }>`select id from delivery order by random() limit ${TOKENS}`.execute(db)
  await close()
  return rows.map((r) => deliveryToken(SECRET, r.id))
}

const PORT = Number(process.env.BENCH_PORT ?? 3901)
const profileDir = process.env.BENCH_CPU_PROF

function start(args: string[], env: Record<string, string>, profile = false): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const flags = profile && profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
    // The API's own node flags (scripts/build-api.mjs), for every process of the run.
    const child = spawn(process.execPath, [...API_NODE_FLAGS, ...flags, '--import', 'tsx', ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    child.stdout!.on('data', (chunk: Buffer) => {
      if (/listening|ready/.test(chunk.toString())) resolve(child)
    })
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)))
  })
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit')
    child.on('exit', () => resolve())
    child.kill('SIGTERM')
  })
}

interface Figures {
  name: string
  reqPerSec: number
  p50: number
  p99: number
  ok: number
  other: number
}

/** A fixed number of requests, so every request sent is also answered and can be counted. */
async function load(name: string, url: string, paths: string[], rate?: number): Promise<Figures> {
  let i = 0
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    amount: (rate ?? 10_000) * DURATION,
    ...(rate ? { overallRate: rate } : {}),
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  })
  const ok = name.startsWith('bare') ? result['2xx'] : result['3xx']
  return {
    name,
    reqPerSec: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other: result.requests.total - ok,
  }
}

async function main() {
  const database = await createDatabase()
  try {
    console.log(`seeding ${CAMPAIGNS} campaigns, ${CAMPAIGNS * DELIVERIES_PER_CAMPAIGN} deliveries …`)
    const tokens = await seed(database.url)
    const clickPaths = tokens.map((t) => `/t/c/${t}`)

    const bare = await start(['bench/bare-server.ts'], { PORT: String(PORT) })
    const bareFigures = await load('bare Hono JSON', `http://127.0.0.1:${PORT}`, ['/bare'])
    await stop(bare)

    const dataDir = await mkdtemp(`${tmpdir()}/signet-bench-`)
    const env = {
      PORT: String(PORT + 1),
      DATABASE_URL: database.url,
      SECRET,
      DEMO_DATA: 'false',
      // Every request comes from 127.0.0.1 here; the per-network limit is for one reader's network.
      RATE_LIMIT_TRACKING: '0',
      DATA_DIR: dataDir,
      PUBLIC_BASE_URL: `http://127.0.0.1:${PORT + 1}`,
    }
    const api = await start(['api/src/main.ts'], env, true)
    const apiUrl = `http://127.0.0.1:${PORT + 1}`
    const max = await load('click redirect (max)', apiUrl, clickPaths)
    const paced = await load('click redirect @5,000/s', apiUrl, clickPaths, 5000)
    // SIGTERM: the graceful shutdown writes the events still buffered.
    await stop(api)

    const check = await openDatabase({ databaseUrl: database.url })
    const { n } = await check.db
      .selectFrom('tracking_event')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('kind', '=', 'click')
      .executeTakeFirstOrThrow()
    await check.close()

    const rows = [bareFigures, max, paced]
    console.log(`\n${CONNECTIONS} connections, ${TOKENS} distinct delivery tokens, ${CAMPAIGNS} campaigns\n`)
    console.log('| endpoint | req/s | p50 ms | p99 ms | answered | other |')
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
    for (const r of rows)
      console.log(`| ${r.name} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.ok} | ${r.other} |`)
    const redirects = max.ok + paced.ok
    console.log(`\nclick redirects answered: ${redirects}; click events persisted: ${n}`)
    console.log(`throughput vs bare endpoint: ${Math.round((max.reqPerSec / bareFigures.reqPerSec) * 100)} %`)
    emit({
      figure: 'click redirects, max',
      target: '≥ 5,000 req/s',
      measured: max.reqPerSec,
      unit: 'req/s',
      better: 'higher',
      baseline: bareFigures.reqPerSec,
    })
    emit({
      figure: 'click redirects at 5,000/s, p99',
      target: '< 25 ms',
      measured: paced.p99,
      unit: 'ms',
      better: 'lower',
    })
    emit({
      figure: 'click events persisted',
      target: '100 %',
      measured: (100 * n) / redirects,
      unit: '%',
      better: 'higher',
    })
    if (n !== redirects) {
      console.error('FAIL: not every answered click was persisted')
      process.exitCode = 1
    }
  } finally {
    await database.drop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
