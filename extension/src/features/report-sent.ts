import type { ComposeSession } from '../compose/hub.ts'
import { findBlocks } from '../compose/signature-block.ts'
import type { Feature } from './feature.ts'

/**
 * Reports "sent" for the tracked delivery of a compose window when the employee sends it (send
 * button or Ctrl/Cmd+Enter), once, and only if our block with the banner is still in the body.
 */
export const reportSent: Feature = {
  id: 'report-sent',
  include: ['gmail', 'outlook'],
  switch: 'report_sent',
  init({ hub, host, send }) {
    const reported = new Set<string>()
    const onSend = (session: ComposeSession) => {
      const deliveryId = session.result?.deliveryId
      if (!deliveryId || session.leaveBannerOut || reported.has(deliveryId)) return
      if (findBlocks(host, session.body).length === 0) return
      reported.add(deliveryId)
      void send('reportSent', { deliveryId }).catch(() => undefined)
    }
    hub.on('open', (session) => {
      const options = { capture: true, signal: session.signal }
      session.root.addEventListener(
        'click',
        (event) => {
          const button = host.findSendButton(session.root)
          if (button && event.target instanceof Node && button.contains(event.target)) onSend(session)
        },
        options,
      )
      session.root.addEventListener(
        'keydown',
        (event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) onSend(session)
        },
        options,
      )
    })
  },
}
