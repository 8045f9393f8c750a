import type { ExtensionConfig, ExtensionHealth } from '@signet/shared/extension'
import { ExtensionConfigSchema } from '@signet/shared/extension'
import { ResolveResponseSchema } from '@signet/shared/resolve'
import type {
  Client,
  DashboardRequest,
  DashboardResponse,
  Recipients,
  ResolveOutcome,
  SignInInput,
} from './messages.ts'
import { apiUrlItem, configItem, type Session, type Status, sessionItem, statusItem } from './storage.ts'

/** Background-only: the one place that holds the token and talks to the API. */
const TIMEOUT_MS = 8_000

class ApiFailure extends Error {
  constructor(
    readonly kind: 'offline' | 'signed_out' | 'error',
    message: string,
  ) {
    super(message)
  }
}

export function normaliseApiUrl(raw: string): string {
  const url = new URL(raw.trim())
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error('Use an http:// or https:// address.')
  return url.origin
}

async function call(path: string, init: { method: string; json?: unknown; token?: string | null }) {
  const base = await apiUrlItem.getValue()
  const headers: Record<string, string> = { accept: 'application/json' }
  if (init.json !== undefined) headers['content-type'] = 'application/json'
  if (init.token) headers.authorization = `Bearer ${init.token}`
  let response: Response
  try {
    response = await fetch(`${base}${path}`, {
      method: init.method,
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
  } catch {
    throw new ApiFailure('offline', `The Signet API at ${base} could not be reached.`)
  }
  const body = await response.json().catch(() => null)
  if (response.status === 401 && init.token)
    throw new ApiFailure('signed_out', 'Your session ended; sign in again.')
  if (!response.ok) {
    const message = body?.error?.message ?? `The Signet API answered ${response.status}.`
    throw new ApiFailure('error', message)
  }
  return body
}

async function setStatus(connection: Status['connection'], message: string): Promise<Status> {
  const status = { connection, message, at: new Date().toISOString() }
  await statusItem.setValue(status)
  return status
}

async function authed(path: string, method: string, json?: unknown) {
  const session = await sessionItem.getValue()
  if (!session) throw new ApiFailure('signed_out', 'Not signed in.')
  try {
    const body = await call(path, { method, json, token: session.token })
    await setStatus('ok', `Signed in as ${session.email}.`)
    return body
  } catch (error) {
    if (error instanceof ApiFailure) {
      if (error.kind === 'signed_out') {
        await sessionItem.setValue(null)
        await setStatus('signed_out', error.message)
      } else {
        await setStatus(error.kind, `${error.message} The last signature is kept.`)
      }
    }
    throw error
  }
}

export async function signIn(input: SignInInput): Promise<Status> {
  await apiUrlItem.setValue(normaliseApiUrl(input.apiUrl))
  try {
    const body = await call('/api/auth/sign-in', {
      method: 'POST',
      json: { email: input.email, password: input.password },
    })
    const session: Session = {
      token: body.token,
      expiresAt: body.expiresAt,
      email: body.user?.email ?? input.email,
      workspaceName: body.workspace?.name ?? '',
    }
    await sessionItem.setValue(session)
    await refreshConfig()
    return setStatus('ok', `Signed in as ${session.email}.`)
  } catch (error) {
    const message = error instanceof Error ? error.message : 'Sign-in failed.'
    return setStatus(error instanceof ApiFailure && error.kind === 'offline' ? 'offline' : 'error', message)
  }
}

export async function signOut(): Promise<Status> {
  const session = await sessionItem.getValue()
  if (session)
    await call('/api/auth/sign-out', { method: 'POST', token: session.token }).catch(() => undefined)
  await sessionItem.setValue(null)
  return setStatus('signed_out', 'Signed out.')
}

export async function resolve(input: Recipients & { client: Client }): Promise<ResolveOutcome> {
  try {
    const body = await authed('/api/resolve', 'POST', input)
    const parsed = ResolveResponseSchema.safeParse(body)
    if (!parsed.success)
      return {
        ok: false,
        reason: 'error',
        message: 'The API sent an answer this extension does not understand.',
      }
    return { ok: true, result: parsed.data }
  } catch (error) {
    const failure = error instanceof ApiFailure ? error : new ApiFailure('error', String(error))
    return { ok: false, reason: failure.kind, message: failure.message }
  }
}

/** Fetches the remote configuration (kill switch); on failure keeps the last one stored. */
export async function refreshConfig(): Promise<ExtensionConfig> {
  try {
    const parsed = ExtensionConfigSchema.safeParse(await authed('/api/extension/config', 'GET'))
    if (parsed.success) await configItem.setValue(parsed.data)
  } catch {
    // Keep the stored configuration: an unreachable API must not switch features back on or off.
  }
  return configItem.getValue()
}

export async function reportSent(deliveryId: string) {
  return authed(`/api/deliveries/${encodeURIComponent(deliveryId)}/sent`, 'POST', {})
    .then(() => ({ ok: true }))
    .catch(() => ({ ok: false }))
}

export async function reportHealth(health: ExtensionHealth) {
  return authed('/api/extension/health', 'POST', health)
    .then(() => ({ ok: true }))
    .catch(() => ({ ok: false }))
}

/** Dashboard screens may run long requests (imports, exports); the compose window never waits on these. */
const DASHBOARD_TIMEOUT_MS = 120_000
/** Answers that start a session: the background keeps the token, the page gets the rest. */
const SESSION_PATHS = new Set(['/api/auth/sign-in', '/api/auth/accept-invitation'])

/**
 * Carries out a request of the dashboard in the options page with the extension's session, so
 * the dashboard and the popup share one sign-in and the token never leaves the background.
 */
export async function dashboardRequest(request: DashboardRequest): Promise<DashboardResponse> {
  if (!request.path.startsWith('/api/'))
    return {
      status: 400,
      body: { error: { code: 'validation_failed', message: 'Only API paths.', field: 'path' } },
    }
  if (request.method === 'POST' && request.path === '/api/auth/sign-out') {
    await signOut()
    return { status: 204, body: null }
  }
  const session = await sessionItem.getValue()
  const headers: Record<string, string> = { accept: 'application/json' }
  let body: BodyInit | undefined
  if (request.file) {
    headers['content-type'] = request.file.type
    body = Uint8Array.from(atob(request.file.base64), (c) => c.charCodeAt(0))
  } else if (request.body !== undefined) {
    headers['content-type'] = 'application/json'
    body = JSON.stringify(request.body)
  }
  if (session) headers.authorization = `Bearer ${session.token}`
  let response: Response
  try {
    response = await fetch(`${await apiUrlItem.getValue()}${request.path}`, {
      method: request.method,
      headers,
      body,
      signal: AbortSignal.timeout(DASHBOARD_TIMEOUT_MS),
    })
  } catch {
    return { status: 0, body: null }
  }
  const contentType = response.headers.get('content-type') ?? ''
  // A file (a CSV export) keeps its byte-order mark, which `text()` would drop: Excel needs it.
  if (response.ok && response.status !== 204 && !contentType.includes('json')) {
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer())
    return { status: response.status, body: null, text, contentType }
  }
  const answer = response.status === 204 ? null : await response.json().catch(() => null)
  if (response.status === 401 && session) {
    await sessionItem.setValue(null)
    await setStatus('signed_out', 'Your session ended; sign in again.')
  }
  if (response.ok && SESSION_PATHS.has(request.path) && typeof answer?.token === 'string') {
    const started: Session = {
      token: answer.token,
      expiresAt: answer.expiresAt,
      email: answer.user?.email ?? '',
      workspaceName: answer.workspace?.name ?? '',
    }
    await sessionItem.setValue(started)
    await refreshConfig()
    await setStatus('ok', `Signed in as ${started.email}.`)
    return { status: response.status, body: { ...answer, token: '' } }
  }
  return { status: response.status, body: answer }
}
