import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApi } from '../../scripts/build-api.mjs'
import { type CheckedChunk, checkChunk } from './imports/rows.ts'

/**
 * `npm start` and the benchmarks run the API compiled by `scripts/build-api.mjs`, not through
 * tsx: the bundle must start, migrate, find what it reads beside its sources (the API reference's
 * assets) and import a file as the sources do, and its import worker must check rows alike.
 */
const root = new URL('../../', import.meta.url).pathname
// Each run builds into its own folder (the test files run in parallel with `npm start`'s build).
const outdir = join(root, `api/dist/test-${process.pid}`)
let dataDir = ''
let child: ChildProcess | undefined
let base = ''

beforeAll(async () => {
  const args = await buildApi(outdir)
  dataDir = await mkdtemp(join(tmpdir(), 'signet-compiled-'))
  const port = 20_000 + Math.floor(Math.random() * 10_000)
  child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', DATA_DIR: dataDir, PORT: String(port), DEMO_DATA: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('API listening')) resolve()
    }
    child!.stdout!.on('data', read)
    child!.stderr!.on('data', read)
    child!.once('exit', (code) => reject(new Error(`the compiled API exited with ${code}:\n${output}`)))
  })
  base = `http://127.0.0.1:${port}`
}, 60_000)

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  await rm(dataDir, { recursive: true, force: true })
  await rm(outdir, { recursive: true, force: true })
})

async function call(method: string, path: string, token?: string, body?: string, type = 'application/json') {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': type } : {}),
    },
    body,
  })
  return { status: response.status, body: await response.json().catch(() => undefined) }
}

describe('the compiled API', () => {
  it('starts on a fresh database, serves the API reference and imports a CSV file', async () => {
    expect((await call('GET', '/api/health')).body).toEqual({ status: 'ok', database: 'ok' })
    expect((await fetch(`${base}/api/docs/swagger-ui.css`)).status).toBe(200)
    const session = await call(
      'POST',
      '/api/auth/sign-up',
      undefined,
      JSON.stringify({
        workspaceName: 'Compiled',
        email: 'owner@compiled.example',
        password: 'correct horse battery',
      }),
    )
    expect(session.status).toBe(201)
    const token = session.body.token as string
    const csv =
      'E-Mail;Vorname;Telefon\nmax@firma.de;Max;030 1234567\nMAX@firma.de;Maxi;\nkeine-adresse;Erika;\n'
    const upload = await call('POST', '/api/imports?kind=contacts&fileName=c.csv', token, csv, 'text/csv')
    expect(upload.status).toBe(201)
    const report = await call('POST', `/api/imports/${upload.body.id}/apply?wait=true`, token)
    expect(report.body).toMatchObject({ total: 3, new: 1, invalid: 1, duplicates: 1 })
  })

  it('checks rows on its compiled worker as the main thread does', async () => {
    const worker = new Worker(
      `import(${JSON.stringify(pathToFileURL(join(outdir, 'check-worker.mjs')).href)})`,
      {
        eval: true,
      },
    )
    try {
      const mapping = ['email', 'firstName', 'phone']
      const records = [
        { line: 2, cells: ['Max Mustermann <MAX@Firma.DE>', '', '030 1234567'] },
        { line: 3, cells: ['keine-adresse', 'Erika', ''] },
      ]
      const answer = await new Promise<CheckedChunk>((resolve, reject) => {
        worker.on('message', (message: CheckedChunk | 'ready') => {
          if (message === 'ready') worker.postMessage({ kind: 'contacts', mapping, records })
          else resolve(message)
        })
        worker.once('error', reject)
      })
      expect(answer).toEqual(checkChunk('contacts', records, mapping))
      expect(answer.rows).toHaveLength(1)
    } finally {
      await worker.terminate()
    }
  })
})
