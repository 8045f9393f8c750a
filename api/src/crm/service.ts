import {
  HUBSPOT_DEFAULT_BASE_URL,
  type HubSpotConnection,
  type HubSpotLink,
  type SyncRun,
} from '@signet/shared'
import type { Selectable } from 'kysely'
import type { Config } from '../config.ts'
import type { CrmConnectionTable } from '../db/crm-schema.ts'
import type { ImportJobTable } from '../db/schema.ts'
import { ApiError } from '../http/errors.ts'
import { HubSpotError, hubspotClient } from './hubspot.ts'
import type { LinkRow } from './queries.ts'
import { openToken } from './seal.ts'

/** A HubSpot client with the connection's base URL and its token, opened from the database. */
export function clientFor(config: Config, connection: Selectable<CrmConnectionTable>, signal?: AbortSignal) {
  let token: string
  try {
    token = openToken(config.secret, connection.workspace_id, connection.token_sealed)
  } catch {
    // SECRET changed since connecting: like a refused token, only connecting again helps.
    throw new HubSpotError(
      'auth',
      'The stored HubSpot token cannot be decrypted (SECRET changed); connect again.',
    )
  }
  return hubspotClient({ baseUrl: connection.base_url, token, signal })
}

/** A HubSpot failure while answering a marketer's request, as the API's error shape. */
export function asApiError(error: unknown, field?: string): never {
  if (!(error instanceof HubSpotError)) throw error
  if (error.problem === 'auth') throw new ApiError('conflict', error.message, field ?? 'token')
  if (error.problem === 'not_found')
    throw new ApiError('validation_failed', 'HubSpot has no such list.', field)
  if (error.problem === 'rejected') throw new ApiError('validation_failed', error.message, field)
  throw new ApiError('unavailable', error.message)
}

export function toConnection(row: Selectable<CrmConnectionTable> | undefined): HubSpotConnection {
  if (!row) {
    return {
      connected: false,
      baseUrl: HUBSPOT_DEFAULT_BASE_URL,
      tokenHint: null,
      status: null,
      error: null,
      connectedAt: null,
    }
  }
  return {
    connected: true,
    baseUrl: row.base_url,
    tokenHint: row.token_hint,
    status: row.status,
    error: row.error,
    connectedAt: row.created_at.toISOString(),
  }
}

export function toRun(row: Selectable<ImportJobTable>): SyncRun {
  const options = row.options as { trigger?: 'schedule' | 'manual' }
  const finished =
    row.status === 'applied' || row.status === 'undone'
      ? row.applied_at
      : row.status === 'failed'
        ? row.updated_at
        : null
  return {
    importId: row.id,
    trigger: options.trigger ?? 'schedule',
    status: row.status,
    error: row.error,
    report: (row.report as SyncRun['report']) ?? null,
    progress: (row.progress as SyncRun['progress']) ?? null,
    startedAt: row.created_at.toISOString(),
    finishedAt: finished ? finished.toISOString() : null,
  }
}

export function toLink(row: LinkRow, lastRun: Selectable<ImportJobTable> | undefined): HubSpotLink {
  return {
    targetGroupId: row.target_group_id,
    targetGroupName: row.target_group_name,
    listId: row.list_id,
    listName: row.list_name,
    intervalMinutes: row.interval_minutes,
    status: row.status,
    error: row.error,
    nextRunAt: row.next_run_at.toISOString(),
    lastRunAt: row.last_run_at ? row.last_run_at.toISOString() : null,
    lastRun: lastRun ? toRun(lastRun) : null,
  }
}
