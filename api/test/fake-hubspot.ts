import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A local HTTP server answering the HubSpot endpoints Signet calls, as HubSpot documents them:
 * `POST /crm/v3/lists/search` (offset paging, `hasMore`), `GET /crm/v3/lists/{listId}`
 * (`{ list }`), `GET /crm/v3/lists/{listId}/memberships` (sorted by record id, `limit` ≤ 250,
 * opaque `paging.next.after` cursor), `POST /crm/v3/objects/contacts/batch/read` (≤ 100 inputs,
 * 207 with `errors` for ids it does not have), bearer-token authentication (401
 * `INVALID_AUTHENTICATION`), and a rolling per-window request limit answered with 429,
 * `Retry-After` and the `RATE_LIMIT` body.
 */

export interface FakeContact {
  email?: string | null
  firstname?: string | null
  lastname?: string | null
  phone?: string | null
  company?: string | null
  jobtitle?: string | null
  hs_legal_basis?: string | null
  hs_email_optout?: 'true' | 'false' | null
}

interface FakeList {
  name: string
  objectTypeId: string
  processingType: string
  members: Set<string>
}

export interface LoggedRequest {
  method: string
  path: string
  query: URLSearchParams
  status: number
  at: number
  body: unknown
}

export interface FakeHubSpot {
  url: string
  token: string
  contacts: Map<string, FakeContact>
  lists: Map<string, FakeList>
  log: LoggedRequest[]
  /** At most `requests` per rolling `windowMs`, else 429 with Retry-After. */
  rateLimit: { requests: number; windowMs: number } | undefined
  /** Each answer waits this long (to make runs overlap in tests). */
  delayMs: number
  addContact(id: string, contact: FakeContact): void
  setList(listId: string, name: string, members: string[], objectTypeId?: string): void
  close(): Promise<void>
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers })
  res.end(JSON.stringify(body))
}

function problem(category: string, message: string, extra: Record<string, unknown> = {}) {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text ? JSON.parse(text) : undefined
}

const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0)

export async function startFakeHubSpot(token = 'pat-na1-fake-token-0001'): Promise<FakeHubSpot> {
  const recent: number[] = []
  const fake: FakeHubSpot = {
    url: '',
    token,
    contacts: new Map(),
    lists: new Map(),
    log: [],
    rateLimit: undefined,
    delayMs: 0,
    addContact(id, contact) {
      fake.contacts.set(id, contact)
    },
    setList(listId, name, members, objectTypeId = '0-1') {
      fake.lists.set(listId, { name, objectTypeId, processingType: 'MANUAL', members: new Set(members) })
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }

  const listJson = (listId: string, list: FakeList) => ({
    listId,
    listVersion: 1,
    name: list.name,
    objectTypeId: list.objectTypeId,
    processingStatus: 'COMPLETE',
    processingType: list.processingType,
    createdAt: '2026-01-05T09:00:00.000Z',
    updatedAt: '2026-01-05T09:00:00.000Z',
  })

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL, body: unknown) {
    const path = url.pathname
    if (req.method === 'POST' && path === '/crm/v3/lists/search') {
      const input = (body ?? {}) as { query?: string; count?: number; offset?: number; objectTypeId?: string }
      const count = input.count ?? 20
      if (count > 500) return send(res, 400, problem('VALIDATION_ERROR', 'count must be at most 500'))
      const offset = input.offset ?? 0
      const query = (input.query ?? '').toLowerCase()
      const all = [...fake.lists.entries()]
        .filter(([, l]) => !input.objectTypeId || l.objectTypeId === input.objectTypeId)
        .filter(([, l]) => l.name.toLowerCase().includes(query))
        .sort(([a], [b]) => compareIds(a, b))
      const page = all.slice(offset, offset + count)
      return send(res, 200, {
        lists: page.map(([id, l]) => ({
          ...listJson(id, l),
          additionalProperties: { hs_list_size: String(l.members.size) },
        })),
        hasMore: offset + count < all.length,
        offset: offset + page.length,
        total: all.length,
      })
    }
    const listMatch = /^\/crm\/v3\/lists\/([^/]+)(\/memberships)?$/.exec(path)
    if (req.method === 'GET' && listMatch) {
      const listId = decodeURIComponent(listMatch[1]!)
      const list = fake.lists.get(listId)
      if (!list) return send(res, 404, problem('OBJECT_NOT_FOUND', `List does not exist with id ${listId}.`))
      if (!listMatch[2])
        return send(res, 200, { list: { ...listJson(listId, list), size: list.members.size } })
      const limit = Number(url.searchParams.get('limit') ?? 100)
      if (!Number.isInteger(limit) || limit < 1 || limit > 250)
        return send(res, 400, problem('VALIDATION_ERROR', 'limit must be between 1 and 250'))
      const after = url.searchParams.get('after')
      const last = after ? Buffer.from(after, 'base64url').toString('utf8') : undefined
      const sorted = [...list.members].sort(compareIds)
      const start = last === undefined ? 0 : sorted.findIndex((id) => compareIds(id, last) > 0)
      const page = start < 0 ? [] : sorted.slice(start, start + limit)
      const more = start >= 0 && start + limit < sorted.length
      const next = Buffer.from(page.at(-1) ?? '').toString('base64url')
      return send(res, 200, {
        results: page.map((recordId) => ({ recordId, membershipTimestamp: '2026-01-05T09:00:00.000Z' })),
        ...(more
          ? { paging: { next: { after: next, link: `${fake.url}${path}?after=${next}&limit=${limit}` } } }
          : {}),
        total: sorted.length,
      })
    }
    if (req.method === 'POST' && path === '/crm/v3/objects/contacts/batch/read') {
      const input = (body ?? {}) as { inputs?: { id: string }[]; properties?: string[] }
      const inputs = input.inputs ?? []
      if (inputs.length > 100) {
        return send(
          res,
          400,
          problem('VALIDATION_ERROR', `Batch input limit exceeded: ${inputs.length} > 100.`),
        )
      }
      const now = new Date().toISOString()
      const found = inputs.filter((i) => fake.contacts.has(i.id))
      const missing = inputs.filter((i) => !fake.contacts.has(i.id)).map((i) => i.id)
      const results = found.map(({ id }) => {
        const stored = fake.contacts.get(id)!
        const properties: Record<string, string | null> = {
          hs_object_id: id,
          createdate: now,
          lastmodifieddate: now,
        }
        for (const name of input.properties ?? [])
          properties[name] = stored[name as keyof FakeContact] ?? null
        return { id, properties, createdAt: now, updatedAt: now, archived: false }
      })
      const base = { status: 'COMPLETE', results, startedAt: now, completedAt: now, requestedAt: now }
      if (!missing.length) return send(res, 200, base)
      return send(res, 207, {
        ...base,
        numErrors: 1,
        errors: [
          {
            status: 'error',
            category: 'OBJECT_NOT_FOUND',
            message:
              'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
            context: { ids: missing },
          },
        ],
      })
    }
    return send(res, 404, problem('OBJECT_NOT_FOUND', `No route for ${req.method} ${path}.`))
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const body = await readJson(req).catch(() => undefined)
    const entry: LoggedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.searchParams,
      status: 0,
      at: Date.now(),
      body,
    }
    fake.log.push(entry)
    const original = res.writeHead.bind(res)
    res.writeHead = ((status: number, ...rest: never[]) => {
      entry.status = status
      return original(status, ...rest)
    }) as typeof res.writeHead
    if (fake.delayMs) await new Promise((r) => setTimeout(r, fake.delayMs))
    if (req.headers.authorization !== `Bearer ${fake.token}`) {
      return send(
        res,
        401,
        problem(
          'INVALID_AUTHENTICATION',
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        ),
      )
    }
    if (fake.rateLimit) {
      const now = Date.now()
      while (recent.length && recent[0]! <= now - fake.rateLimit.windowMs) recent.shift()
      if (recent.length >= fake.rateLimit.requests) {
        const wait = recent[0]! + fake.rateLimit.windowMs - now
        return send(
          res,
          429,
          {
            status: 'error',
            message: 'You have reached your secondly limit.',
            errorType: 'RATE_LIMIT',
            correlationId: randomUUID(),
            policyName: 'SECONDLY',
          },
          { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) },
        )
      }
      recent.push(now)
    }
    await handle(req, res, url, body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}
