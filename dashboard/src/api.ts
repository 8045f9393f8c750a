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
  request<T>(method: string, path: string, body?: unknown): Promise<T>
  get<T>(path: string): Promise<T>
  /** The absolute address of an API path, for what cannot go through `request` (EventSource). */
  url(path: string): string
  setToken(token: string | null): Promise<void>
  hasToken(): Promise<boolean>
  /** Called when the API says the session is gone (401), so the app can show sign-in. */
  onUnauthorized?: () => void
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
      if (body !== undefined) headers['content-type'] = 'application/json'
      let res: Response
      try {
        res = await fetch(`${base}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
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
    url: (path: string) => `${base}${path}`,
    async setToken(next) {
      token = next
      await tokenStore.set(next)
    },
    hasToken: async () => (await currentToken()) !== null,
  }
  return client
}
