import { applySignature, removeSignature } from '../compose/signature-block.ts'
import type { Feature } from './feature.ts'

/**
 * Keeps one signature block in each compose body in step with the last answer: inserted above
 * quoted text, replaced in place when it changes, removed when there is nothing to show.
 */
export const insertSignature: Feature = {
  id: 'insert-signature',
  include: ['gmail', 'outlook'],
  switch: 'insert_signature',
  init({ hub, host, config, health }) {
    const shown = new WeakMap<object, string>()
    hub.on('result', (session) => {
      const html = session.result?.signatureHtml ?? ''
      const key = `${session.leaveBannerOut}:${html}`
      if (shown.get(session) === key && html) return
      shown.set(session, key)
      try {
        if (!html) {
          removeSignature(host, session.body)
          return
        }
        const block = applySignature(host, session.body, html, {
          clientSignature: config.clientSignature,
          leaveBannerOut: session.leaveBannerOut,
        })
        if (block) health.insertions += 1
      } catch (error) {
        health.detectionFailures += 1
        health.lastError = String(error).slice(0, 500)
      }
    })
  },
}
