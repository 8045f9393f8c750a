import { describe, expect, it } from 'vitest'
import { type FixtureName, loadFixture } from '../../test/fixtures.ts'
import { gmail } from './gmail/adapter.ts'
import { hostFor } from './index.ts'
import { outlook } from './outlook/adapter.ts'
import type { HostAdapter } from './types.ts'

interface Expected {
  to: string[]
  cc: string[]
  bcc: string[]
  unreadable: string[]
  body: string
  quote: boolean
  clientSignature: string | null
  send: boolean
}

function composeWindows(host: HostAdapter, fixture: FixtureName) {
  const doc = loadFixture(fixture)
  return host.findComposeWindows(doc).map((compose) => {
    const body = host.findBody(compose)!
    return {
      ...host.readRecipients(compose),
      body: body.querySelector('div')?.textContent ?? '',
      quote: host.findQuote(body) !== null,
      clientSignature: host.findClientSignature(body)?.textContent?.trim() ?? null,
      send: host.findSendButton(compose) !== null,
    } satisfies Expected
  })
}

describe('hostFor', () => {
  it.each([
    ['mail.google.com', 'gmail'],
    ['outlook.office.com', 'outlook'],
    ['outlook.office365.com', 'outlook'],
    ['outlook.live.com', 'outlook'],
  ])('picks the adapter for %s', (hostname, client) => {
    expect(hostFor(hostname)?.client).toBe(client)
  })

  it('has no adapter for other pages', () => {
    expect(hostFor('example.com')).toBeUndefined()
  })
})

describe('Gmail adapter', () => {
  it('reads a new message: chips in To, lower-cased, its own signature and the send button', () => {
    expect(composeWindows(gmail, 'gmail-new')).toEqual([
      {
        to: ['ann@acme.com', 'bob@globex.com'],
        cc: [],
        bcc: [],
        unreadable: [],
        body: 'Hi Ann, typed by the employee.',
        quote: false,
        clientSignature: "-- Ann's own Gmail signature",
        send: true,
      },
    ])
  })

  it('reads an inline reply: finds the quote and ignores the signature inside it', () => {
    expect(composeWindows(gmail, 'gmail-reply')).toEqual([
      {
        to: ['carol@initech.com'],
        cc: ['dave@acme.com'],
        bcc: [],
        unreadable: [],
        body: 'Thanks Carol, my reply.',
        quote: true,
        clientSignature: null,
        send: true,
      },
    ])
  })

  it('tells two open compose windows apart', () => {
    const windows = composeWindows(gmail, 'gmail-two')
    expect(windows.map(({ to, cc, bcc, body }) => ({ to, cc, bcc, body }))).toEqual([
      { to: ['erin@acme.com'], cc: [], bcc: ['audit@globex.com'], body: 'First draft text.' },
      { to: ['frank@initech.com'], cc: [], bcc: [], body: 'Second draft text.' },
    ])
  })

  it('reads a popped-out window of the older composer from its hidden fields', () => {
    const [popout] = composeWindows(gmail, 'gmail-popout')
    expect(popout).toMatchObject({
      to: ['grace@navy.mil', 'heidi@acme.com'],
      cc: [],
      bcc: ['ivan@globex.com'],
      unreadable: [],
    })
  })

  it('reports a chip without an address as unreadable instead of guessing', () => {
    const [compose] = composeWindows(gmail, 'gmail-unreadable')
    expect(compose).toMatchObject({ to: ['judy@acme.com'], unreadable: ['Sales team'] })
  })

  it('finds nothing on a page without a compose window', () => {
    document.body.innerHTML = '<div role="main"><div contenteditable="true">a note</div></div>'
    expect(gmail.findComposeWindows(document)).toEqual([])
  })
})

describe('Outlook adapter', () => {
  it('reads a new message: address from the persona target, a title, or the chip text', () => {
    expect(composeWindows(outlook, 'outlook-new')).toEqual([
      {
        to: ['ann@acme.com', 'bob@globex.com'],
        cc: ['kim@initech.com'],
        bcc: [],
        unreadable: [],
        body: 'Hello Ann, typed by the employee.',
        quote: false,
        clientSignature: "Ann's own Outlook signature",
        send: true,
      },
    ])
  })

  it('reads a reply: finds the quote marker and the own signature above it only', () => {
    expect(composeWindows(outlook, 'outlook-reply')).toEqual([
      {
        to: ['carol@initech.com'],
        cc: [],
        bcc: [],
        unreadable: [],
        body: 'Thanks Carol, my reply.',
        quote: true,
        clientSignature: 'My Outlook signature',
        send: true,
      },
    ])
  })

  it('tells two compose windows apart and reads wells in To, Cc, Bcc order', () => {
    const windows = composeWindows(outlook, 'outlook-two')
    expect(windows.map(({ to, cc, bcc }) => ({ to, cc, bcc }))).toEqual([
      { to: ['erin@acme.com'], cc: [], bcc: ['audit@globex.com'] },
      { to: ['frank@initech.com'], cc: [], bcc: [] },
    ])
  })

  it('says which chips show only a display name, in a pop-out', () => {
    const [popout] = composeWindows(outlook, 'outlook-popout')
    expect(popout).toMatchObject({ to: ['mike@acme.com'], unreadable: ['Lisa from Accounting'], send: true })
  })

  it('treats nodes after the quote marker as quoted, and nodes before it as the new message', () => {
    loadFixture('outlook-reply')
    const body = outlook.findBody(outlook.findComposeWindows(document)[0]!)!
    expect(outlook.isQuoted(body.querySelector('[id="divRplyFwdMsg"]')!)).toBe(true)
    expect(outlook.isQuoted(body.querySelector('.signet-signature')!)).toBe(true)
    expect(outlook.isQuoted(body.querySelector('[id="Signature"]')!)).toBe(false)
  })
})
