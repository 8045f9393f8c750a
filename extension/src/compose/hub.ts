import type { ResolveResponse } from '@signet/shared/resolve'
import type { ComposeRecipients, HostAdapter } from '../hosts/types.ts'

export type SessionState = 'no_recipients' | 'resolving' | 'ok' | 'unavailable'

/** One open compose window and what the extension knows about it. */
export interface ComposeSession {
  readonly id: number
  readonly root: HTMLElement
  readonly body: HTMLElement
  recipients: ComposeRecipients
  /** The last good answer of the API for these (or the previous) recipients. */
  result: ResolveResponse | null
  state: SessionState
  /** A short sentence for the indicator when something is off (offline, unreadable chips). */
  notice: string
  /** The employee chose to leave the banner out of this one email. */
  leaveBannerOut: boolean
  /** Aborted when the compose window closes or the extension is reloaded. */
  readonly signal: AbortSignal
}

export type HubEvent = 'open' | 'recipients' | 'result' | 'change' | 'close'
type Listener = (session: ComposeSession) => void

const SCAN_DELAY_MS = 30

function recipientsKey(r: ComposeRecipients) {
  return JSON.stringify([r.to, r.cc, r.bcc, r.unreadable])
}

/**
 * Watches the page for compose windows and their recipients with one MutationObserver and tells
 * the features: `open`, `recipients` (changed), `result` (new API answer), `change` (state or
 * choice changed, for the indicator), `close`.
 */
export class ComposeHub {
  private readonly sessions = new Map<
    HTMLElement,
    ComposeSession & { key: string; controller: AbortController }
  >()
  private readonly listeners = new Map<HubEvent, Listener[]>()
  private nextId = 1
  private timer: ReturnType<typeof setTimeout> | undefined

  constructor(
    readonly host: HostAdapter,
    private readonly doc: Document,
    private readonly signal: AbortSignal,
  ) {}

  on(event: HubEvent, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
  }

  emit(event: HubEvent, session: ComposeSession) {
    for (const listener of this.listeners.get(event) ?? []) {
      try {
        listener(session)
      } catch (error) {
        console.warn('[signet]', event, error)
      }
    }
  }

  get openSessions(): ComposeSession[] {
    return [...this.sessions.values()]
  }

  start() {
    const observer = new MutationObserver(() => this.schedule())
    observer.observe(this.doc.documentElement, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['data-hovercard-id', 'value', 'title', 'data-lpc-hover-target-id'],
    })
    // Typed addresses in Gmail's older composer change an input's value, which is no mutation.
    this.doc.addEventListener('input', () => this.schedule(), { capture: true, signal: this.signal })
    this.signal.addEventListener('abort', () => {
      observer.disconnect()
      clearTimeout(this.timer)
      for (const session of this.sessions.values()) session.controller.abort()
    })
    this.scan()
  }

  private schedule() {
    if (this.timer !== undefined || this.signal.aborted) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.scan()
    }, SCAN_DELAY_MS)
  }

  /** Finds opened and closed compose windows and changed recipients. */
  scan() {
    const found = new Set(this.host.findComposeWindows(this.doc))
    for (const [root, session] of this.sessions) {
      if (!found.has(root) || !root.isConnected || !session.body.isConnected) {
        this.sessions.delete(root)
        session.controller.abort()
        this.emit('close', session)
      }
    }
    for (const root of found) {
      let session = this.sessions.get(root)
      if (!session) {
        const body = this.host.findBody(root)
        if (!body) continue
        const controller = new AbortController()
        session = {
          id: this.nextId++,
          root,
          body,
          recipients: { to: [], cc: [], bcc: [], unreadable: [] },
          result: null,
          state: 'no_recipients',
          notice: '',
          leaveBannerOut: false,
          signal: controller.signal,
          key: '',
          controller,
        }
        this.sessions.set(root, session)
        this.emit('open', session)
      }
      const recipients = this.host.readRecipients(root)
      const key = recipientsKey(recipients)
      if (key !== session.key) {
        session.key = key
        session.recipients = recipients
        this.emit('recipients', session)
      }
    }
  }
}
