import type { ExtensionConfig } from '@signet/shared/extension'
import { storage } from 'wxt/utils/storage'
import { DEFAULT_CONFIG } from './defaults.ts'

export const DEFAULT_API_URL = 'http://localhost:3000'

/** Where the Signet API runs; set in the popup. */
export const apiUrlItem = storage.defineItem<string>('local:apiUrl', { fallback: DEFAULT_API_URL })

export interface Session {
  token: string
  expiresAt: string
  email: string
  workspaceName: string
}

/** The signed-in session. Read and written by the background worker only. */
export const sessionItem = storage.defineItem<Session | null>('local:session', { fallback: null })

/** The last configuration the API sent, kept so an offline start still honours the kill switch. */
export const configItem = storage.defineItem<ExtensionConfig>('local:config', {
  fallback: DEFAULT_CONFIG,
})

export type Connection = 'signed_out' | 'ok' | 'offline' | 'error'

export interface Status {
  connection: Connection
  /** A sentence for the popup, e.g. "The Signet API could not be reached; the last signature is kept." */
  message: string
  at: string
}

export const statusItem = storage.defineItem<Status>('local:status', {
  fallback: { connection: 'signed_out', message: 'Not signed in.', at: new Date(0).toISOString() },
})
