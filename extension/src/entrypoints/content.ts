import { browser } from 'wxt/browser'
import { defineContentScript } from 'wxt/utils/define-content-script'
import { runFeatures } from '../features/index.ts'
import { sendMessage } from '../lib/messages.ts'

export default defineContentScript({
  matches: [
    'https://mail.google.com/*',
    'https://outlook.office.com/*',
    'https://outlook.office365.com/*',
    'https://outlook.live.com/*',
  ],
  // Outlook opens pop-outs and some reply editors in frames of the same host.
  allFrames: true,
  runAt: 'document_idle',
  main(ctx) {
    runFeatures({
      doc: document,
      hostname: location.hostname,
      signal: ctx.signal,
      send: sendMessage,
      version: browser.runtime.getManifest().version,
    })
  },
})
