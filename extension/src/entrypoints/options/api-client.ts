import { type ApiClient, ApiRequestError } from '@signet/dashboard'
import { sendMessage } from '../../lib/messages.ts'

/**
 * The dashboard's API client for the options page: each request is a message to the background
 * worker, which calls the API with the extension's token and keeps any new token to itself. So
 * the session is the background's: `setToken` changes nothing, and signing in or out, or a 401,
 * changes it there.
 */
export function backgroundApiClient(): ApiClient {
  const client: ApiClient = {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const answer = await sendMessage('dashboardRequest', { method, path, body }).catch(() => undefined)
      if (!answer || answer.status === 0)
        throw new ApiRequestError(
          0,
          'network',
          'Signet cannot be reached. Check your connection and try again.',
        )
      if (answer.status >= 200 && answer.status < 300) return answer.body as T
      const error = (answer.body as { error?: { code?: string; message?: string; field?: string } } | null)
        ?.error
      if (answer.status === 401 && path !== '/api/auth/sign-in') client.onUnauthorized?.()
      throw new ApiRequestError(
        answer.status,
        error?.code ?? 'internal',
        error?.message ?? `The server answered ${answer.status}. Please try again.`,
        error?.field,
      )
    },
    get: <T>(path: string) => client.request<T>('GET', path),
    setToken: async () => {},
    hasToken: async () => (await sendMessage('status')).email !== null,
  }
  return client
}
