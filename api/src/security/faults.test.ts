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
 * of an apply (a TCP proxy between the API and the shared server is cut and restored), and the API
 * process killed with SIGKILL in the middle of one. Either way nothing of the import is visible
 * afterwards, and applying it again imports every row.
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

      const applying = call('POST', `/api/imports/${id}/apply`)
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
      const retried = await call('POST', `/api/imports/${id}/apply`)
      expect(retried.status).toBe(200)
      expect(retried.body.new).toBe(ROWS)
      expect(await contactsOf(ws.id)).toBe(ROWS)
    } finally {
      proxy.cut()
      await viaProxy.close()
      await proxy.drained()
    }
  }, 120_000)

  it('shows no partial import after the API is killed with SIGKILL during the apply, and applies fully after restart', async () => {
    const dataDir = await mkdtemp(`${tmpdir()}/signet-kill-`)
    const start = () => startApi({ DATABASE_URL: database.url!, DATA_DIR: dataDir })
    let api = await start()
    try {
      const ws = await createWorkspace(database.db, testConfig(), 'Killed')
      const call = (method: string, path: string, body?: string) =>
        fetch(`${api.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${ws.marketer.token}`,
            ...(body ? { 'content-type': 'text/csv' } : {}),
          },
          body,
        })
      const upload = (await (await call('POST', '/api/imports?kind=contacts', csv)).json()) as { id: string }
      const applying = call('POST', `/api/imports/${upload.id}/apply`).catch((error: Error) => error)
      await waitFor('the apply to start', async () => (await importStatus(upload.id)) === 'applying')
      await sleep(300)
      api.child.kill('SIGKILL')
      expect(await applying).toBeInstanceOf(Error)
      expect(await contactsOf(ws.id)).toBe(0)

      api = await start()
      expect(await importStatus(upload.id)).toBe('failed')
      expect(await contactsOf(ws.id)).toBe(0)
      const retried = await call('POST', `/api/imports/${upload.id}/apply`)
      expect(retried.status).toBe(200)
      expect(((await retried.json()) as { new: number }).new).toBe(ROWS)
      expect(await contactsOf(ws.id)).toBe(ROWS)
    } finally {
      api.child.kill('SIGKILL')
    }
  }, 180_000)
})

async function startApi(env: Record<string, string>) {
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'api/src/main.ts'], {
    cwd: new URL('../../..', import.meta.url).pathname,
    env: { ...process.env, ...env, PORT: String(port), DEMO_DATA: 'false', SECRET: 'x'.repeat(32) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
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
  return { child, url: `http://127.0.0.1:${port}` }
}
