import { z } from './zod.ts'

/** Tracking events as statistics and the performance feed read them. */
export const trackingEventKinds = ['view', 'click', 'sent'] as const
export const imageProxies = ['gmail', 'outlook', 'apple'] as const

export const TrackingEventKindSchema = z.enum(trackingEventKinds)
export const ImageProxySchema = z.enum(imageProxies)

/**
 * Why an event was counted as a machine's. Scanner reasons carry the vendor after a colon:
 * `scanner_network:microsoft`, `scanner_user_agent:mimecast`.
 */
const reasons = {
  before_send: 'Loaded in the sender’s own compose window before the email was sent',
  honeypot: 'Followed the hidden link no person can see',
  head_request: 'Checked the link without opening it (HEAD request)',
  no_user_agent: 'Sent no browser identification',
  bot_user_agent: 'Identified itself as a bot or crawler',
  burst: 'Opened several links of the same email within a second',
  network_burst: 'Came from a network that opened links of many emails within seconds',
  too_soon_after_send: 'Clicked within seconds of the email being sent',
  apple_privacy_prefetch: 'Apple Mail Privacy Protection loaded the image in advance',
  scanner_user_agent: 'Link scanner',
  scanner_network: 'Came from the network of a mail security scanner',
  marked_by_marketer: 'Marked as automated by a marketer',
} satisfies Record<string, string>

/** Every reason the classifier gives; a scanner's reason also names its vendor after a colon. */
export type MachineReason = keyof typeof reasons | `${'scanner_user_agent' | 'scanner_network'}:${string}`

const vendors: Record<string, string> = {
  microsoft: 'Microsoft',
  proofpoint: 'Proofpoint',
  mimecast: 'Mimecast',
  barracuda: 'Barracuda',
  cisco: 'Cisco',
  generic: 'a generic HTTP client',
}

/** A sentence for a marketer: why this click or view is not counted as a person's. */
export function describeMachineReason(reason: string): string {
  const [code = '', vendor] = reason.split(':')
  const base = (reasons as Record<string, string>)[code] ?? 'Recognised as automated'
  if (!vendor) return `${base}.`
  const name = vendors[vendor] ?? vendor
  return code === 'scanner_user_agent' ? `${base} of ${name}.` : `${base} (${name}).`
}

export const TrackingEventSchema = z
  .object({
    id: z.string(),
    kind: TrackingEventKindSchema,
    occurredAt: z.string(),
    campaignId: z.uuid(),
    variantId: z.uuid().nullable(),
    deliveryId: z.uuid().nullable(),
    employeeId: z.uuid().nullable(),
    human: z.boolean(),
    machineReason: z.string().nullable(),
    proxy: ImageProxySchema.nullable(),
  })
  .meta({ id: 'TrackingEvent' })

export type TrackingEvent = z.infer<typeof TrackingEventSchema>
