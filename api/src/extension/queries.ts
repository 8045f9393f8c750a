import type { ExtensionHealth } from '@signet/shared'
import { sql } from 'kysely'
import type { Db } from '../db/index.ts'
import type { UserId, WorkspaceId } from '../db/schema.ts'

export function getExtensionSettings(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('workspace')
    .select(['disabled_features', 'client_signature'])
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()
}

/** Keeps the latest report per user and mail client. */
export function recordExtensionHealth(
  db: Db,
  workspaceId: WorkspaceId,
  userId: UserId,
  report: ExtensionHealth,
) {
  const values = {
    extension_version: report.extensionVersion,
    insertions: report.insertions,
    detection_failures: report.detectionFailures,
    last_error: report.lastError,
  }
  return db
    .insertInto('extension_health')
    .values({ workspace_id: workspaceId, user_id: userId, client: report.client, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'client']).doUpdateSet({ ...values, reported_at: sql`now()` }))
    .execute()
}

export function listExtensionHealth(db: Db, workspaceId: WorkspaceId) {
  return db
    .selectFrom('extension_health as h')
    .innerJoin('app_user as u', 'u.id', 'h.user_id')
    .select([
      'h.user_id',
      'u.email',
      'h.client',
      'h.extension_version',
      'h.insertions',
      'h.detection_failures',
      'h.last_error',
      'h.reported_at',
    ])
    .where('h.workspace_id', '=', workspaceId)
    .orderBy('h.reported_at', 'desc')
    .limit(1000)
    .execute()
}
