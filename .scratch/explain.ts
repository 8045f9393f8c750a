import { sql } from 'kysely'
import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import { decompose, resolveRange } from '../api/src/stats/range.ts'

let captured: { sql: string; parameters: readonly unknown[] } | undefined
const db = new Kysely<any>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:5432/signet_statspeed_bench' }) }),
  log: (e) => {
    captured = e.query as never
  },
})
const handle = { close: () => db.destroy() }
const ws = (await sql<{ id: string }>`select id from workspace where name = 'Bench'`.execute(db)).rows[0]!.id
const range = resolveRange({ preset: (process.argv[2] ?? 'last_12_months') as never, tz: 'Europe/Berlin' })
const parts = decompose(range.from, range.to)
console.log(parts.map((p) => `${p.grain} ${p.from.toISOString()} ${p.to.toISOString()}`).join('\n'))
const { countUniques } = await import('../api/src/stats/unique-queries.ts')
const key = (process.argv[3] ?? 'contact') as 'account' | 'contact'
const subject = process.argv[4] ? { scope: 'employee' as const, id: process.argv[4] } : { scope: 'workspace' as const }
let t = performance.now()
console.log(await countUniques(db, ws as never, subject as never, key, parts), performance.now() - t)
t = performance.now()
await countUniques(db, ws as never, subject as never, key, parts)
console.log('again', performance.now() - t)
const q = captured!
const plan = await sql.raw(`explain (analyze, buffers) ${q.sql.replace(/\$(\d+)/g, (_, i) => {
  const v = q.parameters[Number(i) - 1]
  return typeof v === 'number' ? String(v) : `'${String(v)}'`
})}`).execute(db)
console.log((plan.rows as any[]).map((r) => r['QUERY PLAN']).join('\n'))
await handle.close()
