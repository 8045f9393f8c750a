import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase } from '../../api/test/helpers.ts'
import { type Harness, SCREENSHOTS, startHarness } from './harness.ts'

// A file big enough that its dry run and apply take seconds: the wizard follows them with a
// progress bar, the history shows the run under way, and the report comes at the end. The API
// runs as its own process, as `npm start` runs it (on PGlite unless DATABASE_URL is set): on
// PGlite a run keeps its process's thread busy, which would hold up this test's own calls to
// the browser if the API ran in here.
// Large enough that reading takes seconds even on a quiet machine, so the bar is seen moving.
const ROWS = 120_000
let h: Harness
let database: Awaited<ReturnType<typeof openTestDatabase>> | undefined
let child: ChildProcess | undefined
let base: string
let token: string

beforeAll(async () => {
  h = await startHarness()
  h.page.setDefaultTimeout(30_000)
  if (process.env.DATABASE_URL) database = await openTestDatabase()
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  child = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: {
      ...process.env,
      DATABASE_URL: database?.url ?? '',
      DATA_DIR: await mkdtemp(`${tmpdir()}/signet-imports-e2e-`),
      PORT: String(port),
      DEMO_DATA: 'false',
      SECRET: 'x'.repeat(32),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child!.stdout!.on('data', (d) => {
      if (String(d).includes('API listening')) resolve()
    })
    child!.on('exit', (code) => reject(new Error(`the API exited with ${code}`)))
  })
  base = `http://127.0.0.1:${port}`
  const signUp = await fetch(`${base}/api/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      workspaceName: 'Importers',
      email: 'lead@importers.test',
      password: 'a long password',
    }),
  })
  token = ((await signUp.json()) as { token: string }).token
  await h.page.goto(base)
  await h.page.evaluate((t) => localStorage.setItem('signet.token', t), token)
}, 120_000)

afterAll(async () => {
  child?.kill('SIGKILL')
  await h?.close()
  await database?.close()
})

const poll = <T>(fn: () => Promise<T> | T, timeout = 15_000) => expect.poll(fn, { timeout })
const go = async (route: string, at = base) => {
  await h.page.goto(`${at}/#${route}`)
  await h.page.reload()
}
/**
 * Uploads a small contacts file to the harness's own API as its marketer (whose database the test
 * can reach) and signs the page in as them; answers the import's id.
 */
async function uploadToHarness(fileName: string, body: string) {
  const own = h.a.marketer.token
  const upload = await fetch(`${h.baseUrl}/api/imports?kind=contacts&fileName=${fileName}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${own}`, 'content-type': 'text/csv' },
    body,
  })
  await h.page.goto(h.baseUrl)
  await h.page.evaluate((t) => localStorage.setItem('signet.token', t), own)
  return ((await upload.json()) as { id: string }).id
}
const api = async (path: string) =>
  (await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<any>

interface Sample {
  label: string
  /** The bar's value, or null while it is indeterminate. */
  value: number | null
}

/**
 * Watches the run's progress card until `ended` shows, and screenshots it once the bar has moved.
 * What the page showed is recorded in the page itself (every change, sampled every 50 ms), so
 * the record is what a marketer saw, whatever the test's own round trips to the browser take.
 */
async function watchRun(ended: () => Promise<boolean>, screenshot: string) {
  const { page } = h
  await page.evaluate(() => {
    const w = window as unknown as { samples: Sample[]; sampler: number }
    w.samples = []
    w.sampler = window.setInterval(() => {
      const bar = document.querySelector<HTMLProgressElement>('progress#run-progress')
      if (!bar) return
      const sample = {
        label: document.querySelector('label[for="run-progress"]')?.textContent ?? '',
        value: bar.hasAttribute('value') ? bar.value : null,
      }
      const last = w.samples.at(-1)
      if (last?.label !== sample.label || last?.value !== sample.value) w.samples.push(sample)
    }, 50)
  })
  await page.waitForFunction(
    () => {
      const bar = document.querySelector<HTMLProgressElement>('progress#run-progress')
      return !bar || (bar.hasAttribute('value') && bar.value > 0)
    },
    null,
    { timeout: 150_000, polling: 50 },
  )
  // The bar goes when the run ends, never to come back: there before and after, it is on the shot.
  const bar = page.locator('progress#run-progress')
  let shot = false
  if (await bar.isVisible()) {
    await h.screenshot(screenshot)
    shot = await bar.isVisible()
    if (!shot) await rm(`${SCREENSHOTS}${screenshot}.png`, { force: true })
  }
  await poll(ended, 150_000).toBe(true)
  const samples = await page.evaluate(() => {
    const w = window as unknown as { samples: Sample[]; sampler: number }
    clearInterval(w.sampler)
    return w.samples
  })
  return { samples, shot }
}

/** The rows read from "12,000 of about 40,000 rows read · 30 %". */
const rowsIn = (label: string) =>
  Number(/^([\d,.]+) of about [\d,.]+ rows read/.exec(label)?.[1]?.replace(/[,.]/g, '') ?? -1)

function expectProgress(samples: Sample[]) {
  const reading = samples.filter((s) => s.value !== null)
  const rows = reading.map((s) => rowsIn(s.label))
  expect(reading.length, JSON.stringify(samples)).toBeGreaterThan(0)
  // From the run's start (0 rows, 0 %) up, below 100 % while the total is an estimate.
  expect(rows.every((n) => n >= 0 && n <= ROWS)).toBe(true)
  expect(rows).toEqual([...rows].sort((a, b) => a - b))
  expect(reading.every((s) => s.value! >= 0 && s.value! < 100)).toBe(true)
  expect(
    reading.some((s) => s.value! > 0),
    JSON.stringify(samples),
  ).toBe(true)
  expect(reading.every((s) => s.label.endsWith(` · ${s.value} %`))).toBe(true)
  const writing = samples.findIndex((s) => s.value === null)
  if (writing !== -1) {
    expect(samples[writing]!.label).toBe(
      `All ${ROWS.toLocaleString('en-US')} rows read; matching and writing them…`,
    )
    expect(samples.slice(writing).every((s) => s.value === null)).toBe(true)
  }
}

describe('import a large CSV with a progress bar', () => {
  it('follows the dry run and the apply with a real progress bar, and lists the run in the history', async () => {
    const { page } = h
    await go('/imports/new?kind=contacts')
    await poll(() => page.getByRole('heading', { name: 'New import' }).isVisible()).toBe(true)
    const lines = ['E-Mail;Vorname;Nachname']
    for (let i = 0; i < ROWS; i++) lines.push(`person${i}@progress-e2e.de;Vor${i};Nach${i}`)
    await page.getByLabel('CSV file', { exact: true }).setInputFiles({
      name: 'gross.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${lines.join('\n')}\n`),
    })
    await page.getByRole('button', { name: 'Upload and preview' }).click()
    await poll(() => page.getByRole('heading', { name: /Import of contacts: gross.csv/ }).isVisible()).toBe(
      true,
    )

    await page.getByRole('button', { name: 'Check the file (dry run)' }).click()
    await poll(() => page.getByRole('heading', { name: 'Dry run under way' }).isVisible()).toBe(true)
    const { samples: dry, shot: dryShot } = await watchRun(
      () => page.getByRole('heading', { name: 'Dry run: what applying would do' }).isVisible(),
      'imports-01-dry-run-progress',
    )
    // The bar showed real figures: rows read of the estimate, the percentage on the bar, never
    // backwards, then the writing phase. (How often it moves depends on how fast the database
    // reads; api/src/imports/jobs.test.ts proves the figures grow.)
    expectProgress(dry)
    const count = (label: string) => page.locator(`[data-count="${label}"] strong`).textContent()
    expect(await count('New')).toBe(ROWS.toLocaleString('en-US'))
    expect((await api('/api/contacts')).total).toBe(0)
    await h.screenshot('imports-02-dry-run-report')

    await page.getByRole('button', { name: `Apply: ${ROWS} rows` }).click()
    await poll(() => page.getByRole('heading', { name: 'Apply under way' }).isVisible()).toBe(true)
    // The token that started the run follows it, on PGlite too (from the API process's memory).
    const id = /#\/imports\/([\w-]+)/.exec(page.url())![1]!
    expect(await api(`/api/imports/${id}`)).toMatchObject({ status: 'applying', progress: { run: 'apply' } })
    const { samples: applied, shot: applyShot } = await watchRun(
      () => page.getByRole('heading', { name: 'Result' }).isVisible(),
      'imports-03-apply-progress',
    )
    expectProgress(applied)
    // A run was still under way when its screenshot was taken (the shot comes once the bar has
    // moved; a fast database may end a dry run before it is done).
    expect(dryShot || applyShot).toBe(true)
    expect(await page.locator('[data-status]').first().textContent()).toBe('Applied')
    // Who uploaded it (the workspace's first user, without a name: their email) and when it was applied.
    const header = await page.locator('#import-title + p').textContent()
    expect(header).toContain('by lead@importers.test')
    expect(header).toContain('· applied ')
    expect(await count('New')).toBe(ROWS.toLocaleString('en-US'))
    expect((await api('/api/contacts')).total).toBe(ROWS)
    await h.screenshot('imports-04-applied')
  }, 240_000)

  it('shows a run under way in the import history, then its result', async () => {
    const { page } = h
    const [previous] = await api('/api/imports')
    // An update of every contact of the first import: another run of the same size.
    const lines = ['email,first name']
    for (let i = 0; i < ROWS; i++) lines.push(`person${i}@progress-e2e.de,Neu${i}`)
    const upload = await fetch(`${base}/api/imports?kind=contacts&fileName=update.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: `${lines.join('\n')}\n`,
    })
    const { id } = (await upload.json()) as { id: string }
    const started = await fetch(`${base}/api/imports/${id}/apply`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    })
    expect(started.status).toBe(202)
    await go('/imports')
    const row = page.locator('#main tr', { hasText: 'update.csv' })
    if (process.env.DATABASE_URL) {
      // PostgreSQL answers the list while the run lasts: the history shows it under way. (PGlite
      // is one session: its list waits for the run's transaction, and shows the end.)
      await poll(() => row.locator('[data-status]').textContent()).toBe('Applying')
      await poll(() => row.textContent()).toMatch(/Applying: [\d,]+ rows read \(\d+ %\)/)
      await h.screenshot('imports-05-history-running')
    }
    await poll(() => row.locator('[data-status]').textContent(), 150_000).toBe('Applied')
    expect(await row.textContent()).toContain(`0 new, ${ROWS} updated, 0 invalid`)
    expect(await page.locator('#main tr', { hasText: previous.fileName }).count()).toBe(1)
    await h.screenshot('imports-06-history-done')
  }, 240_000)

  it('shows why a dry run failed, and lets the marketer run it again', async () => {
    // The harness's API, in this process: its database is at hand to leave a failed run.
    const { page } = h
    const id = await uploadToHarness('small.csv', 'email\nsmall@progress-e2e.de\n')
    // What a dry run cut short by a stop of the API leaves (see api/src/imports/jobs.test.ts).
    await h.db
      .updateTable('import_job')
      .set({
        status: 'failed',
        error: 'The API was stopped during the run; nothing of it was written. Run it again.',
        progress: JSON.stringify({
          run: 'check',
          phase: 'finished',
          rows: 0,
          total: 1,
          totalIsEstimate: false,
          percent: 0,
          startedAt: new Date().toISOString(),
          updatedAt: new Date().toISOString(),
        }),
      })
      .where('id', '=', id as never)
      .execute()
    await go(`/imports/${id}`, h.baseUrl)
    await poll(() => page.locator('.notice').first().textContent()).toBe(
      'The dry run failed: The API was stopped during the run; nothing of it was written. Run it again.',
    )
    await h.screenshot('imports-07-dry-run-failed')
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click()
    await poll(() => page.getByRole('heading', { name: 'Dry run: what applying would do' }).isVisible()).toBe(
      true,
    )
    expect(await page.locator('.notice').count()).toBe(0)
  })

  it('reads the file again with the delimiter the marketer chooses', async () => {
    const { page } = h
    const id = await uploadToHarness('dialect.csv', 'E-Mail;Vorname\nmia@dialect-e2e.de;Mia\n')
    await go(`/imports/${id}`, h.baseUrl)
    const columns = () =>
      page.locator('tr[data-column]').evaluateAll((rows) => rows.map((r) => r.dataset.column))
    await poll(columns).toEqual(['E-Mail', 'Vorname'])
    await page.getByLabel('Columns separated by').selectOption({ label: 'Commas' })
    await poll(columns).toEqual(['E-Mail;Vorname'])
    expect(await page.getByLabel('Field for column E-Mail;Vorname').inputValue()).toBe('')
    await page.getByLabel('Columns separated by').selectOption({ label: 'Semicolons' })
    await poll(columns).toEqual(['E-Mail', 'Vorname'])
    expect(await page.getByLabel('Field for column E-Mail').inputValue()).toBe('email')
    expect(await page.getByLabel('Field for column Vorname').inputValue()).toBe('firstName')
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click()
    await poll(() => page.locator('[data-count="New"] strong').textContent()).toBe('1')
  })

  it('lets a file with a status column lift suppressions only when asked', async () => {
    const { page } = h
    const own = h.a.marketer.token
    const lift =
      'Let the file’s status and opt-out columns lift an unsubscribe, a blacklisting or an opt-out (otherwise they only add them)'
    const id = await uploadToHarness('statuses.csv', 'E-Mail;Vorname\nmia@lift-e2e.de;Mia\n')
    await go(`/imports/${id}`, h.baseUrl)
    await poll(() => page.getByLabel('Field for column Vorname').isVisible()).toBe(true)
    // Offered once a column feeds the status.
    expect(await page.getByLabel(lift).count()).toBe(0)
    await page.getByLabel('Field for column Vorname').selectOption('status')
    await page.getByLabel(lift).check()
    await page.getByRole('button', { name: 'Check the file (dry run)' }).click()
    await poll(() => page.locator('tr[data-line="2"]').textContent()).toContain(
      'Write active, not confirmed, unsubscribed, hard bounce, spam report or blacklisted.',
    )
    const res = await fetch(`${h.baseUrl}/api/imports/${id}`, { headers: { authorization: `Bearer ${own}` } })
    expect(await res.json()).toMatchObject({ liftSuppressions: true, mapping: ['email', 'status'] })
  })
})
