import type { ExtensionConfig, ExtensionHealth } from '@signet/shared/extension'
import type { ResolveResponse } from '@signet/shared/resolve'
import { browser } from 'wxt/browser'
import type { Status } from './storage.ts'

export type Client = 'gmail' | 'outlook'

export interface Recipients {
  to: string[]
  cc: string[]
  bcc: string[]
}

/** Outcome of asking the API; never a thrown error, so a compose window cannot break on it. */
export type ResolveOutcome =
  | { ok: true; result: ResolveResponse }
  | { ok: false; reason: 'signed_out' | 'offline' | 'error'; message: string }

export interface SignInInput {
  apiUrl: string
  email: string
  password: string
}

/** A dashboard call from the options page, carried out by the background worker with its token. */
export interface DashboardRequest {
  method: string
  /** Always under /api/. */
  path: string
  /** JSON. */
  body?: unknown
  /** Or a file (a banner upload), base64-encoded: runtime messages carry JSON only. */
  file?: { type: string; base64: string }
}

/**
 * The API's status and JSON body; status 0 when the API could not be reached. An answer that is
 * not JSON (a CSV download) comes as `text` with its `contentType`.
 */
export interface DashboardResponse {
  status: number
  body: unknown
  text?: string
  contentType?: string
}

/**
 * Every message the extension sends, with its answer. Content scripts send the first four; the
 * rest are accepted from extension pages (popup, options page) only.
 */
export interface MessageMap {
  resolve: { input: Recipients & { client: Client }; output: ResolveOutcome }
  reportSent: { input: { deliveryId: string }; output: { ok: boolean } }
  reportHealth: { input: ExtensionHealth; output: { ok: boolean } }
  getConfig: { input: undefined; output: ExtensionConfig }
  signIn: { input: SignInInput; output: Status }
  signOut: { input: undefined; output: Status }
  status: { input: undefined; output: Status & { email: string | null; apiUrl: string } }
  dashboardRequest: { input: DashboardRequest; output: DashboardResponse }
}

export type MessageType = keyof MessageMap
export interface Message<K extends MessageType = MessageType> {
  type: K
  input: MessageMap[K]['input']
}

export const EXTENSION_PAGES_ONLY: ReadonlySet<MessageType> = new Set([
  'signIn',
  'signOut',
  'status',
  'dashboardRequest',
])

export function sendMessage<K extends MessageType>(
  type: K,
  ...input: MessageMap[K]['input'] extends undefined ? [] : [MessageMap[K]['input']]
): Promise<MessageMap[K]['output']> {
  return browser.runtime.sendMessage({ type, input: input[0] } satisfies Message<K>)
}
