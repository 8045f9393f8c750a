import type { ComposeSession } from '../compose/hub.ts'
import type { Feature } from './feature.ts'

const STYLE = `
:host { all: initial; display: block; font: 12px/1.4 system-ui, sans-serif; color: #3c4043; }
.bar { display: flex; gap: 8px; align-items: center; padding: 2px 8px; background: #f1f3f4; border-radius: 4px; margin: 2px 0; }
.why { flex: 1; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.notice { color: #b06000; }
label { white-space: nowrap; cursor: pointer; }
`

function describeState(session: ComposeSession): string {
  switch (session.state) {
    case 'no_recipients':
      return 'Signet: add recipients to choose a banner.'
    case 'resolving':
      return 'Signet: choosing a banner…'
    default: {
      const result = session.result
      if (!result) return 'Signet: no signature yet.'
      const what = result.campaign ? `Banner: ${result.campaign.name}` : 'No banner'
      return `${what}${result.tracked ? '' : result.campaign ? ' (untracked)' : ''} — ${result.explanation}`
    }
  }
}

/**
 * A quiet line above the editor: which campaign applies and why, and a switch to leave the banner
 * out of this one email. Lives in a shadow root outside the editable body, so it is never sent.
 */
export const indicator: Feature = {
  id: 'indicator',
  include: ['gmail', 'outlook'],
  switch: 'indicator',
  init({ hub }) {
    const views = new WeakMap<
      ComposeSession,
      { host: HTMLElement; why: HTMLElement; notice: HTMLElement; toggle: HTMLInputElement }
    >()

    hub.on('open', (session) => {
      const doc = session.body.ownerDocument
      const host = doc.createElement('signet-indicator')
      host.setAttribute('data-signet-indicator', String(session.id))
      const shadow = host.attachShadow({ mode: 'open' })
      shadow.innerHTML = `<style>${STYLE}</style><div class="bar"><span class="why"></span><span class="notice"></span><label><input type="checkbox"> Leave the banner out of this email</label></div>`
      const view = {
        host,
        why: shadow.querySelector<HTMLElement>('.why')!,
        notice: shadow.querySelector<HTMLElement>('.notice')!,
        toggle: shadow.querySelector<HTMLInputElement>('input')!,
      }
      view.toggle.addEventListener(
        'change',
        () => {
          session.leaveBannerOut = view.toggle.checked
          hub.emit('result', session)
          hub.emit('change', session)
        },
        { signal: session.signal },
      )
      session.body.parentElement?.insertBefore(host, session.body)
      session.signal.addEventListener('abort', () => host.remove())
      views.set(session, view)
    })

    hub.on('change', (session) => {
      const view = views.get(session)
      if (!view) return
      view.why.textContent = describeState(session)
      view.why.title = session.result?.explanation ?? ''
      view.notice.textContent = session.notice
      view.host.dataset.state = session.state
      view.host.dataset.campaign = session.result?.campaign?.name ?? ''
      view.toggle.checked = session.leaveBannerOut
    })
  },
}
