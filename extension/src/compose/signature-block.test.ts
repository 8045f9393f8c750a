import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../test/fixtures.ts'
import { gmail } from '../hosts/gmail/adapter.ts'
import { outlook } from '../hosts/outlook/adapter.ts'
import type { HostAdapter } from '../hosts/types.ts'
import { sanitizeSignature } from './sanitize.ts'
import { applySignature, findBlocks, removeSignature } from './signature-block.ts'

const keep = { clientSignature: 'keep', leaveBannerOut: false } as const

function bodyOf(host: HostAdapter, fixture: Parameters<typeof loadFixture>[0]) {
  loadFixture(fixture)
  return host.findBody(host.findComposeWindows(document)[0]!)!
}

/** The body's top-level children, our block shown as [signet: text]. */
function outline(host: HostAdapter, body: HTMLElement) {
  return [...body.children].map((child) =>
    findBlocks(host, body).includes(child as HTMLElement)
      ? `[signet: ${child.textContent}]`
      : (child.textContent ?? '').slice(0, 40),
  )
}

describe('applySignature', () => {
  it('puts the block above the quoted text of a Gmail reply, leaving the quoted Signet block alone', () => {
    const body = bodyOf(gmail, 'gmail-reply')
    applySignature(gmail, body, '<p>Banner A</p>', keep)
    expect(outline(gmail, body)).toEqual([
      'Thanks Carol, my reply.',
      '',
      '[signet: Banner A]',
      'On Mon, Carol wrote:Quarterly numbers at',
    ])
    expect(body.querySelectorAll('.signet-signature')).toHaveLength(2)
  })

  it('puts the block above the quote marker of an Outlook reply', () => {
    const body = bodyOf(outlook, 'outlook-reply')
    applySignature(outlook, body, '<p>Banner A</p>', keep)
    expect(outline(outlook, body).slice(0, 4)).toEqual([
      'Thanks Carol, my reply.',
      'My Outlook signature',
      '[signet: Banner A]',
      '',
    ])
  })

  it('replaces the block in place when recipients change, never duplicating it, and keeps typed text', () => {
    const body = bodyOf(gmail, 'gmail-new')
    applySignature(gmail, body, '<p>Banner A</p>', keep)
    body.firstElementChild!.textContent = 'Hi Ann, edited after the first insert.'
    applySignature(gmail, body, '<p>Banner B</p>', keep)
    expect(outline(gmail, body)).toEqual([
      'Hi Ann, edited after the first insert.',
      '',
      "-- Ann's own Gmail signature",
      '[signet: Banner B]',
    ])
  })

  it('takes the place of the client signature when the workspace replaces it, and puts it back on removal', () => {
    const body = bodyOf(outlook, 'outlook-new')
    const own = outlook.findClientSignature(body)!
    applySignature(outlook, body, '<p>Ours</p>', { clientSignature: 'replace', leaveBannerOut: false })
    applySignature(outlook, body, '<p>Ours again</p>', { clientSignature: 'replace', leaveBannerOut: false })
    expect(outline(outlook, body)).toEqual(['Hello Ann, typed by the employee.', '', '[signet: Ours again]'])
    expect(own.isConnected).toBe(false)
    expect(removeSignature(outlook, body)).toBe(true)
    expect(outline(outlook, body)).toEqual([
      'Hello Ann, typed by the employee.',
      '',
      "Ann's own Outlook signature",
    ])
    expect(removeSignature(outlook, body)).toBe(false)
  })

  it('makes the block a non-editable island, so typing never lands inside it', () => {
    const body = bodyOf(gmail, 'gmail-new')
    const block = applySignature(gmail, body, '<p>Banner</p>', keep)!
    expect(block.getAttribute('contenteditable')).toBe('false')
    expect(block.isContentEditable).toBe(false)
  })

  it('fires an input event so the mail client saves the draft', () => {
    const body = bodyOf(gmail, 'gmail-new')
    let inputs = 0
    body.addEventListener('input', () => inputs++)
    applySignature(gmail, body, '<p>Banner</p>', keep)
    removeSignature(gmail, body)
    expect(inputs).toBe(2)
  })

  it('leaves only the marked banner out when asked, or the whole block when the banner is not marked', () => {
    const body = bodyOf(gmail, 'gmail-new')
    const html =
      '<p>Ann Example, Acme</p><p data-signet-banner><a href="https://x.test/c"><img src="https://x.test/b.png"></a></p>'
    const block = applySignature(gmail, body, html, { clientSignature: 'keep', leaveBannerOut: true })
    expect(block?.innerHTML).toBe('<p>Ann Example, Acme</p>')
    expect(
      applySignature(gmail, body, '<p>unmarked banner</p>', {
        clientSignature: 'keep',
        leaveBannerOut: true,
      }),
    ).toBeNull()
    expect(findBlocks(gmail, body)).toEqual([])
  })
})

describe('sanitizeSignature', () => {
  const clean = (html: string) => {
    const div = document.createElement('div')
    div.append(sanitizeSignature(html, document))
    return div.innerHTML
  }

  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<img src="x" onerror="alert(1)">', '<img>'],
    ['<a href="javascript:alert(1)">x</a>', '<a>x</a>'],
    ['<iframe src="https://evil.test"></iframe><b>b</b>', '<b>b</b>'],
    ['<p style="background:url(https://t.test)">p</p>', '<p>p</p>'],
    ['<svg><script>alert(1)</script></svg>', ''],
  ])('cleans %s', (input, output) => {
    expect(clean(input)).toBe(output)
  })

  it('keeps what a signature needs', () => {
    const html =
      '<table cellpadding="0"><tbody><tr><td style="color: red"><a href="https://signet.test/c/abc" target="_blank" rel="noopener noreferrer"><img src="https://signet.test/b.png" alt="Webinar" width="600"></a></td></tr></tbody></table>'
    expect(clean(html)).toBe(html)
  })
})
