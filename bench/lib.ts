import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createWriteStream, readFileSync } from 'node:fs'
import { request } from 'node:http'
import { type AddressInfo, createServer } from 'node:net'
import { Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import pg from 'pg'
import type { Config } from '../api/src/config.ts'
import { buildApi } from '../scripts/build-api.mjs'

/** Helpers shared by the benchmark scripts: a real API process, a fresh database, timing. */

export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export function withDatabase(url: string, name: string) {
  const u = new URL(url)
  u.pathname = `/${name}`
  return u.toString()
}

/**
 * A scratch database named `prefix_<random>`; BENCH_DB_PREFIX=… replaces the prefix, so an
 * engineer's runs on a shared server carry a name of their own.
 */
export async function createDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const own = (process.env.BENCH_DB_PREFIX ?? '').replace(/[^a-z0-9_]/gi, '').toLowerCase()
  const name = `${own ? `${own}_${process.pid}` : prefix}_${randomBytes(3).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_URL })
  await admin.connect()
  await admin.query(`create database ${name}`)
  await admin.end()
  return {
    url: withDatabase(PG_URL, name),
    drop: async () => {
      const c = new pg.Client({ connectionString: PG_URL })
      await c.connect()
      await c.query(`drop database if exists ${name} with (force)`)
      await c.end()
    },
  }
}

export interface ApiProcess {
  url: string
  child: ChildProcess
  /** Peak resident memory of the API process so far, in MiB (VmHWM). */
  peakRssMiB: () => number
  stop: () => Promise<void>
}

let compiled: Promise<string[]> | undefined

/**
 * A port nothing listens on now, chosen by the system. A random pick could land in the
 * ephemeral range (32768–60999 here), where a client connection may already hold it.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      server.close(() => resolve(port))
    })
  })
}

/** An API process started as `npm start` starts it: compiled (`scripts/build-api.mjs`), once per run. */
export async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort()
  compiled ??= buildApi()
  const child = spawn(process.execPath, await compiled, {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, PORT: String(port), DEMO_DATA: 'false', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      if (String(d).includes('API listening')) resolve()
    })
    child.on('exit', (code) => reject(new Error(`API exited with ${code}`)))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    peakRssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8')
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024
    },
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}

/** One API call over node:http (no client-side time limit: a million-row apply takes a while). */
export async function api(
  base: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<any> {
  const all: Record<string, string> = { ...headers }
  if (token) all.authorization = `Bearer ${token}`
  let payload: Readable | string | undefined
  if (body instanceof Readable || typeof body === 'string') payload = body
  else if (body !== undefined) {
    all['content-type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers: all }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (d) => {
        text += d
      })
      res.on('end', () => {
        if ((res.statusCode ?? 500) >= 400) {
          reject(new Error(`${method} ${path} → ${res.statusCode}: ${text.slice(0, 300)}`))
          return
        }
        resolve(text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text)
      })
    })
    req.on('error', reject)
    if (payload instanceof Readable) payload.pipe(req)
    else req.end(payload)
  })
}

export async function signUp(base: string) {
  const session = await api(base, undefined, 'POST', '/api/auth/sign-up', {
    workspaceName: 'Bench',
    email: `bench-${randomBytes(3).toString('hex')}@bench.example`,
    password: 'benchmark password',
  })
  return session as { token: string; workspace: { id: string } }
}

export async function seconds<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now()
  const value = await fn()
  return [value, (performance.now() - start) / 1000]
}

export function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

/**
 * One measured figure, printed as a machine-readable line (`BENCH {json}`) that `bench/run-all.ts`
 * collects into the table of BENCHMARKS.md and compares in smoke mode. `baseline` is what the
 * figure is judged against in the same run (the bare endpoint, `psql \copy`), when there is one.
 */
export interface BenchFigure {
  figure: string
  target: string
  measured: number
  unit: string
  better: 'lower' | 'higher'
  baseline?: number
}

export const BENCH_PREFIX = 'BENCH '

export function emit(figure: BenchFigure) {
  console.log(`${BENCH_PREFIX}${JSON.stringify(figure)}`)
}

/** The API's configuration for the resolve benchmarks, over their seeded database. */
export function resolveBenchConfig(databaseUrl: string): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    dataDir: '/tmp',
    publicBaseUrl: 'https://signet.example',
    secret: 'bench-secret-bench-secret-bench-secret-0',
    trustProxy: false,
    tokenTtlDays: 1,
    demoData: false,
    // One token stands for many employees here; the per-token limit is for one person's extension.
    rateLimitApi: 0,
  }
}

/** A contacts CSV as Excel in Germany writes it: one line per `variant(i)` that is not null. */
export async function writeCsv(path: string, rows: number, variant: (i: number) => string | null) {
  const out = createWriteStream(path)
  out.write('E-Mail;Vorname;Nachname;Telefon;Firma\n')
  let chunk = ''
  for (let i = 0; i < rows; i++) {
    const line = variant(i)
    if (line !== null) chunk += `${line}\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()))
      chunk = ''
    }
  }
  out.end(chunk)
  await finished(out)
}
