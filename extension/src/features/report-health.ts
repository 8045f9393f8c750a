import type { Feature } from './feature.ts'

const REPORT_EVERY_MS = 5 * 60_000

/**
 * Sends what happened since the last report (insertions, detection failures, last error) to the
 * API every few minutes and when the tab is hidden. Counts are deltas, so the API can sum them.
 */
export const reportHealth: Feature = {
  id: 'report-health',
  include: ['gmail', 'outlook'],
  init({ host, health, send, signal, version }) {
    const report = () => {
      if (health.insertions === 0 && health.detectionFailures === 0 && !health.lastError) return
      const payload = {
        client: host.client,
        extensionVersion: version,
        insertions: health.insertions,
        detectionFailures: health.detectionFailures,
        lastError: health.lastError,
      }
      health.insertions = 0
      health.detectionFailures = 0
      health.lastError = null
      void send('reportHealth', payload).catch(() => undefined)
    }
    const timer = setInterval(report, REPORT_EVERY_MS)
    signal.addEventListener('abort', () => clearInterval(timer))
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && report(), {
      signal,
    })
  },
}
