import type { Import, ImportProgress } from '@signet/shared'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiError, setupTestApp, type TestContext, type TestWorkspace } from '../../test/helpers.ts'
import { createApp } from '../app.ts'
import { ImportRuns } from './jobs.ts'
import { failInterruptedImports } from './queries.ts'

/**
 * Dry runs and applies as background jobs: 202 at once, progress on the import while the run
 * lasts, the report at the end; one run per import; runs a stop or a crash cut short are failed.
 * On PGlite the run's transaction holds the one session, so the token that started the run
 * follows it from the API process's memory; on PostgreSQL from the row, written every 500 ms.
 */
let t: TestContext
beforeAll(async () => {
  t = await setupTestApp()
})
afterAll(() => t.close())

const ROWS = 30_000
const csv = (rows: number, prefix: string) =>
  `email,first name\n${Array.from({ length: rows }, (_, i) => `${prefix}${i}@jobs-test.de,Row ${i}`).join('\n')}\n`

async function upload(w: TestWorkspace, body: string) {
  const res = await t.request('POST', '/api/imports?kind=contacts&fileName=big.csv', {
    token: w.marketer.token,
    body,
    headers: { 'content-type': 'text/csv' },
  })
  expect(res.status).toBe(201)
  return res.body as Import
}

const get = (w: TestWorkspace, id: string) =>
  t.request('GET', `/api/imports/${id}`, { token: w.marketer.token })

/** Polls the import as a dashboard does until the run has ended; every progress seen on the way. */
async function follow(w: TestWorkspace, id: string) {
  const seen: ImportProgress[] = []
  const until = Date.now() + 120_000
  for (;;) {
    const res = await get(w, id)
    expect(res.status).toBe(200)
    const job = res.body as Import
    if (job.status !== 'checking' && job.status !== 'applying') return { job, seen }
    seen.push(job.progress!)
    if (Date.now() > until) throw new Error(`the run of ${id} did not end`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const contactsOf = async (w: TestWorkspace) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from contact where workspace_id = ${w.id}`.execute(
      t.db,
    )
  ).rows[0]!.n

describe('POST /api/imports/:id/dry-run and /apply in the background', () => {
  it('answer 202 with the running import, report growing progress, and end with the report', async () => {
    const w = await t.addWorkspace('Progress')
    const file = csv(ROWS, 'p')
    const { id } = await upload(w, file)

    const started = await t.request('POST', `/api/imports/${id}/dry-run`, { token: w.marketer.token })
    expect(started.status).toBe(202)
    expect(started.body).toMatchObject({
      id,
      status: 'checking',
      error: null,
      progress: { run: 'check', phase: 'reading', rows: 0, totalIsEstimate: true, percent: 0 },
    })
    // Estimated from the file's size and its first lines (shorter here: smaller numbers).
    expect(Math.abs(started.body.progress.total - ROWS)).toBeLessThan(ROWS * 0.1)
    const dry = await follow(w, id)
    expect(dry.job.status).toBe('checked')
    expect(dry.job.report).toMatchObject({ dryRun: true, total: ROWS, new: ROWS, invalid: 0 })
    expect(dry.job.progress).toMatchObject({
      run: 'check',
      phase: 'finished',
      rows: ROWS,
      total: ROWS,
      totalIsEstimate: false,
      percent: 100,
    })
    expect(await contactsOf(w)).toBe(0)
    // What the poll saw while it ran: rows and percentage only ever grow, in more than one step,
    // and the percentage stays under 100 while the total is an estimate.
    const rows = dry.seen.map((p) => p.rows)
    const percent = dry.seen.map((p) => p.percent!)
    expect(rows).toEqual([...rows].sort((a, b) => a - b))
    expect(percent).toEqual([...percent].sort((a, b) => a - b))
    expect(new Set(rows).size, `rows seen: ${rows.join(', ')}`).toBeGreaterThan(1)
    const reading = dry.seen.filter((p) => p.phase === 'reading')
    expect(reading.every((p) => p.run === 'check' && p.totalIsEstimate && p.percent! <= 99)).toBe(true)

    const applying = await t.request('POST', `/api/imports/${id}/apply`, { token: w.marketer.token })
    expect(applying.status).toBe(202)
    expect(applying.body).toMatchObject({ status: 'applying', progress: { run: 'apply', rows: 0 } })
    // The last dry run's report stays readable while the apply runs.
    expect(applying.body.report).toEqual(dry.job.report)
    const applied = await follow(w, id)
    expect(applied.job).toMatchObject({
      status: 'applied',
      report: { dryRun: false, new: ROWS },
      progress: { run: 'apply', phase: 'finished', rows: ROWS, percent: 100 },
    })
    expect(applied.seen.length).toBeGreaterThan(0)
    expect(await contactsOf(w)).toBe(ROWS)

    const history = await t.request('GET', '/api/imports', { token: w.marketer.token })
    expect(history.body[0]).toMatchObject({ id, status: 'applied', progress: { phase: 'finished' } })
  }, 180_000)

  it('runs one run per import at a time: a second one gets 409 and changes nothing', async () => {
    const w = await t.addWorkspace('Busy')
    const { id } = await upload(w, csv(ROWS / 2, 'b'))
    const run = (step: string) => t.request('POST', `/api/imports/${id}/${step}`, { token: w.marketer.token })
    // Two applies at once: exactly one starts. PostgreSQL refuses the other while the first runs;
    // on PGlite (one session) the other's queries wait for the run's transaction, so it finds the
    // import applied.
    const [first, second] = await Promise.all([run('apply'), run('apply')])
    expect([first.status, second.status].sort()).toEqual([202, 409])
    const refused = (first.status === 409 ? first : second).body
    expect(refused).toEqual(
      apiError(
        'conflict',
        /^(This import is being applied; wait until it has finished\.|This import is applied\.)$/,
        'id',
      ),
    )
    const { job } = await follow(w, id)
    expect(job).toMatchObject({ status: 'applied', mode: 'add_update', report: { new: ROWS / 2 } })
    expect(await contactsOf(w)).toBe(ROWS / 2)
    expect((await run('apply')).body).toEqual(apiError('conflict', 'This import is applied.', 'id'))
  }, 180_000)

  it.each([
    ['checking', 'A dry run of this import is under way; wait until it has finished.'],
    ['applying', 'This import is being applied; wait until it has finished.'],
  ] as const)(
    'refuses to run or change an import while it is %s (in any API process)',
    async (status, message) => {
      const w = await t.addWorkspace(`Busy ${status}`)
      const { id } = await upload(w, 'email\nbusy@jobs-test.de\n')
      // The row as a run in another API process leaves it while it lasts.
      await t.db
        .updateTable('import_job')
        .set({ status })
        .where('id', '=', id as never)
        .execute()
      const before = (await get(w, id)).body
      for (const [method, path, json] of [
        ['POST', `/api/imports/${id}/dry-run`, undefined],
        ['POST', `/api/imports/${id}/apply`, undefined],
        ['POST', `/api/imports/${id}/apply?wait=true`, undefined],
        ['PATCH', `/api/imports/${id}`, { mode: 'add' }],
      ] as const) {
        const res = await t.request(method, path, { token: w.marketer.token, json })
        expect(res.status, `${method} ${path}`).toBe(409)
        expect(res.body).toEqual(apiError('conflict', message, 'id'))
      }
      expect((await get(w, id)).body).toEqual(before)
      expect(await contactsOf(w)).toBe(0)
    },
  )

  it('answers the report at the end with wait=true, and refuses a bad wait value', async () => {
    const w = await t.addWorkspace('Wait')
    const { id } = await upload(w, 'email\nwait@jobs-test.de\nnot-an-email\n')
    const bad = await t.request('POST', `/api/imports/${id}/dry-run?wait=soon`, { token: w.marketer.token })
    expect(bad.status).toBe(422)
    expect(bad.body).toEqual(apiError('validation_failed', 'Choose one of: true, false.', 'wait'))
    expect((await get(w, id)).body).toMatchObject({ status: 'uploaded', progress: null })
    const res = await t.request('POST', `/api/imports/${id}/dry-run?wait=true`, { token: w.marketer.token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ dryRun: true, total: 2, new: 1, invalid: 1 })
    expect((await get(w, id)).body).toMatchObject({ status: 'checked', report: res.body })
  })

  it('keeps a running import away from another workspace: 404, no progress, nothing stopped', async () => {
    const { id } = await upload(t.a, csv(ROWS / 2, 'iso'))
    expect((await t.request('POST', `/api/imports/${id}/apply`, { token: t.a.marketer.token })).status).toBe(
      202,
    )
    for (const [method, path, json] of [
      ['GET', `/api/imports/${id}`, undefined],
      ['POST', `/api/imports/${id}/dry-run`, undefined],
      ['POST', `/api/imports/${id}/apply?wait=true`, undefined],
      ['PATCH', `/api/imports/${id}`, { mode: 'add' }],
      ['POST', `/api/imports/${id}/undo`, undefined],
    ] as const) {
      const res = await t.request(method, path, { token: t.b.admin.token, json })
      expect(res.status, `${method} ${path}`).toBe(404)
      expect(res.body).toEqual(apiError('not_found', 'Import not found.'))
    }
    const listB = await t.request('GET', '/api/imports', { token: t.b.admin.token })
    expect(listB.body.map((i: Import) => i.id)).not.toContain(id)
    expect((await follow(t.a, id)).job).toMatchObject({ status: 'applied', report: { new: ROWS / 2 } })
  }, 180_000)
})

describe('runs cut short', () => {
  it('are stopped, rolled back and marked failed when the API shuts down; new runs wait for the restart', async () => {
    const importRuns = new ImportRuns()
    const app = createApp({ db: t.db, config: t.config, importRuns })
    const w = await t.addWorkspace('Shutdown')
    const call = async (method: string, path: string) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${w.marketer.token}` },
      })
      return { status: res.status, body: (await res.json()) as any }
    }
    const { id } = await upload(w, csv(ROWS * 2, 's'))
    expect((await call('POST', `/api/imports/${id}/apply`)).status).toBe(202)
    for (;;) {
      const { body } = await call('GET', `/api/imports/${id}`)
      if (body.progress.rows > 0) break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(await importRuns.stop()).toBe(0)
    const { body } = await call('GET', `/api/imports/${id}`)
    expect(body).toMatchObject({
      status: 'failed',
      error: 'The API was stopped during the run; nothing of it was written. Run it again.',
      progress: { run: 'apply', phase: 'finished' },
    })
    expect(body.progress.rows).toBeLessThan(ROWS * 2)
    expect(await contactsOf(w)).toBe(0)
    expect(await call('POST', `/api/imports/${id}/apply`)).toEqual({
      status: 503,
      body: apiError('unavailable', 'The API is shutting down; run the import again in a moment.'),
    })
    expect((await call('GET', `/api/imports/${id}`)).body.status).toBe('failed')
  }, 180_000)

  it('are marked failed at the next start, and can then be changed and run again', async () => {
    const w = await t.addWorkspace('Crashed')
    const { id } = await upload(w, 'email\ncrash@jobs-test.de\n')
    // What a crash leaves: a run's status with no process running it.
    await t.db
      .updateTable('import_job')
      .set({ status: 'checking' })
      .where('id', '=', id as never)
      .execute()
    expect((await t.request('POST', `/api/imports/${id}/apply`, { token: w.marketer.token })).status).toBe(
      409,
    )

    const failed = await failInterruptedImports(t.db)
    expect(failed.map((r) => r.id)).toContain(id)
    expect((await get(w, id)).body).toMatchObject({
      status: 'failed',
      error: 'The API stopped during the run; nothing of it was written. Run it again.',
    })
    const patched = await t.request('PATCH', `/api/imports/${id}`, {
      token: w.marketer.token,
      json: { mode: 'add' },
    })
    expect(patched.body).toMatchObject({ status: 'uploaded', mode: 'add', error: null })
    const applied = await t.request('POST', `/api/imports/${id}/apply?wait=true`, { token: w.marketer.token })
    expect(applied.body).toMatchObject({ new: 1 })
    expect(await contactsOf(w)).toBe(1)
  })
})
