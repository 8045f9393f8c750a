import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { PGlite } from '@electric-sql/pglite'
import type { Role } from '@signet/shared'
import pg from 'pg'
import { expect, inject } from 'vitest'
import { createApp } from '../src/app.ts'
import { hashPassword } from '../src/auth/crypto.ts'
import { startSession } from '../src/auth/service.ts'
import type { Config } from '../src/config.ts'
import { type Db, openDatabase, pg_trgm } from '../src/db/index.ts'
import type { UserId, WorkspaceId } from '../src/db/schema.ts'
import { stopDeliveries } from '../src/resolve/deliveries.ts'
import { stopTracking } from '../src/tracking/service.ts'
import { insertUser } from '../src/users/queries.ts'
import { insertWorkspace } from '../src/workspace/queries.ts'
import { withDatabase } from './global-setup.ts'

export const PASSWORD = 'correct horse battery staple'

export interface TestUser {
  id: UserId
  email: string
  role: Role
  token: string
}

export interface TestWorkspace {
  id: WorkspaceId
  admin: TestUser
  marketer: TestUser
  employee: TestUser
}

export interface TestContext {
  app: ReturnType<typeof createApp>
  db: Db
  config: Config
  /** Two workspaces with an admin, a marketer and an employee each, all signed in. */
  a: TestWorkspace
  b: TestWorkspace
  request: (method: string, path: string, options?: RequestOptions) => Promise<TestResponse>
  addWorkspace: (name: string) => Promise<TestWorkspace>
  close: () => Promise<void>
}

export interface RequestOptions {
  token?: string
  json?: unknown
  body?: BodyInit
  headers?: Record<string, string>
}

export interface TestResponse {
  status: number
  headers: Headers
  body: any
  text: string
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: `${tmpdir()}/signet-test-data-${process.pid}`,
    publicBaseUrl: 'https://signet.test',
    secret: 'test-secret-test-secret-test-secret-0123',
    trustProxy: true,
    tokenTtlDays: 30,
    demoData: false,
    ...overrides,
  }
}

/** A fresh migrated database for this test file: PostgreSQL when DATABASE_URL is set, else PGlite. */
export async function openTestDatabase() {
  const url = process.env.DATABASE_URL
  if (url) {
    const name = `signet_t_${process.ppid}_${randomBytes(4).toString('hex')}`
    const admin = new pg.Client({ connectionString: url })
    await admin.connect()
    await admin.query(`create database ${name} template ${inject('templateDatabase')}`)
    const handle = await openDatabase({ databaseUrl: withDatabase(url, name) })
    return {
      ...handle,
      url: withDatabase(url, name),
      close: async () => {
        await handle.close()
        await admin.query(`drop database if exists ${name} with (force)`)
        await admin.end()
      },
    }
  }
  const dump = new Blob([await readFile(inject('pgliteDump'))])
  const pglite = await PGlite.create({ loadDataDir: dump, extensions: { pg_trgm } })
  return { ...(await openDatabase({ pglite })), url: undefined }
}

let passwordHash: Promise<string> | undefined

/** Creates a workspace with one signed-in user of each role. */
export async function createWorkspace(db: Db, config: Config, name: string): Promise<TestWorkspace> {
  passwordHash ??= hashPassword(PASSWORD)
  const hash = await passwordHash
  const workspace = await insertWorkspace(db, name)
  const slug = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(3).toString('hex')}`
  const user = async (role: Role): Promise<TestUser> => {
    const email = `${role}@${slug}.test`
    const row = await insertUser(db, { workspace_id: workspace.id, email, role, password_hash: hash })
    const session = await startSession(db, config, workspace.id, row.id, 'vitest')
    return { id: row.id, email, role, token: session.token }
  }
  return {
    id: workspace.id,
    admin: await user('admin'),
    marketer: await user('marketer'),
    employee: await user('employee'),
  }
}

/** The app over a fresh database with two workspaces, A and B. Call in `beforeAll`. */
export async function setupTestApp(overrides: Partial<Config> = {}): Promise<TestContext> {
  const database = await openTestDatabase()
  const config = testConfig(overrides)
  const app = createApp({ db: database.db, config })
  const request = async (
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<TestResponse> => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.token) headers.authorization = `Bearer ${options.token}`
    let body = options.body
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json'
      body = JSON.stringify(options.json)
    }
    const res = await app.request(path, { method, headers, body })
    const text = await res.text()
    let parsed: unknown = text
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text)
    return { status: res.status, headers: res.headers, body: parsed, text }
  }
  return {
    app,
    db: database.db,
    config,
    a: await createWorkspace(database.db, config, 'Workspace A'),
    b: await createWorkspace(database.db, config, 'Workspace B'),
    request,
    addWorkspace: (name) => createWorkspace(database.db, config, name),
    close: async () => {
      // As on shutdown: buffered rows are written (or given up on) before the database closes.
      await Promise.all([stopDeliveries(database.db, 1000), stopTracking(database.db, 1000)])
      await database.close()
    },
  }
}

/** The error body every 4xx/5xx carries. */
export function apiError(code: string, message: string | RegExp, field?: string) {
  return {
    error: {
      code,
      message: typeof message === 'string' ? message : expect.stringMatching(message),
      ...(field === undefined ? {} : { field }),
    },
  }
}
