import { type ChildProcess, spawn } from 'node:child_process'
import autocannon from 'autocannon'
import { sql } from 'kysely'
import pg from 'pg'
import { startSession } from '../api/src/auth/service.ts'
import { pngImage } from '../api/src/campaigns/test-images.ts'
import type { Config } from '../api/src/config.ts'
import { migrateToLatest, openDatabase } from '../api/src/db/index.ts'
import { insertUser } from '../api/src/users/queries.ts'
import { insertWorkspace } from '../api/src/workspace/queries.ts'
import { API_NODE_FLAGS } from '../scripts/build-api.mjs'
import { emit, freePort, resolveBenchConfig } from './lib.ts'

/**
 * `npm run bench:resolve`: POST /api/resolve against 1M contacts, 100k accounts, 1k target
 * groups and 500 campaigns on PostgreSQL, beside a bare Hono JSON endpoint in the same run.
 * Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres);
 * creates its own database (BENCH_DB_NAME, default signet_bench_resolve) and keeps it for
 * BENCH_REUSE=1.
 */
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000)
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000)
const GROUPS_PER_KIND = 500
const RECEIVER_CAMPAIGNS = 450
const SENDER_CAMPAIGNS = 50
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)

const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const dbName = process.env.BENCH_DB_NAME ?? 'signet_bench_resolve'
const url = new URL(adminUrl)
url.pathname = `/${dbName}`

/** BENCH_REUSE=1 keeps the seeded database of an earlier run, migrates it and signs in again. */
async function reuse(config: Config) {
  const { db, close } = await openDatabase({ databaseUrl: url.toString() })
  await migrateToLatest(db)
  const user = await db.selectFrom('app_user').select(['id', 'workspace_id']).executeTakeFirstOrThrow()
  const { token } = await startSession(db, config, user.workspace_id, user.id, 'bench')
  await close()
  return token
}

async function seed(config: Config) {
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`drop database if exists ${dbName} with (force)`)
  await admin.query(`create database ${dbName}`)
  await admin.end()
  const { db, close } = await openDatabase({ databaseUrl: url.toString() })
  await migrateToLatest(db)
  const started = Date.now()
  const ws = await insertWorkspace(db, 'Bench')
  await db
    .updateTable('workspace')
    .set({ internal_domains: ['ourco.com'] })
    .where('id', '=', ws.id)
    .execute()
  const user = await insertUser(db, {
    workspace_id: ws.id,
    email: 'employee@ourco.com',
    role: 'employee',
    password_hash: null,
  })
  const { token } = await startSession(db, config, ws.id, user.id, 'bench')
  const w = ws.id
  await sql`insert into account (workspace_id, domain, name)
    select ${w}::uuid, 'acct' || i || '.com', 'Account ' || i from generate_series(1, ${ACCOUNTS}) i`.execute(
    db,
  )
  await sql`insert into contact (workspace_id, email, domain)
    select ${w}::uuid, 'c' || i || '@acct' || (i % ${ACCOUNTS} + 1) || '.com', 'acct' || (i % ${ACCOUNTS} + 1) || '.com'
    from generate_series(1, ${CONTACTS}) i`.execute(db)
  await sql`insert into target_group (workspace_id, name, kind)
    select ${w}::uuid, k || ' ' || i, case k when 'AG' then 'account' else 'contact' end
    from generate_series(0, ${GROUPS_PER_KIND - 1}) i, unnest(array['AG', 'CG']) k`.execute(db)
  // Every account is in one account group; every tenth contact in one contact group.
  await sql`insert into target_group_account (group_id, account_id)
    select g.id, a.id from account a
    join target_group g on g.workspace_id = ${w}::uuid and g.name = 'AG ' || (split_part(a.name, ' ', 2)::int % ${GROUPS_PER_KIND})
    where a.workspace_id = ${w}::uuid`.execute(db)
  await sql`insert into target_group_contact (group_id, contact_id)
    select g.id, c.id from contact c
    join target_group g on g.workspace_id = ${w}::uuid
      and g.name = 'CG ' || (substring(c.email from 2 for position('@' in c.email) - 2)::int % ${GROUPS_PER_KIND})
    where c.workspace_id = ${w}::uuid and substring(c.email from 2 for position('@' in c.email) - 2)::int % 10 = 0`.execute(
    db,
  )
  const image = pngImage(600, 100)
  const { id: imageId } = await db
    .insertInto('banner_image')
    .values({
      workspace_id: w,
      sha256: 'b'.repeat(64),
      content_type: 'image/png',
      width: 600,
      height: 100,
      byte_size: image.length,
      bytes: image,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await sql`insert into campaign (workspace_id, name, kind, destination_url, priority, is_draft, starts_at)
    select ${w}::uuid, 'R ' || i, 'receiver', 'https://example.com/r' || i, i % 7, false, now() - (i || ' minutes')::interval
    from generate_series(0, ${RECEIVER_CAMPAIGNS - 1}) i
    union all
    select ${w}::uuid, 'S ' || i, 'sender', 'https://example.com/s' || i, i % 3, false, now() - (i || ' minutes')::interval
    from generate_series(0, ${SENDER_CAMPAIGNS - 1}) i`.execute(db)
  await sql`insert into campaign_variant (workspace_id, campaign_id, name, image_id, alt_text)
    select ${w}::uuid, id, 'A', ${imageId}::uuid, name || ' banner' from campaign where workspace_id = ${w}::uuid`.execute(
    db,
  )
  // Receiver campaign i runs in account group i % 500 and contact group (i + 250) % 500.
  await sql`insert into campaign_target_group (campaign_id, group_id)
    select c.id, g.id from campaign c join target_group g on g.workspace_id = ${w}::uuid
      and (g.name = 'AG ' || (split_part(c.name, ' ', 2)::int % ${GROUPS_PER_KIND})
        or g.name = 'CG ' || ((split_part(c.name, ' ', 2)::int + 250) % ${GROUPS_PER_KIND}))
    where c.workspace_id = ${w}::uuid and c.kind = 'receiver'`.execute(db)
  await sql`analyze`.execute(db)
  console.log(
    `seeded ${CONTACTS} contacts, ${ACCOUNTS} accounts, ${GROUPS_PER_KIND * 2} groups, ${RECEIVER_CAMPAIGNS + SENDER_CAMPAIGNS} campaigns in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  )
  await close()
  return token
}

/** BENCH_CPU_PROF=<dir> writes a CPU profile of the API process (not the bare one) there. */
const profileDir = process.env.BENCH_CPU_PROF

function start(env: Record<string, string>): Promise<ChildProcess> {
  const profile = profileDir && !env.BARE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
  // The API's own node flags (scripts/build-api.mjs), for the bare endpoint too.
  const child = spawn(
    process.execPath,
    [...API_NODE_FLAGS, ...profile, '--import', 'tsx', 'bench/resolve-server.ts'],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve(child))
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
}

const rand = (n: number) => 1 + Math.floor(Math.random() * n)
function resolveBody() {
  const a = rand(CONTACTS)
  const b = rand(CONTACTS)
  return JSON.stringify({
    to: [`c${a}@acct${(a % ACCOUNTS) + 1}.com`, `Colleague <someone@ourco.com>`],
    cc: [`c${b}@acct${(b % ACCOUNTS) + 1}.com`, `x${rand(1e9)}@unknown${rand(1e6)}.com`],
  })
}

interface Run {
  label: string
  rps: number
  p50: number
  p99: number
  errors: number
}

async function measure(
  label: string,
  port: number,
  path: string,
  token: string | null,
  rate?: number,
): Promise<Run> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: rate ? 20 : 50,
    duration: DURATION,
    overallRate: rate,
    requests: [
      {
        method: 'POST',
        path,
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        setupRequest: (req) => ({ ...req, body: resolveBody() }),
      },
    ],
  })
  return {
    label,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  }
}

const config = resolveBenchConfig(url.toString())

const token = process.env.BENCH_REUSE ? await reuse(config) : await seed(config)
// Ports nothing listens on, chosen by the system.
const barePort = await freePort()
const apiPort = await freePort()
const children: ChildProcess[] = []
try {
  children.push(await start({ PORT: String(apiPort), SIGNET_BENCH_CONFIG: JSON.stringify(config) }))
  // The first resolve of a workspace builds the process's in-memory targeting index.
  const first = Date.now()
  const answer = await fetch(`http://127.0.0.1:${apiPort}/api/resolve`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: resolveBody(),
  })
  const answered = await answer.text()
  if (!answer.ok) throw new Error(`first resolve answered ${answer.status}: ${answered}`)
  console.log(`first resolve (builds the targeting index): ${((Date.now() - first) / 1000).toFixed(1)} s`)
  // The bare process also echoes an answer of this size (see resolve-server.ts).
  children.push(await start({ BARE: '1', PORT: String(barePort), ECHO_JSON: answered }))
  await measure('warm-up', apiPort, '/api/resolve', token)
  const runs = [
    await measure('bare Hono JSON, max', barePort, '/bare', null),
    await measure(`echo of a resolve's ${answered.length}-byte answer, max`, barePort, '/echo', null),
    await measure('POST /api/resolve, max', apiPort, '/api/resolve', token),
    await measure('POST /api/resolve at 2,000 req/s', apiPort, '/api/resolve', token, 2000),
  ]
  console.log('\n| run | req/s | p50 ms | p99 ms | errors |\n| --- | ---: | ---: | ---: | ---: |')
  for (const r of runs) console.log(`| ${r.label} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.errors} |`)
  console.log(
    `\nresolve throughput = ${((100 * runs[2]!.rps) / runs[0]!.rps).toFixed(0)} % of the bare endpoint`,
  )
  console.log(
    `resolve throughput = ${((100 * runs[2]!.rps) / runs[1]!.rps).toFixed(0)} % of the echo of its answer`,
  )
  const [bare, , max, paced] = runs as [Run, Run, Run, Run]
  emit({
    figure: 'resolve, max',
    target: '≥ 40 % of bare',
    measured: max.rps,
    unit: 'req/s',
    better: 'higher',
    baseline: bare.rps,
  })
  emit({
    figure: 'resolve at 2,000 req/s, p99',
    target: '< 15 ms',
    measured: paced.p99,
    unit: 'ms',
    better: 'lower',
  })
} finally {
  for (const child of children) child.kill()
}
