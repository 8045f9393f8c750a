import { type ApiClient, ApiRequestError } from '@signet/dashboard'
import type { Send } from '../../features/feature.ts'
import type { DashboardRequest, DashboardResponse } from '../../lib/messages.ts'

type ErrorBody = { error?: { code?: string; message?: string; field?: string } } | null

/** Runtime messages carry JSON only, so a file (a banner upload) travels as base64. */
async function encodeFile(file: Blob): Promise<NonNullable<DashboardRequest['file']>> {
  const bytes = new Uint8Array(await file.arrayBuffer())
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return { type: file.type || 'application/octet-stream', base64: btoa(binary) }
}

/**
 * The dashboard's API client in the options page: each request is a message to the background
 * worker, which calls the API with the extension's token and keeps any new token to itself. So
 * the session is the background's: `setToken` changes nothing, and signing in or out, or a 401,
 * changes it there. A class, so it fits the dashboard's `ApiClient` as that interface grows.
 */
export class BackgroundApiClient implements ApiClient {
  onUnauthorized?: () => void

  constructor(
    /** The API address, for what the page loads itself (images the API serves). */
    private readonly base: string,
    private readonly send: Send,
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const message: DashboardRequest =
      body instanceof Blob ? { method, path, file: await encodeFile(body) } : { method, path, body }
    return (await this.exchange(message)).body as T
  }

  /** A CSV download or a file upload: the answer as a `Response`, errors as for `request`. */
  async raw(method: string, path: string, body?: { data: Blob | string; type: string }): Promise<Response> {
    const file = body ? await encodeFile(new Blob([body.data], { type: body.type })) : undefined
    const answer = await this.exchange({ method, path, ...(file ? { file } : {}) })
    const content = answer.text ?? JSON.stringify(answer.body)
    return new Response(answer.status === 204 ? null : content, {
      status: answer.status,
      headers: { 'content-type': answer.contentType ?? 'application/json' },
    })
  }

  private async exchange(message: DashboardRequest): Promise<DashboardResponse> {
    const answer = await this.send('dashboardRequest', message).catch(() => undefined)
    if (!answer || answer.status === 0)
      throw new ApiRequestError(
        0,
        'network',
        'Signet cannot be reached. Check your connection and try again.',
      )
    if (answer.status >= 200 && answer.status < 300) return answer
    const error = (answer.body as ErrorBody)?.error
    if (answer.status === 401 && message.path !== '/api/auth/sign-in') this.onUnauthorized?.()
    throw new ApiRequestError(
      answer.status,
      error?.code ?? 'internal',
      error?.message ?? `The server answered ${answer.status}. Please try again.`,
      error?.field,
    )
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path)
  }

  url(path: string): string {
    return `${this.base}${path}`
  }

  async setToken(_token: string | null): Promise<void> {}

  async hasToken(): Promise<boolean> {
    return (await this.send('status')).email !== null
  }
}
