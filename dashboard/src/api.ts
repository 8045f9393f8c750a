/** Where the bearer token lives: localStorage when served by the API, extension storage in the extension. */
export interface TokenStore {
  get(): string | null | Promise<string | null>
  set(token: string | null): void | Promise<void>
}

export function localStorageTokenStore(key = 'signet.token'): TokenStore {
  return {
    get: () => localStorage.getItem(key),
    set: (token) => (token ? localStorage.setItem(key, token) : localStorage.removeItem(key)),
  }
}

/** An answer of the API in its error shape `{ error: { code, message, field } }`, or a network failure. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message)
  }
}

export interface ApiClient {
  /** A Blob body (an uploaded file) is sent as it is, with its own type; anything else as JSON. */
  request<T>(method: string, path: string, body?: unknown): Promise<T>
  /** The absolute address of an API path: an image the API serves, the live feed (EventSource). */
  url(path: string): string
  get<T>(path: string): Promise<T>
  setToken(token: string | null): Promise<void>
  hasToken(): Promise<boolean>
  /** Called when the API says the session is gone (401), so the app can show sign-in. */
  onUnauthorized?: () => void
  /**
   * A request whose answer is not JSON (a CSV download), or whose body is a file with its own
   * type: the answer is returned as it is once it is a success, errors as for `request`.
   */
  raw(method: string, path: string, body?: { data: Blob | string; type: string }): Promise<Response>
}

export function createApiClient(baseUrl: string, tokenStore: TokenStore): ApiClient {
  const base = baseUrl.replace(/\/+$/, '')
  let token: string | null | undefined
  const currentToken = async () => {
    token ??= (await tokenStore.get()) ?? null
    return token
  }
  const client: ApiClient = {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json' }
      const bearer = await currentToken()
      if (bearer) headers.authorization = `Bearer ${bearer}`
      const raw = body instanceof Blob
      if (raw) headers['content-type'] = body.type || 'application/octet-stream'
      else if (body !== undefined) headers['content-type'] = 'application/json'
      let res: Response
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers,
          body: raw ? body : body === undefined ? undefined : JSON.stringify(body),
        })
      } catch {
        throw new ApiRequestError(
          0,
          'network',
          'Signet cannot be reached. Check your connection and try again.',
        )
      }
      if (res.status === 204) return undefined as T
      const data = (await res.json().catch(() => undefined)) as any
      if (!res.ok) {
        const error = data?.error
        if (res.status === 401 && bearer) client.onUnauthorized?.()
        throw new ApiRequestError(
          res.status,
          error?.code ?? 'internal',
          error?.message ?? `The server answered ${res.status}. Please try again.`,
          error?.field,
        )
      }
      return data as T
    },
    get: <T>(path: string) => client.request<T>('GET', path),
    url: (path) => `${base}${path}`,
    async setToken(next) {
      token = next
      await tokenStore.set(next)
    },
    hasToken: async () => (await currentToken()) !== null,
    async raw(method, path, body) {
      const headers: Record<string, string> = { accept: 'application/json' }
      const bearer = await currentToken()
      if (bearer) headers.authorization = `Bearer ${bearer}`
      if (body) headers['content-type'] = body.type
      let res: Response
      try {
        res = await fetch(`${base}${path}`, { method, headers, body: body?.data })
      } catch {
        throw new ApiRequestError(
          0,
          'network',
          'Signet cannot be reached. Check your connection and try again.',
        )
      }
      if (!res.ok) {
        const error = ((await res.json().catch(() => undefined)) as any)?.error
        if (res.status === 401 && bearer) client.onUnauthorized?.()
        throw new ApiRequestError(
          res.status,
          error?.code ?? 'internal',
          error?.message ?? `The server answered ${res.status}. Please try again.`,
          error?.field,
        )
      }
      return res
    },
  }
  return client
}
