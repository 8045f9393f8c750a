import { type SelectQueryBuilder, sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { Database } from '../db/schema.ts'

/**
 * Totals of lists and segments over a million targets: an exact `count(*)` can take longer than a
 * list may (the whole matching set is read). So a count gets a time budget; when it is not done
 * in time, the planner's estimate answers, flagged, while the exact count finishes in the
 * background and answers the same question for the next half minute — the next page, the
 * refresh — so a large total may lag changes by that much. Counts done within the budget are
 * never kept: small lists are always exact and current.
 */

export interface BoundedCount {
  count: number
  /** True when `count` is the planner's estimate, not an exact count. */
  estimated: boolean
}

const BUDGET_MS = 120
const FRESH_MS = 30_000
const MAX_ENTRIES = 1_000

interface Entry {
  exact: Promise<number>
  done?: number
  at: number
}

const caches = new WeakMap<Db, Map<string, Entry>>()

type Counted = SelectQueryBuilder<Database, any, any>

export async function countWithin(db: Db, query: Counted, budgetMs = BUDGET_MS): Promise<BoundedCount> {
  const counting = query.select(sql<number>`count(*)::int`.as('n'))
  const compiled = counting.compile()
  const key = `${compiled.sql}\n${JSON.stringify(compiled.parameters)}`
  let cache = caches.get(db)
  if (!cache) {
    cache = new Map()
    caches.set(db, cache)
  }
  let entry = cache.get(key)
  let started = false
  if (!entry || (entry.done !== undefined && Date.now() - entry.at >= FRESH_MS)) {
    started = true
    const fresh: Entry = { exact: counting.executeTakeFirstOrThrow().then((r) => r.n), at: Date.now() }
    fresh.exact.then(
      (n) => {
        fresh.done = n
        fresh.at = Date.now()
      },
      () => cache.delete(key),
    )
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!)
    cache.set(key, fresh)
    entry = fresh
  }
  if (entry.done !== undefined) return { count: entry.done, estimated: false }
  // A budget of 0 does not wait at all (the estimate path, on any database).
  const n = budgetMs > 0 ? await within(entry.exact, budgetMs) : undefined
  if (n !== undefined) {
    // Started and counted within this request's budget: not kept, so the next count sees every
    // change at once. A slow count that this request only joined stays for the next half minute.
    if (started && cache.get(key) === entry) cache.delete(key)
    return { count: n, estimated: false }
  }
  return { count: await estimate(db, query), estimated: true }
}

/** The promise's value if it settles within `ms`, else undefined. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let cancel = () => {}
  const late = new Promise<undefined>((resolve) => {
    const timer = setTimeout(resolve, ms, undefined)
    cancel = () => clearTimeout(timer)
  })
  return Promise.race([promise, late]).finally(cancel)
}

/** The planner's row estimate for the query, from `EXPLAIN`. */
async function estimate(db: Db, query: Counted): Promise<number> {
  const { rows } = await sql<{
    'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }]
  }>`explain (format json) ${query.select(sql`1`.as('one'))}`.execute(db)
  return Math.round(rows[0]!['QUERY PLAN'][0].Plan['Plan Rows'])
}
