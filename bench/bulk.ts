/**
 * Bulk actions on a large workspace: seeds contacts into a scratch PostgreSQL database, then
 * times `POST /api/contacts/bulk` through the real API stack (`app.request`, auth included):
 * 1,000 ticked ids, and every match of a filter (half the contacts, at most 100,000). The
 * baseline is what the dashboard did before: one `PATCH /api/contacts/:id` per ticked row, four at
 * a time — measured in the same run.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:bulk
 *
 * Env: BENCH_CONTACTS (200000; the filter matches half), BENCH_KEEP=1 keeps the database.
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
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 200_000)
const IDS = Math.min(1000, CONTACTS / 4)
const NAME = 'signet_dash_bench_bulk'

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
    const started = Date.now()
    // Every second contact is labelled "fair": the filter the "every match" actions use.
    await sql`insert into contact (workspace_id, email, domain, first_name, last_name, labels, status, created_at, updated_at)
      select ${workspace.id}::uuid, 'person' || i || '@company' || (i % 20000) || '.com',
        'company' || (i % 20000) || '.com', 'Anna', 'Lastname' || i,
        case when i % 2 = 0 then array['fair'] else '{}' end,
        (array['active', 'active', 'active', 'not_confirmed', 'blacklisted'])[1 + i % 5],
        now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval
      from generate_series(1, ${CONTACTS}::int) i`.execute(db)
    await sql`insert into contact (workspace_id, email, domain, labels) select ${other.id}::uuid, 'x' || i || '@other.com', 'other.com', array['fair']
      from generate_series(1, 50000) i`.execute(db)
    await sql`analyze`.execute(db)
    console.log(`seeded ${CONTACTS} contacts in ${((Date.now() - started) / 1000).toFixed(0)} s`)

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
      return res.json() as Promise<any>
    }
    const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
      const t = performance.now()
      const value = await fn()
      return [value, performance.now() - t]
    }
    const created = await app.request('/api/target-groups', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Fair', kind: 'contact' }),
    })
    const group = (await created.json()) as { id: string }

    // The ticked rows: two pages of the list are 400; a marketer who ticks 1,000 loaded five.
    const ticked: { id: string; labels: string[] }[] = []
    let cursor: string | null = null
    while (ticked.length < IDS) {
      const page: { items: { id: string; labels: string[] }[]; nextCursor: string | null } = await request(
        'GET',
        `/api/contacts?limit=200&label=fair${cursor ? `&cursor=${cursor}` : ''}`,
      )
      ticked.push(...page.items)
      cursor = page.nextCursor
    }
    const ids = ticked.slice(0, IDS).map((c) => c.id)

    const rows: [string, number, string][] = []
    const figure = (label: string, ms: number, target: string, baseline?: number) => {
      rows.push([label, ms, target])
      emit({ figure: label, target, measured: ms, unit: 'ms', better: 'lower', baseline })
    }

    // Before: one PATCH per row, four at a time (what the dashboard's bulk label did).
    const [, perRow] = await timed(async () => {
      const queue = ticked.slice(0, IDS)
      const worker = async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          await request('PATCH', `/api/contacts/${c.id}`, { labels: [...c.labels, 'before'] })
        }
      }
      await Promise.all([worker(), worker(), worker(), worker()])
    })
    figure(`label ${IDS} ticked contacts, one PATCH each (before)`, perRow, '—')
    const [labelled, bulkLabel] = await timed(() =>
      request('POST', '/api/contacts/bulk', { action: 'add-label', label: 'after', ids }),
    )
    if (labelled.changed !== IDS) throw new Error(`labelled ${labelled.changed}`)
    figure(`label ${IDS} ticked contacts, one bulk request`, bulkLabel, '< 1,000 ms', perRow)
    const [, addIds] = await timed(() =>
      request('POST', '/api/contacts/bulk', { action: 'add-to-group', targetGroupId: group.id, ids }),
    )
    figure(`add ${IDS} ticked contacts to a group`, addIds, '< 1,000 ms')
    const [, unsubscribeIds] = await timed(() =>
      request('POST', '/api/contacts/bulk', { action: 'unsubscribe', ids }),
    )
    figure(`unsubscribe ${IDS} ticked contacts (with history)`, unsubscribeIds, '< 1,000 ms')

    const matching = { label: 'fair' }
    const n = CONTACTS / 2
    for (const [label, action] of [
      [`add every match (${n}) to a group`, { action: 'add-to-group', targetGroupId: group.id }],
      [`label every match (${n})`, { action: 'add-label', label: 'fair-2026' }],
      [`blacklist every match (${n}, with history)`, { action: 'blacklist' }],
      [`delete every match (${n})`, { action: 'delete', reason: 'bench' }],
    ] as const) {
      const [result, ms] = await timed(() => request('POST', '/api/contacts/bulk', { ...action, matching }))
      if (result.matched !== n) throw new Error(`${label}: matched ${result.matched}`)
      figure(label, ms, '< 10,000 ms')
    }

    console.log('\n| action | ms | target |')
    console.log('|---|---:|---|')
    for (const [label, ms, target] of rows) console.log(`| ${label} | ${ms.toFixed(0)} | ${target} |`)
  } finally {
    await handle.close()
    if (!process.env.BENCH_KEEP) await admin.query(`drop database if exists ${NAME}`)
    await admin.end()
  }
}

await main()
