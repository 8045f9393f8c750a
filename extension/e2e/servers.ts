import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ServerType, serve } from '@hono/node-server'
import { createApp } from '../../api/src/app.ts'
import { hashPassword } from '../../api/src/auth/crypto.ts'
import type { Config } from '../../api/src/config.ts'
import { migrateToLatest, openDatabase } from '../../api/src/db/index.ts'
import { insertUser } from '../../api/src/users/queries.ts'
import { insertWorkspace } from '../../api/src/workspace/queries.ts'

export const PASSWORD = 'correct horse battery staple'

export interface ApiRequest {
  method: string
  path: string
  body: unknown
  status: number
}

/** The real API over a fresh in-memory PGlite database, with one workspace and one employee. */
export async function startApi() {
  const handle = await openDatabase({}) // in-memory PGlite
  await migrateToLatest(handle.db)
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
  await insertUser(handle.db, {
    workspace_id: workspace.id,
    email,
    role: 'employee',
    password_hash: await hashPassword(PASSWORD),
  })
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
          const response = await app.fetch(request)
          requests.push({ method: request.method, path: url.pathname, body, status: response.status })
          return response
        },
      },
      () => resolve(s),
    )
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    email,
    db: handle.db,
    workspaceId: workspace.id,
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
