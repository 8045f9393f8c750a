import { z } from './zod.ts'

/** Features of the extension an admin can switch off remotely when a mail client's page changes. */
export const extensionFeatures = ['gmail', 'outlook', 'insert_signature', 'report_sent', 'indicator'] as const
export const ExtensionFeatureSchema = z.enum(extensionFeatures)

export const ExtensionConfigSchema = z
  .object({
    disabledFeatures: z.array(ExtensionFeatureSchema),
    /** Keep the mail client's own signature beside ours, or replace it. */
    clientSignature: z.enum(['keep', 'replace']),
    /** How long the extension waits after the last recipient change before it asks the API. */
    resolveDebounceMs: z.number().int(),
  })
  .meta({ id: 'ExtensionConfig' })

export const ExtensionHealthSchema = z.strictObject({
  client: z.enum(['gmail', 'outlook']),
  extensionVersion: z.string().max(40),
  insertions: z.number().int().min(0).max(1_000_000),
  detectionFailures: z.number().int().min(0).max(1_000_000),
  lastError: z.string().max(500).nullable().default(null),
})

export const SentReportSchema = z.object({ deliveryId: z.uuid() })

export type ExtensionConfig = z.infer<typeof ExtensionConfigSchema>
export type ExtensionHealth = z.infer<typeof ExtensionHealthSchema>

/** One user's latest extension report, as marketers see it. */
export const ExtensionHealthReportSchema = z
  .object({
    userId: z.uuid(),
    email: z.string(),
    client: z.enum(['gmail', 'outlook']),
    extensionVersion: z.string(),
    insertions: z.number().int(),
    detectionFailures: z.number().int(),
    lastError: z.string().nullable(),
    reportedAt: z.string(),
  })
  .meta({ id: 'ExtensionHealthReport' })

export const SentReceiptSchema = z.object({ deliveryId: z.uuid(), sentAt: z.string() })

export type ExtensionHealthReport = z.infer<typeof ExtensionHealthReportSchema>
