import { UpdateWorkspaceSchema, WorkspaceSchema } from '@signet/shared'
import { Hono } from 'hono'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { toWorkspace } from './dto.ts'
import { getWorkspaceOrThrow, updateWorkspace } from './queries.ts'

export const workspace = new Hono<AppEnv>()

workspace.get(
  '/',
  describe({ summary: 'Get the workspace settings', tags: ['workspace'], response: WorkspaceSchema }),
  requireRole('marketer'),
  async (c) => c.json(toWorkspace(await getWorkspaceOrThrow(c.var.db, c.var.auth.workspaceId))),
)

workspace.patch(
  '/',
  describe({ summary: 'Change the workspace settings', tags: ['workspace'], response: WorkspaceSchema }),
  requireRole('admin'),
  valid('json', UpdateWorkspaceSchema),
  async (c) => {
    const input = c.req.valid('json')
    const row = await updateWorkspace(c.var.db, c.var.auth.workspaceId, {
      name: input.name,
      internal_domains: input.internalDomains && [...new Set(input.internalDomains)],
      tracking_tier: input.trackingTier,
      multi_recipient_policy: input.multiRecipientPolicy,
      disabled_features: input.disabledFeatures && [...new Set(input.disabledFeatures)],
      client_signature: input.clientSignature,
    })
    return c.json(toWorkspace(row))
  },
)
