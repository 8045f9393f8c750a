/**
 * Lists, search and segment counts on a large workspace: seeds 1,000,000 contacts and 100,000
 * accounts into a scratch PostgreSQL database, then times first pages through the real API stack
 * (`app.request`, auth included) and prints p50/p95 per request.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:targets
 *
 * Env: BENCH_CONTACTS (1000000), BENCH_ACCOUNTS (100000), BENCH_RUNS (30), BENCH_KEEP=1 keeps the database.
 */
import { sql } from 'kysely'
import pg from 'pg'
import { createApp } from '../api/src/app.ts'
import { startSession } from '../api/src/auth/service.ts'
import { migrateToLatest, openDatabase } from '../api/src/db/index.ts'
import { insertUser } from '../api/src/users/queries.ts'
import { insertWorkspace } from '../api/src/workspace/queries.ts'
import { emit } from './lib.ts'
import { testConfig, withDatabase } from './targets-config.ts'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 1_000_000)
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 100_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 30)
const NAME = 'signet_bench_targets'

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function main() {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  await admin.query(`drop database if exists ${NAME} with (force)`)
  await admin.query(`create database ${NAME}`)
  const handle = await openDatabase({ databaseUrl: withDatabase(url, NAME) })
  const db = handle.db
  try {
    await migrateToLatest(db)
    const config = testConfig()
    const workspace = await insertWorkspace(db, 'Bench')
    const other = await insertWorkspace(db, 'Other tenant')
    const user = await insertUser(db, {
      workspace_id: workspace.id,
      email: 'marketer@bench.test',
      role: 'marketer',
      password_hash: null,
    })
    const { token } = await startSession(db, config, workspace.id, user.id, 'bench')

    let started = Date.now()
    await sql`insert into account (workspace_id, domain, name, industry, custom_fields, created_at, updated_at)
      select ${workspace.id}::uuid, 'company' || i || '.com', 'Company ' || i,
        (array['Steel', 'Food', 'Software', 'Retail', 'Health'])[1 + i % 5],
        jsonb_build_object('seats', i % 500),
        now() - (i || ' minutes')::interval, now() - (i || ' minutes')::interval
      from generate_series(1, ${ACCOUNTS}::int) i`.execute(db)
    // Contacts: 1 in 10 without an account (other domains), a spread of statuses and labels.
    await sql`insert into contact (workspace_id, email, domain, account_id, first_name, last_name, phone,
        company, labels, status, custom_fields, created_at, updated_at)
      select ${workspace.id}::uuid, 'person' || s.i || '@' || s.domain, s.domain, a.id,
        (array['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hans'])[1 + s.i % 8],
        'Lastname' || (s.i % 50000),
        case when s.i % 3 = 0 then '+4930' || (1000000 + s.i) else null end,
        null,
        case when s.i % 7 = 0 then array['vip'] when s.i % 7 = 1 then array['fair', 'newsletter'] else '{}' end,
        (array['active', 'active', 'active', 'active', 'not_confirmed', 'unsubscribed', 'hard_bounce', 'spam_report', 'blacklisted'])[1 + s.i % 9],
        jsonb_build_object('score', s.i % 100),
        now() - (s.i || ' seconds')::interval, now() - (s.i || ' seconds')::interval
      from (
        select i, case when i % 10 = 0 then 'mail' || (i % 5000) || '.net'
          else 'company' || (1 + i % ${ACCOUNTS}::int) || '.com' end as domain
        from generate_series(1, ${CONTACTS}::int) i
      ) s
      left join account a on a.workspace_id = ${workspace.id}::uuid and a.domain = s.domain`.execute(db)
    // A second tenant, so every query has to filter by workspace.
    await sql`insert into contact (workspace_id, email, domain) select ${other.id}::uuid, 'x' || i || '@other.com', 'other.com'
      from generate_series(1, 50000) i`.execute(db)
    await sql`analyze`.execute(db)
    console.log(
      `seeded ${CONTACTS} contacts and ${ACCOUNTS} accounts in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    )

    const app = createApp({ db, config })
    const request = async (method: string, path: string, json?: unknown) => {
      const res = await app.request(path, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(json ? { 'content-type': 'application/json' } : {}),
        },
        body: json ? JSON.stringify(json) : undefined,
      })
      if (res.status !== 200) throw new Error(`${method} ${path} → ${res.status} ${await res.text()}`)
      return res.json()
    }
    const segment = (conditions: unknown[]) => ({ type: 'group', combinator: 'and', conditions })
    const filterParam = (conditions: unknown[]) => encodeURIComponent(JSON.stringify(segment(conditions)))
    const vipSteel = [
      { type: 'labels', op: 'any', values: ['vip'] },
      { type: 'account_field', field: 'industry', op: 'equals', value: 'steel' },
    ]
    const cases: Array<[string, string, string, unknown?]> = [
      ['contacts, newest first', 'GET', '/api/contacts?limit=50'],
      ['contacts, by name', 'GET', '/api/contacts?sort=name&order=asc&limit=50'],
      ['contacts, page 2 (cursor)', 'GET', 'CURSOR'],
      [
        'contacts, status + label filter',
        'GET',
        '/api/contacts?status=unsubscribed,blacklisted&label=vip&limit=50',
      ],
      ['contacts, search email fragment', 'GET', '/api/contacts?q=person12345@&limit=50'],
      ['contacts, search name', 'GET', '/api/contacts?q=lastname4242&limit=50'],
      ['contacts, search phone', 'GET', '/api/contacts?q=%2B49301012345&limit=50'],
      ['contacts, search domain', 'GET', '/api/contacts?q=company777.com&limit=50'],
      ['contacts, smart-search filter', 'GET', `/api/contacts?limit=50&filter=${filterParam(vipSteel)}`],
      ['accounts, newest first', 'GET', '/api/accounts?limit=50'],
      ['accounts, search', 'GET', '/api/accounts?q=company4242&limit=50'],
      [
        'segment count: label + account field',
        'POST',
        '/api/segments/count',
        { kind: 'contact', filter: segment(vipSteel) },
      ],
      [
        'segment count: custom field > 90',
        'POST',
        '/api/segments/count',
        {
          kind: 'contact',
          filter: segment([{ type: 'custom_field', key: 'score', op: 'greater_than', value: 90 }]),
        },
      ],
      [
        'segment count: status in',
        'POST',
        '/api/segments/count',
        { kind: 'contact', filter: segment([{ type: 'status', values: ['active'] }]) },
      ],
    ]
    const first = (await request('GET', '/api/contacts?limit=50')) as { nextCursor: string; total: number }
    console.log(`\nfirst page total: ${first.total} contacts; ${RUNS} runs each after 3 warm-ups\n`)
    console.log('| request | p50 ms | p95 ms | total |')
    console.log('|---|---:|---:|---:|')
    for (const [label, method, rawPath, json] of cases) {
      const path = rawPath === 'CURSOR' ? `/api/contacts?limit=50&cursor=${first.nextCursor}` : rawPath
      let last: { total?: number; count?: number } = {}
      for (let i = 0; i < 3; i++) last = (await request(method, path, json)) as typeof last
      const times: number[] = []
      for (let i = 0; i < RUNS; i++) {
        started = performance.now()
        await request(method, path, json)
        times.push(performance.now() - started)
      }
      times.sort((a, b) => a - b)
      const total = last.total ?? last.count
      console.log(
        `| ${label} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)} | ${total} |`,
      )
      emit({
        figure: `${label}, p95`,
        target: '< 200 ms',
        measured: percentile(times, 95),
        unit: 'ms',
        better: 'lower',
      })
    }
  } finally {
    await handle.close()
    if (!process.env.BENCH_KEEP) await admin.query(`drop database if exists ${NAME}`)
    await admin.end()
  }
}

await main()
