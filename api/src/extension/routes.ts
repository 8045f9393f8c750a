import {
  ExtensionConfigSchema,
  type ExtensionFeatureSchema,
  ExtensionHealthReportSchema,
  ExtensionHealthSchema,
  IdParamsSchema,
  SentReceiptSchema,
  z,
} from '@signet/shared'
import { Hono } from 'hono'
import type { DeliveryId } from '../db/schema.ts'
import { requireRole } from '../http/auth.ts'
import type { AppEnv } from '../http/context.ts'
import { notFound } from '../http/errors.ts'
import { describe } from '../http/openapi.ts'
import { valid } from '../http/validate.ts'
import { deliveryWriter } from '../resolve/deliveries.ts'
import { recordDeliverySent } from '../tracking/queries.ts'
import { trackingService } from '../tracking/service.ts'
import { getExtensionSettings, listExtensionHealth, recordExtensionHealth } from './queries.ts'

/** What the browser extension reads and reports, besides resolve. */
export const extension = new Hono<AppEnv>()

/**
 * How long the extension waits after the last recipient change before it resolves. Recipients
 * change a chip at a time (not per keystroke), so a short wait suffices, and it keeps a recipient
 * change to an updated signature under 300 ms with a nearby API.
 */
const RESOLVE_DEBOUNCE_MS = 150

extension.get(
  '/config',
  describe({
    summary: 'Extension settings of the workspace',
    description:
      'Features an admin switched off remotely, and what to do with the mail client’s own signature.',
    tags: ['extension'],
    response: ExtensionConfigSchema,
  }),
  requireRole('employee'),
  async (c) => {
    const row = await getExtensionSettings(c.var.db, c.var.auth.workspaceId)
    return c.json({
      disabledFeatures: row.disabled_features as z.infer<typeof ExtensionFeatureSchema>[],
      clientSignature: row.client_signature,
      resolveDebounceMs: RESOLVE_DEBOUNCE_MS,
    })
  },
)

extension.post(
  '/health',
  describe({
    summary: 'Report the extension’s health',
    description:
      'Insertions, detection failures, client and version; the latest report per user and client is kept.',
    tags: ['extension'],
    status: 204,
    response: null,
  }),
  requireRole('employee'),
  valid('json', ExtensionHealthSchema),
  async (c) => {
    await recordExtensionHealth(c.var.db, c.var.auth.workspaceId, c.var.auth.userId, c.req.valid('json'))
    return c.body(null, 204)
  },
)

extension.get(
  '/health',
  describe({
    summary: 'Latest extension health reports of the workspace',
    tags: ['extension'],
    response: z.array(ExtensionHealthReportSchema),
  }),
  requireRole('marketer'),
  async (c) => {
    const rows = await listExtensionHealth(c.var.db, c.var.auth.workspaceId)
    return c.json(
      rows.map((r) => ({
        userId: r.user_id,
        email: r.email,
        client: r.client,
        extensionVersion: r.extension_version,
        insertions: r.insertions,
        detectionFailures: r.detection_failures,
        lastError: r.last_error,
        reportedAt: r.reported_at.toISOString(),
      })),
    )
  },
)

/** Deliveries as the extension sees them: it reports when the mail was sent. */
export const deliveries = new Hono<AppEnv>()

deliveries.post(
  '/:id/sent',
  describe({
    summary: 'Report that the mail with this delivery was sent',
    description:
      'Only for the employee’s own delivery. The first report sets the send time and records a "sent" event; repeats change nothing.',
    tags: ['extension'],
    status: 200,
    response: SentReceiptSchema,
  }),
  requireRole('employee'),
  valid('param', IdParamsSchema),
  async (c) => {
    const { db, auth } = c.var
    const id = c.req.valid('param').id as DeliveryId
    await deliveryWriter(db).ensureWritten(id)
    const result = await recordDeliverySent(db, auth.workspaceId, auth.userId, id)
    if (!result) throw notFound('Delivery')
    // Clicks right after the real send time are scanners; the tracking cache must see it.
    if (result.first) trackingService(db).forgetDelivery(id)
    return c.json({ deliveryId: id, sentAt: result.sentAt.toISOString() })
  },
)
