import type { ExtensionConfig } from '@signet/shared/extension'
import type { ResolveResponse } from '@signet/shared/resolve'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { loadFixture } from '../../test/fixtures.ts'
import type { MessageMap } from '../lib/messages.ts'
import type { Send } from './feature.ts'
import { runFeatures, startFeatures } from './index.ts'

const CAMPAIGN_ID = '00000000-0000-4000-8000-00000000000a'
const DELIVERY_ID = '00000000-0000-4000-8000-0000000000d1'

function answer(campaign: string | null, deliveryId: string | null = null): ResolveResponse {
  return {
    signatureHtml: campaign
      ? `<p>Ann Example</p><p data-signet-banner>Banner ${campaign}</p>`
      : '<p>Ann Example</p>',
    campaign: campaign ? { id: CAMPAIGN_ID, name: campaign, variantId: CAMPAIGN_ID, kind: 'receiver' } : null,
    tracked: deliveryId !== null,
    deliveryId,
    explanation: campaign ? `acme.com is in a group running ${campaign}.` : 'No campaign applies.',
    recipients: [],
  }
}

type Calls = { [K in keyof MessageMap]?: MessageMap[K]['input'][] }

/** Stands in for the background worker: answers resolve from the recipient list. */
function fakeBackground(
  config: Partial<ExtensionConfig> = {},
  decide: (
    input: MessageMap['resolve']['input'],
  ) => MessageMap['resolve']['output'] | Promise<MessageMap['resolve']['output']> = (input) => ({
    ok: true,
    result: answer(input.to.includes('ann@acme.com') ? 'Webinar' : 'Fair', DELIVERY_ID),
  }),
) {
  const calls: Calls = {}
  const send = (async (type: keyof MessageMap, input?: unknown) => {
    const list = (calls[type] ?? []) as unknown[]
    list.push(input)
    calls[type] = list as never
    if (type === 'getConfig')
      return { disabledFeatures: [], clientSignature: 'keep', resolveDebounceMs: 5, ...config }
    if (type === 'resolve') return decide(input as MessageMap['resolve']['input'])
    return { ok: true }
  }) as Send
  return { send, calls }
}

let controller = new AbortController()
afterEach(() => controller.abort())

async function start(
  fixture: Parameters<typeof loadFixture>[0],
  background = fakeBackground(),
  hostname = 'mail.google.com',
) {
  controller = new AbortController()
  const doc = loadFixture(fixture)
  const hub = await startFeatures({
    doc,
    hostname,
    signal: controller.signal,
    send: background.send,
    version: '0.1.0',
  })
  return { hub, doc, ...background }
}

const blocks = () =>
  [...document.querySelectorAll('[data-signet-signature]')].filter((b) => !b.closest('.gmail_quote'))
const blockText = () => blocks().map((b) => b.textContent)
const indicatorText = () =>
  [...document.querySelectorAll('signet-indicator')].map(
    (i) => i.shadowRoot?.querySelector('.bar')?.textContent,
  )

describe('content-script features on a Gmail compose window', () => {
  it('inserts the block for the recipients, switches it when they change, and removes it when none are left', async () => {
    await start('gmail-new')
    await vi.waitFor(() => expect(blockText()).toEqual(['Ann ExampleBanner Webinar']))
    expect(indicatorText()[0]).toContain('Banner: Webinar — acme.com is in a group running Webinar.')

    document.querySelector('[data-hovercard-id="ann@acme.com"]')!.remove()
    await vi.waitFor(() => expect(blockText()).toEqual(['Ann ExampleBanner Fair']))

    for (const chip of document.querySelectorAll('[data-hovercard-id]')) chip.remove()
    await vi.waitFor(() => expect(blocks()).toHaveLength(0))
    expect(document.body.textContent).toContain('Hi Ann, typed by the employee.')
  })

  it('handles two compose windows separately', async () => {
    const { calls } = await start('gmail-two')
    await vi.waitFor(() => expect(blocks()).toHaveLength(2))
    expect(calls.resolve?.map((r) => r.to)).toEqual([['erin@acme.com'], ['frank@initech.com']])
  })

  it('keeps the last good signature when the API becomes unreachable, and says so quietly', async () => {
    let online = true
    const background = fakeBackground({}, () =>
      online
        ? { ok: true, result: answer('Webinar') }
        : { ok: false, reason: 'offline', message: 'The API could not be reached.' },
    )
    await start('gmail-new', background)
    await vi.waitFor(() => expect(blockText()).toEqual(['Ann ExampleBanner Webinar']))
    online = false
    document.querySelector('[data-hovercard-id="ann@acme.com"]')!.remove()
    await vi.waitFor(() =>
      expect(indicatorText()[0]).toContain('The API could not be reached. The last signature is kept.'),
    )
    expect(blockText()).toEqual(['Ann ExampleBanner Webinar'])
  })

  it('drops an answer that arrives after a newer recipient list was resolved', async () => {
    const background = fakeBackground({}, async (input) => {
      if (input.to.includes('ann@acme.com')) await new Promise((r) => setTimeout(r, 80))
      return { ok: true, result: answer(input.to.includes('ann@acme.com') ? 'Stale' : 'Fresh') }
    })
    await start('gmail-new', background)
    await new Promise((r) => setTimeout(r, 40)) // the first (slow) resolve is under way
    document.querySelector('[data-hovercard-id="ann@acme.com"]')!.remove()
    await new Promise((r) => setTimeout(r, 150))
    expect(blockText()).toEqual(['Ann ExampleBanner Fresh'])
  })

  it('leaves the banner out of this email when the employee ticks the box, and reports no send', async () => {
    const { calls } = await start('gmail-new')
    await vi.waitFor(() => expect(blocks()).toHaveLength(1))
    const toggle = document.querySelector('signet-indicator')!.shadowRoot!.querySelector('input')!
    toggle.checked = true
    toggle.dispatchEvent(new Event('change'))
    expect(blockText()).toEqual(['Ann Example'])
    ;(document.querySelector('.aoO') as HTMLElement).click()
    expect(calls.reportSent).toBeUndefined()
  })

  it('reports "sent" once for the tracked delivery when the send button is clicked', async () => {
    const { calls } = await start('gmail-new')
    await vi.waitFor(() => expect(blocks()).toHaveLength(1))
    const sendButton = document.querySelector('.aoO') as HTMLElement
    sendButton.click()
    sendButton.click()
    expect(calls.reportSent).toEqual([{ deliveryId: DELIVERY_ID }])
  })

  it('reports health (insertions since the last report) when the tab is hidden', async () => {
    const { calls } = await start('gmail-new')
    await vi.waitFor(() => expect(blocks()).toHaveLength(1))
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
    try {
      document.dispatchEvent(new Event('visibilitychange'))
      document.dispatchEvent(new Event('visibilitychange')) // nothing new: no second report
    } finally {
      Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
    }
    expect(calls.reportHealth).toEqual([
      { client: 'gmail', extensionVersion: '0.1.0', insertions: 1, detectionFailures: 0, lastError: null },
    ])
  })

  it('says which chips it cannot read and counts them as detection failures', async () => {
    await start('gmail-unreadable')
    await vi.waitFor(() =>
      expect(indicatorText()[0]).toContain('Signet cannot read the address of Sales team; not counted.'),
    )
  })
})

describe('remote switches (disabledFeatures)', () => {
  it('does nothing at all on a mail client that is switched off', async () => {
    const { hub, calls } = await start('gmail-new', fakeBackground({ disabledFeatures: ['gmail'] }))
    expect(hub).toBeUndefined()
    await new Promise((r) => setTimeout(r, 30))
    expect(calls.resolve).toBeUndefined()
    expect(document.querySelector('signet-indicator')).toBeNull()
  })

  it('shows the indicator but inserts nothing when insert_signature is off', async () => {
    await start('gmail-new', fakeBackground({ disabledFeatures: ['insert_signature'] }))
    await vi.waitFor(() => expect(indicatorText()[0]).toContain('Banner: Webinar'))
    expect(blocks()).toHaveLength(0)
  })

  it('runs on Outlook unless outlook is switched off', async () => {
    await start('outlook-new', fakeBackground(), 'outlook.office.com')
    await vi.waitFor(() => expect(blocks()).toHaveLength(1))
    const off = await start(
      'outlook-new',
      fakeBackground({ disabledFeatures: ['outlook'] }),
      'outlook.office.com',
    )
    expect(off.hub).toBeUndefined()
  })
})

describe('runFeatures', () => {
  it('applies a kill switch that arrives while the page is open', async () => {
    let disabledFeatures: string[] = []
    const background = fakeBackground()
    const send = (async (type: keyof MessageMap, input?: unknown) => {
      if (type === 'getConfig') return { disabledFeatures, clientSignature: 'keep', resolveDebounceMs: 5 }
      return (background.send as any)(type, input)
    }) as Send
    controller = new AbortController()
    runFeatures(
      {
        doc: loadFixture('gmail-new'),
        hostname: 'mail.google.com',
        signal: controller.signal,
        send,
        version: '0',
      },
      20,
    )
    await vi.waitFor(() => expect(indicatorText()[0]).toContain('Banner: Webinar'))
    disabledFeatures = ['gmail']
    await vi.waitFor(() => expect(document.querySelector('signet-indicator')).toBeNull())
    const asked = background.calls.resolve?.length
    document.querySelector('[data-hovercard-id="ann@acme.com"]')!.remove()
    await new Promise((r) => setTimeout(r, 60))
    expect(background.calls.resolve?.length).toBe(asked)
  })
})
