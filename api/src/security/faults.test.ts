import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorkspace, openTestDatabase, testConfig } from '../../test/helpers.ts'
import { TcpProxy } from '../../test/tcp-proxy.ts'
import { createApp } from '../app.ts'
import { openDatabase } from '../db/index.ts'
import type { WorkspaceId } from '../db/schema.ts'

/**
 * Faults during an import, on PostgreSQL (CI's second run): the database going away in the middle
 * of an apply (a TCP proxy between the API and the shared server is cut and restored), the API
 * process killed with SIGKILL in the middle of a background apply, and stopped with SIGTERM in the
 * middle of one. Every time nothing of the import is visible afterwards, the import says it
 * failed, and applying it again imports every row.
 */
const ROWS = 20_000
const csv = `email,first name\n${Array.from({ length: ROWS }, (_, i) => `row${i}@fault.de,Row ${i}`).join('\n')}\n`
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

let database: Awaited<ReturnType<typeof openTestDatabase>>
beforeAll(async () => {
  if (process.env.DATABASE_URL) database = await openTestDatabase()
})
afterAll(() => database?.close())

async function contactsOf(workspaceId: WorkspaceId) {
  const { rows } = await sql<{
    n: number
  }>`select count(*)::int as n from contact where workspace_id = ${workspaceId}`.execute(database.db)
  return rows[0]!.n
}

async function importStatus(id: string) {
  const { rows } = await sql<{ status: string }>`select status from import_job where id = ${id}`.execute(
    database.db,
  )
  return rows[0]?.status
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const until = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await sleep(25)
  }
}

describe.runIf(process.env.DATABASE_URL)('faults during an import', () => {
  it('fails cleanly when PostgreSQL goes away during the apply, and applies fully when retried', async () => {
    const target = new URL(database.url!)
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432))
    await proxy.open()
    const viaProxy = await openDatabase({ databaseUrl: proxy.url(database.url!) })
    const config = testConfig({ dataDir: await mkdtemp(`${tmpdir()}/signet-fault-`) })
    const app = createApp({ db: viaProxy.db, config })
    const ws = await createWorkspace(database.db, config, 'Fault')
    const call = async (method: string, path: string, body?: string) => {
      const headers: Record<string, string> = { authorization: `Bearer ${ws.marketer.token}` }
      if (body) headers['content-type'] = 'text/csv'
      const res = await app.request(path, { method, headers, body })
      return { status: res.status, body: (await res.json()) as any }
    }
    try {
      const upload = await call('POST', '/api/imports?kind=contacts', csv)
      expect(upload.status).toBe(201)
      const id = upload.body.id as string

      // In one request (wait=true), so the request's own answer shows the outage.
      const applying = call('POST', `/api/imports/${id}/apply?wait=true`)
      await waitFor('the apply to start', async () => (await importStatus(id)) === 'applying')
      await sleep(200)
      proxy.cut()
      const failed = await applying
      expect(failed.status).toBe(503)
      expect(failed.body).toEqual({
        error: {
          code: 'unavailable',
          message: 'The database cannot be reached right now. Please try again in a moment.',
        },
      })
      expect(await contactsOf(ws.id)).toBe(0)

      await proxy.open()
      // The failure is recorded once the database answers again, so the import can be retried.
      await waitFor(
        'the import to be marked failed',
        async () => (await importStatus(id)) === 'failed',
        20_000,
      )
      const retried = await call('POST', `/api/imports/${id}/apply?wait=true`)
      expect(retried.status).toBe(200)
      expect(retried.body.new).toBe(ROWS)
      expect(await contactsOf(ws.id)).toBe(ROWS)
    } finally {
      proxy.cut()
      await viaProxy.close()
      await proxy.drained()
    }
  }, 120_000)

  it('shows no partial import after the API is killed with SIGKILL during a background apply, and applies fully after restart', async () => {
    const dataDir = await mkdtemp(`${tmpdir()}/signet-kill-`)
    const start = () => startApi({ DATABASE_URL: database.url!, DATA_DIR: dataDir })
    let api = await start()
    try {
      const ws = await createWorkspace(database.db, testConfig(), 'Killed')
      const call = apiCaller(() => api.url, ws.marketer.token)
      const upload = (await (await call('POST', '/api/imports?kind=contacts', csv)).json()) as { id: string }
      const applying = await call('POST', `/api/imports/${upload.id}/apply`)
      expect(applying.status).toBe(202)
      await waitFor('the apply to read rows', async () => (await progressOf(upload.id)).rows > 0)
      api.child.kill('SIGKILL')
      await api.exited
      expect(await contactsOf(ws.id)).toBe(0)

      api = await start()
      expect(await importStatus(upload.id)).toBe('failed')
      const failed = (await (await call('GET', `/api/imports/${upload.id}`)).json()) as any
      expect(failed).toMatchObject({
        status: 'failed',
        error: 'The API stopped during the run; nothing of it was written. Run it again.',
        progress: { run: 'apply', phase: 'reading', totalIsEstimate: true },
      })
      expect(await contactsOf(ws.id)).toBe(0)
      const retried = await call('POST', `/api/imports/${upload.id}/apply?wait=true`)
      expect(retried.status).toBe(200)
      expect(((await retried.json()) as { new: number }).new).toBe(ROWS)
      expect(await contactsOf(ws.id)).toBe(ROWS)
    } finally {
      api.child.kill('SIGKILL')
    }
  }, 180_000)

  it('stops a background apply on SIGTERM: rolled back, marked failed, the process exits cleanly', async () => {
    // Big enough that the reading phase is still under way when the signal comes.
    const rows = 150_000
    const big = `email,first name\n${Array.from({ length: rows }, (_, i) => `stop${i}@fault.de,Stop ${i}`).join('\n')}\n`
    const dataDir = await mkdtemp(`${tmpdir()}/signet-term-`)
    const api = await startApi({ DATABASE_URL: database.url!, DATA_DIR: dataDir })
    try {
      const ws = await createWorkspace(database.db, testConfig(), 'Stopped')
      const call = apiCaller(() => api.url, ws.marketer.token)
      const upload = (await (await call('POST', '/api/imports?kind=contacts', big)).json()) as { id: string }
      expect((await call('POST', `/api/imports/${upload.id}/apply`)).status).toBe(202)
      await waitFor('the apply to read rows', async () => (await progressOf(upload.id)).rows > 0)
      expect((await progressOf(upload.id)).phase).toBe('reading')
      api.child.kill('SIGTERM')
      expect(await api.exited).toBe(0)
      expect(api.output()).not.toContain('still busy')
      const { rows: after } = await sql<{
        status: string
        error: string
        progress: { phase: string; rows: number }
      }>`select status, error, progress from import_job where id = ${upload.id}`.execute(database.db)
      expect(after[0]).toMatchObject({
        status: 'failed',
        error: 'The API was stopped during the run; nothing of it was written. Run it again.',
        progress: { phase: 'finished' },
      })
      expect(after[0]!.progress.rows).toBeLessThan(rows)
      expect(await contactsOf(ws.id)).toBe(0)
    } finally {
      api.child.kill('SIGKILL')
    }
  }, 180_000)
})

async function progressOf(id: string) {
  const { rows } = await sql<{
    progress: { rows: number; phase: string } | null
  }>`select progress from import_job where id = ${id}`.execute(database.db)
  return rows[0]?.progress ?? { rows: 0, phase: 'none' }
}

function apiCaller(url: () => string, token: string) {
  return (method: string, path: string, body?: string) =>
    fetch(`${url()}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'text/csv' } : {}) },
      body,
    })
}

async function startApi(env: Record<string, string>) {
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: new URL('../../..', import.meta.url).pathname,
    env: { ...process.env, ...env, PORT: String(port), DEMO_DATA: 'false', SECRET: 'x'.repeat(32) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      output += d
      if (output.includes('API listening')) resolve()
    })
    child.stderr!.on('data', (d) => {
      output += d
    })
    child.on('exit', (code) => reject(new Error(`API exited with ${code}:\n${output}`)))
  })
  return { child, url: `http://127.0.0.1:${port}`, exited, output: () => output }
}
