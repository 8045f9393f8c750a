/**
 * Statistics on a year of tracking: seeds 10,000,000 events (5M deliveries: 5M sent, 4.25M
 * views, 0.75M clicks, a fifth of views and clicks by machines) over the last 365 days into a
 * scratch PostgreSQL database, builds the rollups with the job's own code, times every
 * statistics call through the real API stack (`app.request`, auth included) and prints p50/p95,
 * then measures how far the rollups fall behind live traffic. A target group's first read builds
 * its own rollups and is timed apart.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:stats
 *
 * Env: BENCH_DELIVERIES (5000000), BENCH_RUNS (40), BENCH_LIVE_SECONDS (30), BENCH_LIVE_RATE
 * (events/s, 2000), BENCH_DB_NAME (signet_bench_stats), BENCH_KEEP=1 keeps the database (and
 * reuses it on the next run).
 */
import { sql } from 'kysely'
import pg from 'pg'
import { createApp } from '../api/src/app.ts'
import { startSession } from '../api/src/auth/service.ts'
import { migrateToLatest, openDatabase } from '../api/src/db/index.ts'
import { deleteGroupRollups } from '../api/src/stats/group-queries.ts'
import { groupBuilds } from '../api/src/stats/groups.ts'
import { RollupJob, rebuildRollups, refreshRollups } from '../api/src/stats/rollup.ts'
import { queueLag } from '../api/src/stats/rollup-queries.ts'
import { insertTrackingEvents } from '../api/src/tracking/queries.ts'
import { emit } from './lib.ts'
import { testConfig, withDatabase } from './targets-config.ts'

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const DELIVERIES = Number(process.env.BENCH_DELIVERIES ?? 5_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 40)
const LIVE_SECONDS = Number(process.env.BENCH_LIVE_SECONDS ?? 30)
const LIVE_RATE = Number(process.env.BENCH_LIVE_RATE ?? 2_000)
const KEEP = process.env.BENCH_KEEP === '1'
const NAME = process.env.BENCH_DB_NAME ?? 'signet_bench_stats'

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`

async function seed(db: Awaited<ReturnType<typeof openDatabase>>['db'], workspaceId: string) {
  let started = Date.now()
  await sql`insert into app_user (workspace_id, email, role, first_name, last_name)
    select ${workspaceId}::uuid, 'employee' || i || '@bench.test', 'employee', 'Employee', i::text
    from generate_series(1, 300) i`.execute(db)
  const image = await sql<{
    id: string
  }>`insert into banner_image (workspace_id, sha256, content_type, width, height, byte_size, bytes)
    values (${workspaceId}::uuid, 'x', 'image/png', 1, 1, 1, '\\x00') returning id`.execute(db)
  await sql`insert into campaign (workspace_id, name, kind, destination_url, is_draft)
    select ${workspaceId}::uuid, 'Campaign ' || i, 'receiver', 'https://bench.test/' || i, false
    from generate_series(1, 40) i`.execute(db)
  await sql`insert into campaign_variant (workspace_id, campaign_id, name, image_id, alt_text)
    select ${workspaceId}::uuid, c.id, v, ${image.rows[0]!.id}::uuid, 'Banner'
    from campaign c, unnest(array['A', 'B']) v where c.workspace_id = ${workspaceId}::uuid`.execute(db)
  await sql`insert into account (workspace_id, domain, name)
    select ${workspaceId}::uuid, 'company' || i || '.com', 'Company ' || i from generate_series(1, 5000) i`.execute(
    db,
  )
  await sql`insert into contact (workspace_id, email, domain, account_id)
    select ${workspaceId}::uuid, 'person' || i || '@company' || (1 + i % 5000) || '.com', 'company' || (1 + i % 5000) || '.com', a.id
    from generate_series(1, 40000) i join account a on a.domain = 'company' || (1 + i % 5000) || '.com'
      and a.workspace_id = ${workspaceId}::uuid`.execute(db)
  const group = await sql<{ id: string }>`insert into target_group (workspace_id, name, kind)
    values (${workspaceId}::uuid, 'Key accounts', 'account') returning id`.execute(db)
  await sql`insert into target_group_account (group_id, account_id)
    select ${group.rows[0]!.id}::uuid, id from account where workspace_id = ${workspaceId}::uuid order by domain limit 500`.execute(
    db,
  )
  console.log(`targets and campaigns: ${seconds(started)}`)

  // Deliveries spread over the last year; about four campaigns run at a time. 70 % go to an
  // account (half of those to a known contact too), the rest to unmanaged domains (leads).
  started = Date.now()
  await sql`insert into delivery (workspace_id, campaign_id, variant_id, employee_id, account_ids, contact_ids,
      lead_domains, created_at, sent_at)
    with c as (select array_agg(id order by name) as ids from campaign where workspace_id = ${workspaceId}::uuid),
      v as (select array_agg(id order by campaign_id, name) as ids from campaign_variant where workspace_id = ${workspaceId}::uuid),
      e as (select array_agg(id order by email) as ids from app_user where workspace_id = ${workspaceId}::uuid and role = 'employee'),
      a as (select array_agg(id order by domain) as ids from account where workspace_id = ${workspaceId}::uuid),
      k as (select array_agg(id order by email) as ids from contact where workspace_id = ${workspaceId}::uuid),
      g as (select i, (hashint4(i) & 2147483647) as h, now() - interval '365 days' + (i::float8 / ${DELIVERIES}) * interval '365 days' as at,
        (i * 36 / ${DELIVERIES} + i % 4) % 40 as camp from generate_series(1, ${DELIVERIES}::int) i)
    select ${workspaceId}::uuid, c.ids[1 + g.camp], v.ids[1 + g.camp * 2 + g.i % 2], e.ids[1 + g.h % 300],
      case when g.h % 10 < 7 then array[a.ids[1 + (g.h / 10) % 5000]] else '{}' end,
      case when g.h % 10 < 7 and g.h % 2 = 0 then array[k.ids[1 + (g.h / 20) % 40000]] else '{}' end,
      case when g.h % 10 >= 7 then array['lead' || (g.h / 10) % 20000 || '.com'] else '{}' end,
      g.at, g.at + interval '1 minute'
    from g, c, v, e, a, k`.execute(db)
  console.log(`${DELIVERIES.toLocaleString('en')} deliveries: ${seconds(started)}`)

  started = Date.now()
  // The bulk rebuild below counts every event; queueing ten million first would only cost time.
  await sql`alter table tracking_event disable trigger tracking_event_stats_enqueue`.execute(db)
  const events = (kind: string, filter: string, offset: string, machineShare: number) =>
    sql`insert into tracking_event (workspace_id, delivery_id, campaign_id, variant_id, employee_id, kind,
        occurred_at, human, machine_reason)
      select d.workspace_id, d.id, d.campaign_id, d.variant_id, d.employee_id, ${kind},
        d.sent_at + ${sql.raw(`interval '${offset}'`)},
        h % 100 >= ${machineShare}, case when h % 100 < ${machineShare} then 'scanner_network:microsoft' end
      from (select d.*, (hashint8(extract(epoch from d.created_at)::bigint) & 2147483647) as h, row_number() over () as n
        from delivery d where d.workspace_id = ${workspaceId}::uuid) d
      where ${sql.raw(filter)}`.execute(db)
  await events('sent', 'true', '0 seconds', 0)
  await events('view', 'n % 20 < 17', '2 hours', 20)
  await events('click', 'n % 20 < 3', '3 hours', 20)
  await sql`alter table tracking_event enable trigger tracking_event_stats_enqueue`.execute(db)
  const count = await sql<{ n: string }>`select count(*) as n from tracking_event`.execute(db)
  console.log(`${Number(count.rows[0]!.n).toLocaleString('en')} events: ${seconds(started)}`)
  await sql`vacuum analyze`.execute(db)

  started = Date.now()
  await rebuildRollups(db)
  const rows = await sql<{ n: string }>`select count(*) as n from stats_rollup`.execute(db)
  console.log(
    `rollups rebuilt in bulk: ${seconds(started)}, ${Number(rows.rows[0]!.n).toLocaleString('en')} rows`,
  )
  await sql`vacuum analyze`.execute(db)

  // A backlog for the job: 100,000 events of the last hour, as after an outage of the job.
  await sql`insert into tracking_event (workspace_id, delivery_id, campaign_id, variant_id, employee_id, kind,
      occurred_at, human)
    select workspace_id, id, campaign_id, variant_id, employee_id, 'view', now() - random() * interval '1 hour', true
    from delivery where workspace_id = ${workspaceId}::uuid order by created_at desc limit 100000`.execute(db)
  started = Date.now()
  const caught = await refreshRollups(db)
  console.log(
    `job catching up: ${caught.events.toLocaleString('en')} queued events in ${seconds(started)} (${Math.round(
      caught.events / ((Date.now() - started) / 1000),
    ).toLocaleString('en')} events/s)`,
  )
}

async function main() {
  const admin = new pg.Client({ connectionString: url })
  await admin.connect()
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [NAME])).rowCount
  const reuse = KEEP && exists
  if (!reuse) {
    await admin.query(`drop database if exists ${NAME} with (force)`)
    await admin.query(`create database ${NAME}`)
  }
  const handle = await openDatabase({ databaseUrl: withDatabase(url, NAME) })
  const db = handle.db
  try {
    await migrateToLatest(db)
    const config = testConfig()
    let workspace = await db
      .selectFrom('workspace')
      .select('id')
      .where('name', '=', 'Bench')
      .executeTakeFirst()
    if (!workspace) {
      workspace = await db
        .insertInto('workspace')
        .values({ name: 'Bench', tracking_tier: 'identified' })
        .returning('id')
        .executeTakeFirstOrThrow()
      await seed(db, workspace.id)
    }
    const ws = workspace.id
    // A reused database may hold events the last run's job left queued.
    if (reuse) await refreshRollups(db)
    // What autovacuum does soon after the job's catch-up (migration stats_autovacuum): the
    // visibility map follows the updated buckets, so the reads below stay index-only.
    await sql`vacuum analyze stats_rollup, stats_reach`.execute(db)
    const marketer =
      (await db
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'marketer@bench.test')
        .executeTakeFirst()) ??
      (await db
        .insertInto('app_user')
        .values({ workspace_id: ws, email: 'marketer@bench.test', role: 'marketer', password_hash: null })
        .returning('id')
        .executeTakeFirstOrThrow())
    const { token } = await startSession(db, config, ws, marketer.id, 'bench')
    const app = createApp({ db, config })

    const pick = async (query: string) =>
      (await sql<{ id: string }>`${sql.raw(query)}`.execute(db)).rows.map((r) => r.id)
    const campaigns = await pick(`select id from campaign where workspace_id = '${ws}'`)
    const variants = await pick(`select id from campaign_variant where workspace_id = '${ws}'`)
    const accounts = await pick(
      `select id from account where workspace_id = '${ws}' order by random() limit 100`,
    )
    const contacts = await pick(
      `select id from contact where workspace_id = '${ws}' order by random() limit 100`,
    )
    const employees = await pick(`select id from app_user where workspace_id = '${ws}' and role = 'employee'`)
    const groups = await pick(`select id from target_group where workspace_id = '${ws}'`)
    const any = (ids: string[]) => ids[Math.floor(Math.random() * ids.length)]!
    const presets = ['last_30_days', 'last_90_days', 'last_12_months', 'this_month', 'last_7_days']
    const range = () => `preset=${any(presets)}&tz=Europe/Berlin`

    const calls: [string, () => string][] = [
      ['workspace overview', () => `/api/stats?${range()}`],
      ['workspace, last 12 months', () => '/api/stats?preset=last_12_months&tz=Europe/Berlin'],
      ['top accounts (workspace)', () => `/api/stats/breakdown?by=accounts&${range()}`],
      ['top campaigns (workspace)', () => `/api/stats/breakdown?by=campaigns&${range()}`],
      ['top employees (workspace)', () => `/api/stats/breakdown?by=employees&${range()}`],
      ['campaign', () => `/api/stats?scope=campaign&id=${any(campaigns)}&${range()}`],
      [
        'top accounts of a campaign',
        () => `/api/stats/breakdown?by=accounts&scope=campaign&id=${any(campaigns)}&${range()}`,
      ],
      [
        'variants of a campaign',
        () => `/api/stats/breakdown?by=variants&scope=campaign&id=${any(campaigns)}&${range()}`,
      ],
      ['variant', () => `/api/stats?scope=variant&id=${any(variants)}&${range()}`],
      ['employee', () => `/api/stats?scope=employee&id=${any(employees)}&${range()}`],
      ['account', () => `/api/stats?scope=account&id=${any(accounts)}&${range()}`],
      [
        'campaigns of an account',
        () => `/api/stats/breakdown?by=campaigns&scope=account&id=${any(accounts)}&${range()}`,
      ],
      ['last clicks of an account', () => `/api/stats/last-clicks?scope=account&id=${any(accounts)}`],
      ['contact', () => `/api/stats?scope=contact&id=${any(contacts)}&${range()}`],
      ['target group (500 accounts)', () => `/api/stats?scope=target_group&id=${any(groups)}&${range()}`],
      ['machine events (first page)', () => `/api/stats/events?${range()}`],
      ['account leads (first page)', () => '/api/leads/accounts'],
      ['performance feed (first page)', () => '/api/activity/feed'],
      ['contact activity', () => `/api/activity/contacts/${any(contacts)}`],
    ]
    const size = await sql<{ table: string; rows: string; mb: number }>`
      select relname as table, n_live_tup::text as rows, pg_total_relation_size(relid) / 1048576 as mb
      from pg_stat_user_tables where relname in ('stats_rollup', 'stats_reach', 'stats_ordinal') order by relname`.execute(
      db,
    )
    for (const r of size.rows)
      console.log(`${r.table}: ~${Number(r.rows).toLocaleString('en')} rows, ${r.mb} MB`)

    // A group's own rollups are built in the background after its first read (and again after
    // members leave); that read sums the members' rows. Timed from scratch, also on a reused database.
    for (const id of groups) {
      await deleteGroupRollups(db, ws as never, [id])
      let started = Date.now()
      const res = await app.request(
        `/api/stats?scope=target_group&id=${id}&preset=last_30_days&tz=Europe/Berlin`,
        {
          headers: { authorization: `Bearer ${token}` },
        },
      )
      if (res.status !== 200) throw new Error(`target group: ${res.status}`)
      console.log(`target group: first read (members' rows): ${seconds(started)}`)
      started = Date.now()
      await groupBuilds()
      console.log(`target group: its own rollups built in the background: ${seconds(started)} more`)
    }
    console.log(`\n${RUNS} runs each (random ids and presets, Europe/Berlin), in ms:`)
    console.log('call | p50 | p95')
    for (const [name, path] of calls) {
      const times: number[] = []
      for (let i = 0; i < RUNS + 3; i++) {
        const started = performance.now()
        const res = await app.request(path(), { headers: { authorization: `Bearer ${token}` } })
        await res.arrayBuffer()
        if (res.status !== 200) throw new Error(`${name}: ${res.status}`)
        if (i >= 3) times.push(performance.now() - started)
      }
      times.sort((a, b) => a - b)
      console.log(`${name} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 95).toFixed(1)}`)
      emit({
        figure: `statistics: ${name}, p95`,
        target: '< 50 ms',
        measured: percentile(times, 95),
        unit: 'ms',
        better: 'lower',
      })
    }

    // Live traffic: events written the way the recorder writes them, the job running as in main.ts.
    const deliveries = (
      await sql<{ id: string; campaign_id: string; variant_id: string; employee_id: string }>`
        select id, campaign_id, variant_id, employee_id from delivery where workspace_id = ${ws}::uuid
        order by created_at desc limit 5000`.execute(db)
    ).rows
    const job = new RollupJob(db).start()
    const lags: number[] = []
    const perTick = Math.round(LIVE_RATE / 5)
    const liveStarted = Date.now()
    let written = 0
    while (Date.now() - liveStarted < LIVE_SECONDS * 1000) {
      const tick = Date.now()
      const batch = Array.from({ length: perTick }, (_, i) => {
        const d = deliveries[(written + i) % deliveries.length]!
        return {
          workspace_id: ws,
          delivery_id: d.id,
          campaign_id: d.campaign_id,
          variant_id: d.variant_id,
          employee_id: d.employee_id,
          kind: 'click' as const,
          occurred_at: new Date(),
          human: true,
        }
      }) as Parameters<typeof insertTrackingEvents>[1]
      await insertTrackingEvents(db, batch)
      written += perTick
      if (written % LIVE_RATE < perTick) lags.push((await queueLag(db)).seconds ?? 0)
      await new Promise((r) => setTimeout(r, Math.max(0, 200 - (Date.now() - tick))))
    }
    await job.stop()
    lags.sort((a, b) => a - b)
    console.log(
      `\nlive: ${written.toLocaleString('en')} events at ${LIVE_RATE}/s for ${LIVE_SECONDS} s with the job every 2 s; ` +
        `rollup lag p50 ${percentile(lags, 50).toFixed(1)} s, p95 ${percentile(lags, 95).toFixed(1)} s, max ${lags.at(-1)!.toFixed(1)} s`,
    )
    emit({
      figure: 'statistics: rollup lag, max',
      target: '< 60 s',
      measured: lags.at(-1)!,
      unit: 's',
      better: 'lower',
    })
  } finally {
    await handle.close()
    if (!KEEP) await admin.query(`drop database if exists ${NAME} with (force)`)
    await admin.end()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
