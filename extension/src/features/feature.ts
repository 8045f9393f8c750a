import type { ExtensionConfig, extensionFeatures } from '@signet/shared/extension'
import type { ComposeHub } from '../compose/hub.ts'
import type { HostAdapter } from '../hosts/types.ts'
import type { Client, MessageMap, MessageType } from '../lib/messages.ts'

/** A remotely switchable feature; type-only so zod stays out of the content script. */
export type ExtensionFeature = (typeof extensionFeatures)[number]

export type Send = <K extends MessageType>(
  type: K,
  ...input: MessageMap[K]['input'] extends undefined ? [] : [MessageMap[K]['input']]
) => Promise<MessageMap[K]['output']>

/** Counters reported to the API by the report-health feature. */
export interface HealthCounters {
  insertions: number
  detectionFailures: number
  lastError: string | null
}

export interface FeatureContext {
  host: HostAdapter
  hub: ComposeHub
  config: ExtensionConfig
  /** Everything attached by a feature must stop when this aborts. */
  signal: AbortSignal
  send: Send
  health: HealthCounters
  version: string
}

export interface Feature {
  id: string
  /** Mail clients the feature runs on. */
  include: Client[]
  /** The remote switch that turns the feature off, if any. */
  switch?: ExtensionFeature
  init(ctx: FeatureContext): void
}
