import { ExtensionFeatureSchema } from './extension.ts'
import { z } from './zod.ts'

export const trackingTiers = ['off', 'aggregate', 'identified'] as const
export const multiRecipientPolicies = ['best_match', 'first_to', 'single_account'] as const

export const ClientSignatureSchema = z.enum(['keep', 'replace'])
export const TrackingTierSchema = z.enum(trackingTiers)
export const MultiRecipientPolicySchema = z.enum(multiRecipientPolicies)

/** A bare domain a workspace owns; recipients there are internal and never get a campaign. */
export const InternalDomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/, 'Enter a domain such as acme.com.')

export const WorkspaceSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    internalDomains: z.array(z.string()),
    trackingTier: TrackingTierSchema,
    multiRecipientPolicy: MultiRecipientPolicySchema,
    /** Extension features switched off for everyone, e.g. after a Gmail page change. */
    disabledFeatures: z.array(ExtensionFeatureSchema),
    /** Keep the mail client's own signature beside ours, or replace it. */
    clientSignature: ClientSignatureSchema,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Workspace' })

export const UpdateWorkspaceSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    internalDomains: z.array(InternalDomainSchema).max(100),
    trackingTier: TrackingTierSchema,
    multiRecipientPolicy: MultiRecipientPolicySchema,
    disabledFeatures: z.array(ExtensionFeatureSchema).max(20),
    clientSignature: ClientSignatureSchema,
  })
  .partial()
  .strict()

export type Workspace = z.infer<typeof WorkspaceSchema>
export type UpdateWorkspace = z.infer<typeof UpdateWorkspaceSchema>
