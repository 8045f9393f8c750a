import { ComposeHub } from '../compose/hub.ts'
import { hostFor } from '../hosts/index.ts'
import { DEFAULT_CONFIG } from '../lib/defaults.ts'
import type { Feature, FeatureContext, HealthCounters, Send } from './feature.ts'
import { indicator } from './indicator.ts'
import { insertSignature } from './insert-signature.ts'
import { reportHealth } from './report-health.ts'
import { reportSent } from './report-sent.ts'
import { resolveRecipients } from './resolve-recipients.ts'

/** Every content-script feature, in start order. A feature not listed here does not run. */
export const features: Feature[] = [resolveRecipients, insertSignature, indicator, reportSent, reportHealth]

export interface StartOptions {
  doc: Document
  hostname: string
  signal: AbortSignal
  send: Send
  version: string
}

/**
 * Starts the features that apply to this page and are not switched off remotely. Returns the hub,
 * or undefined when the page is not a mail client or its client is switched off.
 */
export async function startFeatures(options: StartOptions): Promise<ComposeHub | undefined> {
  const host = hostFor(options.hostname)
  if (!host) return undefined
  const config = (await options.send('getConfig').catch(() => undefined)) ?? DEFAULT_CONFIG
  if (config.disabledFeatures.includes(host.client) || options.signal.aborted) return undefined
  const hub = new ComposeHub(host, options.doc, options.signal)
  const health: HealthCounters = { insertions: 0, detectionFailures: 0, lastError: null }
  const ctx: FeatureContext = {
    host,
    hub,
    config,
    signal: options.signal,
    send: options.send,
    health,
    version: options.version,
  }
  for (const feature of features) {
    if (!feature.include.includes(host.client)) continue
    if (feature.switch && config.disabledFeatures.includes(feature.switch)) continue
    try {
      feature.init(ctx)
    } catch (error) {
      health.detectionFailures += 1
      health.lastError = `${feature.id}: ${String(error)}`.slice(0, 500)
    }
  }
  hub.start()
  return hub
}

/** How often a page asks for the remote configuration again (the background caches it as long). */
export const CONFIG_POLL_MS = 5 * 60_000

/**
 * Runs the features for as long as the page lives and restarts them when the remote configuration
 * changes, so a kill switch reaches long-lived mail tabs without a reload. Stopping a feature
 * removes what it attached (indicators, listeners); a signature block already in a draft stays.
 */
export function runFeatures(options: StartOptions, pollMs = CONFIG_POLL_MS) {
  let current: AbortController | undefined
  let applied = ''
  const refresh = async () => {
    const config = await options.send('getConfig').catch(() => undefined)
    const key = JSON.stringify(config ?? null)
    if (key === applied || options.signal.aborted) return
    applied = key
    current?.abort()
    current = new AbortController()
    const stop = current
    options.signal.addEventListener('abort', () => stop.abort(), { once: true })
    await startFeatures({ ...options, signal: stop.signal })
  }
  void refresh()
  const timer = setInterval(() => void refresh(), pollMs)
  options.signal.addEventListener('abort', () => clearInterval(timer), { once: true })
}
