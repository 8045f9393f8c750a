import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { createApp } from '../../api/src/app.ts'
import { hashPassword } from '../../api/src/auth/crypto.ts'
import { startSession } from '../../api/src/auth/service.ts'
import { pngImage } from '../../api/src/campaigns/test-images.ts'
import type { Config } from '../../api/src/config.ts'
import { type Db, migrateToLatest, openDatabase } from '../../api/src/db/index.ts'
import { insertUser } from '../../api/src/users/queries.ts'
import { insertWorkspace } from '../../api/src/workspace/queries.ts'

export const PASSWORD = 'correct horse battery staple'

export interface ApiRequest {
  method: string
  path: string
  body: unknown
  status: number
  /** Time the API took to answer, in milliseconds. */
  ms: number
}

/** The campaigns `seed` publishes, with the recipients each one targets. */
export const SEEDED = {
  webinar: { name: 'Webinar Q4', domain: 'acme.com', destination: 'https://mail.google.com/landing-webinar' },
  fair: { name: 'Trade fair', domain: 'initech.com', destination: 'https://mail.google.com/landing-fair' },
  /** A contact of acme.com who opted out of tracking: Webinar Q4, untracked. */
  optedOut: 'jane@acme.com',
} as const

/** Calls the API as the admin; fails loudly, so a broken setup is not mistaken for a broken extension. */
type Call = (method: string, path: string, body?: unknown) => Promise<any>

/**
 * What marketers set up before employees write email, done through the API itself: two account
 * target groups, a published receiver campaign with a banner for each, and an opted-out contact.
 */
async function seed(call: Call, upload: (path: string, bytes: Uint8Array<ArrayBuffer>) => Promise<void>) {
  const ids: Record<string, string> = {}
  for (const [key, campaign] of [
    ['webinar', SEEDED.webinar],
    ['fair', SEEDED.fair],
  ] as const) {
    const group = await call('POST', '/api/target-groups', { name: campaign.domain, kind: 'account' })
    await call('POST', `/api/target-groups/${group.id}/members/add`, { domains: [campaign.domain] })
    const created = await call('POST', '/api/campaigns', {
      name: campaign.name,
      kind: 'receiver',
      targetGroupIds: [group.id],
      destinationUrl: campaign.destination,
      altText: `${campaign.name} banner`,
    })
    await upload(
      `/api/campaigns/${created.id}/variants/${created.variants[0].id}/image`,
      new Uint8Array(pngImage(600, 100, key === 'webinar' ? 40 : 200)),
    )
    await call('PATCH', `/api/campaigns/${created.id}`, { draft: false })
    ids[key] = created.id
  }
  await call('POST', '/api/contacts', { email: SEEDED.optedOut, trackingOptOut: true })
  return { webinarId: ids.webinar!, fairId: ids.fair! }
}

export interface Database {
  db: Db
  close: () => Promise<void>
}

/** A migrated in-memory PGlite database, for runs outside vitest (the benchmark). */
async function freshDatabase(): Promise<Database> {
  const handle = await openDatabase({})
  await migrateToLatest(handle.db)
  return handle
}

/**
 * The real API over a fresh migrated database — `database` (the tests pass `openTestDatabase()`:
 * a copy of the suite's migrated template, PostgreSQL when DATABASE_URL is set) or an in-memory
 * PGlite — with one workspace, an employee (who signs in from the extension) and an admin;
 * `seed` adds the campaigns of `SEEDED`. Banner links point at this server, so clicks reach it.
 */
export async function startApi(options: { seed?: boolean; database?: Database } = {}) {
  const handle = options.database ?? (await freshDatabase())
  const config: Config = {
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: '/nonexistent',
    publicBaseUrl: 'http://127.0.0.1',
    secret: 'e2e-secret-e2e-secret-e2e-secret-0123456',
    trustProxy: false,
    tokenTtlDays: 30,
    demoData: false,
  }
  const workspace = await insertWorkspace(handle.db, 'Acme E2E')
  const email = 'employee@acme-e2e.test'
  const passwordHash = await hashPassword(PASSWORD)
  await insertUser(handle.db, {
    workspace_id: workspace.id,
    email,
    role: 'employee',
    password_hash: passwordHash,
  })
  const admin = await insertUser(handle.db, {
    workspace_id: workspace.id,
    email: 'admin@acme-e2e.test',
    role: 'admin',
    password_hash: passwordHash,
  })
  const adminToken = (await startSession(handle.db, config, workspace.id, admin.id, 'e2e')).token
  const app = createApp({ db: handle.db, config })
  const requests: ApiRequest[] = []
  const server: ServerType = await new Promise((resolve) => {
    const s = serve(
      {
        hostname: '127.0.0.1',
        port: 0,
        fetch: async (request: Request) => {
          const url = new URL(request.url)
          const body =
            request.method === 'GET'
              ? undefined
              : await request
                  .clone()
                  .json()
                  .catch(() => undefined)
          const started = performance.now()
          const response = await app.fetch(request)
          const ms = performance.now() - started
          requests.push({ method: request.method, path: url.pathname, body, status: response.status, ms })
          return response
        },
      },
      () => resolve(s),
    )
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Known only now that the server listens; read per request, so banners link here from now on.
  config.publicBaseUrl = url

  const send = async (method: string, path: string, init: { body?: BodyInit; type?: string }) => {
    const headers: Record<string, string> = { authorization: `Bearer ${adminToken}` }
    if (init.type) headers['content-type'] = init.type
    const response = await app.request(path, { method, headers, body: init.body })
    const body = response.status === 204 ? null : await response.json()
    if (!response.ok)
      throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(body)}`)
    return body
  }
  const call: Call = (method, path, json) =>
    send(method, path, json === undefined ? {} : { body: JSON.stringify(json), type: 'application/json' })
  const seeded = options.seed
    ? await seed(call, async (path, bytes) => {
        await send('PUT', path, { body: bytes, type: 'image/png' })
      })
    : undefined

  return {
    url,
    email,
    secret: config.secret,
    db: handle.db,
    workspaceId: workspace.id,
    /** The API as the workspace's admin. */
    call,
    seeded,
    requests,
    close: async () => {
      await new Promise((resolve) => server.close(resolve))
      await handle.close()
    },
  }
}

/** A self-signed certificate for the mail hosts, made with openssl for this run only. */
function certificate() {
  const dir = mkdtempSync(join(tmpdir(), 'signet-e2e-cert-'))
  const key = join(dir, 'key.pem')
  const cert = join(dir, 'cert.pem')
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=mail.google.com',
      '-addext',
      'subjectAltName=DNS:mail.google.com,DNS:outlook.office.com,DNS:outlook.office365.com,DNS:outlook.live.com',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'pipe' },
  )
  return { key: readFileSync(key), cert: readFileSync(cert) }
}

/** Serves `extension/fixtures/<name>.html` over HTTPS for whichever mail host the browser maps here. */
export async function startMailServer() {
  const fixtures = join(import.meta.dirname, '..', 'fixtures')
  const server: Server = createServer(certificate(), (request, response) => {
    const name = (request.url ?? '/').split('?')[0]!.replace(/^\//, '')
    if (name.startsWith('landing-')) {
      // Where the seeded campaigns' banners lead.
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<h1>Landing page</h1>')
      return
    }
    if (!/^[a-z0-9-]+\.html$/.test(name)) {
      response.writeHead(404).end('not found')
      return
    }
    try {
      const html = readFileSync(join(fixtures, name))
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html)
    } catch {
      response.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
