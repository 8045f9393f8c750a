import type { Workspace } from '@signet/shared'
import type { WorkspaceRow } from '../db/schema.ts'

export function toWorkspace(row: WorkspaceRow): Workspace {
  return {
    id: row.id,
    name: row.name,
    internalDomains: row.internal_domains,
    trackingTier: row.tracking_tier,
    multiRecipientPolicy: row.multi_recipient_policy,
    disabledFeatures: row.disabled_features as Workspace['disabledFeatures'],
    clientSignature: row.client_signature,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }
}
