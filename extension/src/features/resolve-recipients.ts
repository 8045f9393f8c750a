import type { ComposeSession } from '../compose/hub.ts'
import type { Feature } from './feature.ts'

/** Recipients shown without an address are said so, never guessed. */
function unreadableNotice(session: ComposeSession): string {
  const { unreadable } = session.recipients
  return unreadable.length ? `Signet cannot read the address of ${unreadable.join(', ')}; not counted.` : ''
}

/**
 * Asks the background to resolve a compose window's recipients, debounced, and keeps the last
 * good answer when the API cannot be reached. Answers to stale recipient lists are dropped.
 */
export const resolveRecipients: Feature = {
  id: 'resolve-recipients',
  include: ['gmail', 'outlook'],
  init({ hub, host, config, send, health }) {
    const timers = new WeakMap<ComposeSession, ReturnType<typeof setTimeout>>()
    const latest = new WeakMap<ComposeSession, number>()
    let sequence = 0

    const resolveNow = async (session: ComposeSession) => {
      const { to, cc, bcc } = session.recipients
      const ticket = ++sequence
      latest.set(session, ticket)
      const outcome = await send('resolve', { to, cc, bcc, client: host.client }).catch(() => undefined)
      if (session.signal.aborted || latest.get(session) !== ticket) return
      if (outcome?.ok) {
        session.result = outcome.result
        session.state = 'ok'
        session.notice = unreadableNotice(session)
        hub.emit('result', session)
      } else {
        session.state = 'unavailable'
        const problem = outcome
          ? `Signet: ${outcome.message}${session.result ? ' The last signature is kept.' : ''}`
          : 'Signet is not available right now.'
        session.notice = [problem, unreadableNotice(session)].filter(Boolean).join(' ')
        if (outcome?.reason === 'error') health.lastError = outcome.message.slice(0, 500)
      }
      hub.emit('change', session)
    }

    hub.on('recipients', (session) => {
      clearTimeout(timers.get(session))
      const { to, cc, bcc, unreadable } = session.recipients
      session.notice = unreadableNotice(session)
      if (unreadable.length) health.detectionFailures += 1
      if (to.length + cc.length + bcc.length === 0) {
        latest.set(session, ++sequence)
        session.state = 'no_recipients'
        session.result = null
        hub.emit('result', session)
        hub.emit('change', session)
        return
      }
      session.state = 'resolving'
      hub.emit('change', session)
      timers.set(
        session,
        setTimeout(() => void resolveNow(session), config.resolveDebounceMs),
      )
    })
    hub.on('close', (session) => clearTimeout(timers.get(session)))
  },
}
