/**
 * The HubSpot REST calls a list synchronisation needs (v3 Lists and CRM objects), with
 * HubSpot's paging, its batch limit, and back-off on 429 as its usage guidelines ask.
 */

/** HubSpot's object type id of contacts. */
const CONTACTS = '0-1'
/** The most ids `POST /crm/v3/objects/contacts/batch/read` takes. */
export const BATCH_READ_LIMIT = 100
/** The most memberships one page of `GET /crm/v3/lists/{listId}/memberships` returns. */
const MEMBERSHIP_PAGE = 250
/**
 * `hs_legal_basis`: HubSpot's "legal basis for processing contact's data" (GDPR), `;`-separated;
 * `hs_email_optout`: "Unsubscribed from all email", `true` or `false`.
 */
const PROPERTIES = [
  'email',
  'firstname',
  'lastname',
  'phone',
  'company',
  'jobtitle',
  'hs_legal_basis',
  'hs_email_optout',
] as const
const REQUEST_TIMEOUT_MS = 30_000
const MAX_ATTEMPTS = 6
/** A Retry-After longer than this (HubSpot's daily limit) fails the run instead of stalling it. */
const MAX_WAIT_MS = 60_000

export type HubSpotProblem = 'auth' | 'not_found' | 'rate_limited' | 'unavailable' | 'rejected'

export class HubSpotError extends Error {
  constructor(
    readonly problem: HubSpotProblem,
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

export interface HubSpotList {
  listId: string
  name: string
  size: number | null
  processingType: string
}

export interface HubSpotContact {
  id: string
  email: string
  firstName: string
  lastName: string
  phone: string
  company: string
  jobTitle: string
  /** The legal bases HubSpot records for processing the contact's data, as HubSpot writes them. */
  legalBasis: string
  /** Unsubscribed from all email in HubSpot. */
  unsubscribed: boolean
}

export interface HubSpotOptions {
  baseUrl: string
  token: string
  signal?: AbortSignal
  /** Attempts per request (429, 5xx, network); a marketer waiting on a form wants an answer soon. */
  maxAttempts?: number
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer)
        reject(signal.reason)
      },
      { once: true },
    )
  })

/** Retry-After in seconds (HubSpot's form) or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.ceil(Number(header) * 1000)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  try {
    const body = JSON.parse(text) as { message?: unknown }
    if (typeof body.message === 'string' && body.message) return body.message.slice(0, 300)
  } catch {
    // not JSON: the status line says enough
  }
  return `HTTP ${response.status}`
}

export function hubspotClient(options: HubSpotOptions) {
  const base = options.baseUrl.replace(/\/+$/, '')
  const attempts = options.maxAttempts ?? MAX_ATTEMPTS

  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let lastProblem = ''
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const backoff = Math.min(1000 * 2 ** (attempt - 1), 16_000)
      let response: Response
      try {
        const signals = [AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])]
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${options.token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.any(signals),
          redirect: 'error',
        })
      } catch (error) {
        if (options.signal?.aborted) throw error
        lastProblem = `HubSpot could not be reached at ${base}: ${(error as Error).message}`
        if (attempt < attempts) await sleep(backoff, options.signal)
        continue
      }
      if (response.ok) return (await response.json()) as T
      if (response.status === 401) {
        throw new HubSpotError(
          'auth',
          `HubSpot refused the access token (${await errorMessage(response)}). Connect again with a valid private-app token.`,
          401,
        )
      }
      if (response.status === 403) {
        throw new HubSpotError(
          'auth',
          `HubSpot denied access (${await errorMessage(response)}). The private app needs the scopes crm.lists.read and crm.objects.contacts.read.`,
          403,
        )
      }
      if (response.status === 404) throw new HubSpotError('not_found', await errorMessage(response), 404)
      if (response.status === 429) {
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? backoff
        lastProblem = `HubSpot's rate limit was reached (${await errorMessage(response)}).`
        if (wait > MAX_WAIT_MS) throw new HubSpotError('rate_limited', lastProblem, 429)
        if (attempt < attempts) await sleep(wait, options.signal)
        continue
      }
      if (response.status >= 500) {
        lastProblem = `HubSpot answered ${response.status} (${await errorMessage(response)}).`
        if (attempt < attempts) await sleep(backoff, options.signal)
        continue
      }
      throw new HubSpotError(
        'rejected',
        `HubSpot rejected ${method} ${path.split('?')[0]}: ${await errorMessage(response)}`,
        response.status,
      )
    }
    throw new HubSpotError(lastProblem.includes('rate limit') ? 'rate_limited' : 'unavailable', lastProblem)
  }

  return {
    /** Contact lists whose name contains `query` (all of them for an empty query), up to `max`. */
    async searchContactLists(query: string, max = 1000): Promise<HubSpotList[]> {
      const lists: HubSpotList[] = []
      let offset = 0
      for (;;) {
        const page = await request<{
          lists: {
            listId: string
            name: string
            objectTypeId: string
            processingType: string
            additionalProperties?: Record<string, string>
          }[]
          hasMore: boolean
          offset: number
        }>('POST', '/crm/v3/lists/search', {
          query,
          count: 100,
          offset,
          objectTypeId: CONTACTS,
          additionalProperties: ['hs_list_size'],
        })
        for (const list of page.lists) {
          if (list.objectTypeId !== CONTACTS) continue
          const size = list.additionalProperties?.hs_list_size
          lists.push({
            listId: String(list.listId),
            name: list.name,
            size: size === undefined ? null : Number(size),
            processingType: list.processingType,
          })
        }
        if (!page.hasMore || lists.length >= max || page.offset <= offset) return lists.slice(0, max)
        offset = page.offset
      }
    },

    /** One list's definition; a list of other objects than contacts is refused. */
    async getContactList(listId: string): Promise<HubSpotList> {
      const { list } = await request<{
        list: { listId: string; name: string; objectTypeId: string; processingType: string; size?: number }
      }>('GET', `/crm/v3/lists/${encodeURIComponent(listId)}`)
      if (list.objectTypeId !== CONTACTS) {
        throw new HubSpotError('rejected', `The HubSpot list "${list.name}" is not a list of contacts.`)
      }
      return {
        listId: String(list.listId),
        name: list.name,
        size: list.size ?? null,
        processingType: list.processingType,
      }
    },

    /** The record ids of a list's members, page by page (HubSpot's `after` cursor). */
    async *memberIds(listId: string): AsyncGenerator<string[]> {
      let after: string | undefined
      do {
        const query = new URLSearchParams({ limit: String(MEMBERSHIP_PAGE) })
        if (after) query.set('after', after)
        const page = await request<{
          results: { recordId: string }[]
          paging?: { next?: { after?: string } }
        }>('GET', `/crm/v3/lists/${encodeURIComponent(listId)}/memberships?${query}`)
        yield page.results.map((r) => String(r.recordId))
        after = page.paging?.next?.after
      } while (after)
    },

    /** Up to 100 contacts by id, with the properties Signet keeps; ids HubSpot no longer has are left out. */
    async readContacts(ids: string[]): Promise<HubSpotContact[]> {
      if (ids.length > BATCH_READ_LIMIT) throw new Error(`At most ${BATCH_READ_LIMIT} ids per batch read.`)
      if (ids.length === 0) return []
      const page = await request<{ results: { id: string; properties: Record<string, string | null> }[] }>(
        'POST',
        '/crm/v3/objects/contacts/batch/read',
        { inputs: ids.map((id) => ({ id })), properties: PROPERTIES, propertiesWithHistory: [] },
      )
      return page.results.map(({ id, properties: p }) => ({
        id: String(id),
        email: p.email ?? '',
        firstName: p.firstname ?? '',
        lastName: p.lastname ?? '',
        phone: p.phone ?? '',
        company: p.company ?? '',
        jobTitle: p.jobtitle ?? '',
        legalBasis: p.hs_legal_basis ?? '',
        unsubscribed: p.hs_email_optout === 'true',
      }))
    },
  }
}

export type HubSpotClient = ReturnType<typeof hubspotClient>
