import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyDeliveryToken } from '../../api/src/tracking/token.ts'
import { openTestDatabase } from '../../api/test/helpers.ts'
import { launch, screenshot, signInFromPopup } from './browser.ts'
import { clicksOf, deliveriesOf } from './queries.ts'
import { PASSWORD, SEEDED, startApi, startMailServer } from './servers.ts'

/**
 * An employee writing email with the extension, against the real API with campaigns a marketer
 * published through the API: the banner follows the recipients, and what the recipient does with
 * it reaches the API.
 */

let api: Awaited<ReturnType<typeof startApi>>
let mail: Awaited<ReturnType<typeof startMailServer>>
let browser: Awaited<ReturnType<typeof launch>>
let page: Page

beforeAll(async () => {
  api = await startApi({ seed: true, database: await openTestDatabase() })
  mail = await startMailServer()
  browser = await launch(mail.port)
  await signInFromPopup(browser.context, browser.extensionId, {
    apiUrl: api.url,
    email: api.email,
    password: PASSWORD,
  })
})

afterAll(async () => {
  await browser?.close()
  await mail?.close()
  await api?.close()
})

const BODY = '[g_editable="true"]'
/** Our blocks in the message being written (a Signet block inside quoted text belongs to an earlier mail). */
const BLOCKS = `${BODY} [data-signet-signature]:not(.gmail_quote *)`

/** Replaces the To chips of the Gmail compose window, as Gmail does when the employee edits To. */
async function setRecipients(target: Page, to: string[]) {
  await target.evaluate((emails) => {
    const list = document.querySelector('[name="to"] [role="listbox"]')!
    list.replaceChildren(
      ...emails.map((email) => {
        const chip = document.createElement('div')
        chip.setAttribute('role', 'option')
        chip.setAttribute('data-hovercard-id', email)
        chip.textContent = email.split('@')[0]!
        return chip
      }),
    )
  }, to)
}

/**
 * Signs out and in again from the popup: a sign-in fetches the workspace's extension settings at
 * once (otherwise the background refreshes them every few minutes).
 */
async function signInAgain() {
  const popup = await browser.context.newPage()
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`)
  await popup.getByTestId('sign-out').click()
  await popup.getByText('Signed out.').waitFor()
  await popup.close()
  await signInFromPopup(browser.context, browser.extensionId, {
    apiUrl: api.url,
    email: api.email,
    password: PASSWORD,
  })
}

const indicator = (target: Page) => target.locator('signet-indicator').first()
const indicatorText = (target: Page) =>
  indicator(target).evaluate((el) => el.shadowRoot?.querySelector('.bar')?.textContent ?? '')

/** Waits until the indicator shows `campaign` ('' for none), i.e. the block for it is in place. */
async function waitForCampaign(target: Page, campaign: string) {
  await expect
    .poll(async () => {
      const state = await indicator(target).getAttribute('data-state')
      const shown = await indicator(target).getAttribute('data-campaign')
      return state === 'ok' || state === 'no_recipients' ? shown : `(${state})`
    })
    .toBe(campaign)
}

async function blockLinks(target: Page) {
  return target
    .locator(BLOCKS)
    .locator('a, img')
    .evaluateAll((nodes) => nodes.map((n) => n.getAttribute('href') ?? n.getAttribute('src') ?? ''))
}

describe('writing email with the extension against published campaigns', () => {
  it('inserts the banner of the campaign targeting a recipient, and says why', async () => {
    page = await browser.context.newPage()
    await page.goto('https://mail.google.com/gmail-new.html') // To: ann@acme.com, bob@globex.com
    await waitForCampaign(page, SEEDED.webinar.name)
    await expect.poll(() => page.locator(BLOCKS).count()).toBe(1)
    expect(await page.locator(`${BLOCKS} img`).getAttribute('alt')).toBe(`${SEEDED.webinar.name} banner`)
    expect(await page.locator(`${BLOCKS} [data-signet-banner] a`).first().getAttribute('href')).toMatch(
      `${api.url}/t/c/`,
    )
    expect(await indicatorText(page)).toContain(`Banner: ${SEEDED.webinar.name} — `)
    expect(await indicatorText(page)).toContain('acme.com')
    // The workspace keeps the client's own signature: ours comes after it, the typed text before.
    const order = await page
      .locator(`${BODY} > *`)
      .evaluateAll((nodes) =>
        nodes.map((n) =>
          n.matches('[data-signet-signature]') ? 'signet' : n.matches('.gmail_signature') ? 'own' : 'text',
        ),
      )
    expect(order).toEqual(['text', 'text', 'own', 'signet'])
    await screenshot(page, '10-gmail-banner-for-targeted-recipient')
  })

  it('switches the banner when the recipients change, with one block and the typed text intact', async () => {
    await page.locator(`${BODY} > div`).first().click()
    await page.keyboard.press('End')
    await page.keyboard.type(' Typed after the banner came.')
    // Towards the very end of the message: the caret cannot enter the block.
    await page.keyboard.press('Control+End')
    await page.keyboard.type('P.S. typed at the end.')
    expect(await page.locator(BLOCKS).textContent()).not.toContain('P.S.')
    await setRecipients(page, ['carol@initech.com'])
    await waitForCampaign(page, SEEDED.fair.name)
    expect(await page.locator(BLOCKS).count()).toBe(1)
    expect(await page.locator('[data-signet-signature]').count()).toBe(1)
    expect(await page.locator(`${BLOCKS} img`).getAttribute('alt')).toBe(`${SEEDED.fair.name} banner`)
    expect(await page.locator(`${BODY} > div`).first().textContent()).toContain(
      'Hi Ann, typed by the employee. Typed after the banner came.',
    )
    expect(await page.locator(BODY).textContent()).toContain('P.S. typed at the end.')
    await screenshot(page, '11-gmail-banner-switched')
  })

  it('gives an opted-out recipient an untracked banner: no tracking link, no view pixel', async () => {
    await setRecipients(page, [SEEDED.optedOut])
    await waitForCampaign(page, SEEDED.webinar.name)
    const links = await blockLinks(page)
    expect(links).toContain(SEEDED.webinar.destination)
    expect(links.filter((l) => l.includes('/t/'))).toEqual([])
    expect(await indicatorText(page)).toContain(`Banner: ${SEEDED.webinar.name} (untracked) — `)
    expect(await indicatorText(page)).toContain(`${SEEDED.optedOut} opted out of tracking`)
    expect(await page.locator(BLOCKS).count()).toBe(1)
    await screenshot(page, '12-gmail-untracked-banner-for-opted-out')
  })

  it('removes the block when no recipient is left, keeping the client signature and the typed text', async () => {
    await setRecipients(page, [])
    await waitForCampaign(page, '')
    expect(await page.locator('[data-signet-signature]').count()).toBe(0)
    expect(await page.locator(`${BODY} .gmail_signature`).count()).toBe(1)
    expect(await page.locator(BODY).textContent()).toContain('Typed after the banner came.')
    await screenshot(page, '13-gmail-no-recipients-no-block')
  })

  it('leaves the banner out of this one email when the employee says so, keeping the signature', async () => {
    await setRecipients(page, ['ann@acme.com'])
    await waitForCampaign(page, SEEDED.webinar.name)
    await indicator(page).locator('input[type="checkbox"]').check()
    await expect.poll(() => page.locator(`${BLOCKS} [data-signet-banner]`).count()).toBe(0)
    expect(await page.locator(BLOCKS).count()).toBe(1)
    await screenshot(page, '14-gmail-banner-left-out')
    await indicator(page).locator('input[type="checkbox"]').uncheck()
    await expect.poll(() => page.locator(`${BLOCKS} [data-signet-banner]`).count()).toBe(1)
  })

  it('reports the send, and a click on the sent banner is counted by the API', async () => {
    const href = await page.locator(`${BLOCKS} [data-signet-banner] a`).first().getAttribute('href')
    const token = href!.slice(`${api.url}/t/c/`.length)
    const deliveryId = verifyDeliveryToken(api.secret, token)
    expect(deliveryId).toBeDefined()

    await page.locator('[role="button"].aoO').click() // Gmail's send button
    await expect
      .poll(async () => (await deliveriesOf(api.db, api.seeded!.webinarId)).find((d) => d.id === deliveryId))
      .toMatchObject({ sent_at: expect.any(Date) })

    // The recipient's mail client shows the block as sent; the recipient clicks the banner.
    const html = await page.locator(BLOCKS).evaluate((block) => block.outerHTML)
    const reader = await browser.context.newPage()
    await reader.setContent(`<!doctype html><p>Hello from Ann</p>${html}`)
    const [landing] = await Promise.all([
      reader.waitForEvent('popup'),
      reader.locator('[data-signet-banner] a').first().click(),
    ])
    await landing.waitForURL(SEEDED.webinar.destination)
    await expect
      .poll(async () => (await clicksOf(api.db, api.seeded!.webinarId)).map((c) => c.delivery_id))
      .toEqual([deliveryId])
    await screenshot(reader, '15-recipient-view-of-sent-banner')
    await landing.close()
    await reader.close()
    await page.close()
  })

  it('puts the block above the quoted text of a reply, leaving the quoted Signet block alone', async () => {
    const reply = await browser.context.newPage()
    await reply.goto('https://mail.google.com/gmail-reply.html') // To carol@initech.com, Cc dave@acme.com
    await expect.poll(() => reply.locator(BLOCKS).count()).toBe(1)
    const order = await reply
      .locator(`${BODY} > *`)
      .evaluateAll((nodes) =>
        nodes.map((n) =>
          n.matches('[data-signet-signature]') ? 'signet' : n.matches('.gmail_quote') ? 'quote' : n.tagName,
        ),
      )
    expect(order).toEqual(['DIV', 'BR', 'signet', 'quote'])
    expect(await reply.locator('.gmail_quote [data-signet-signature]').textContent()).toBe(
      'An earlier Signet block, part of the quoted message',
    )
    await screenshot(reply, '16-gmail-reply-block-above-quote')
    await reply.close()
  })

  it('works the same on Outlook on the web (outlook.live.com), above the quote marker', async () => {
    const outlook = await browser.context.newPage()
    await outlook.goto('https://outlook.live.com/outlook-reply.html') // To carol@initech.com
    await waitForCampaign(outlook, SEEDED.fair.name)
    const body = outlook.locator('[role="textbox"][aria-multiline="true"]')
    const order = await body
      .locator(':scope > *')
      .evaluateAll((nodes) =>
        nodes.map((n) => (n.matches('[data-signet-signature]') ? 'signet' : n.id || n.tagName)),
      )
    // After the marker comes the earlier message, with a Signet block of its own that stays.
    expect(order.slice(0, 4)).toEqual(['DIV', 'Signature', 'signet', 'appendonsend'])
    expect(order.slice(4)).toContain('signet')
    await screenshot(outlook, '17-outlook-reply-block-above-quote')
    await outlook.close()
  })

  it('takes the place of the client signature when the workspace replaces it, and puts it back', async () => {
    await api.call('PATCH', '/api/workspace', { clientSignature: 'replace' })
    await signInAgain()
    const compose = await browser.context.newPage()
    await compose.goto('https://mail.google.com/gmail-new.html')
    await waitForCampaign(compose, SEEDED.webinar.name)
    const order = () =>
      compose
        .locator(`${BODY} > *`)
        .evaluateAll((nodes) =>
          nodes.map((n) =>
            n.matches('[data-signet-signature]') ? 'signet' : n.matches('.gmail_signature') ? 'own' : 'text',
          ),
        )
    expect(await order()).toEqual(['text', 'text', 'signet'])
    await screenshot(compose, '18-gmail-client-signature-replaced')
    await setRecipients(compose, [])
    await waitForCampaign(compose, '')
    expect(await order()).toEqual(['text', 'text', 'own'])
    await compose.close()
    await api.call('PATCH', '/api/workspace', { clientSignature: 'keep' })
  })

  it('does nothing in Gmail once an admin switches Gmail off, while Outlook goes on', async () => {
    await api.call('PATCH', '/api/workspace', { disabledFeatures: ['gmail'] })
    await signInAgain()
    const since = api.requests.length
    const gmail = await browser.context.newPage()
    await gmail.goto('https://mail.google.com/gmail-new.html')
    const outlook = await browser.context.newPage()
    await outlook.goto('https://outlook.office.com/outlook-new.html')
    // Outlook's answer came back, so Gmail's content script has long had its configuration.
    await expect.poll(() => outlook.locator('[data-signet-signature]').count()).toBe(1)
    expect(await gmail.locator('signet-indicator').count()).toBe(0)
    expect(await gmail.locator('[data-signet-signature]').count()).toBe(0)
    const resolves = api.requests.slice(since).filter((r) => r.path === '/api/resolve')
    expect(resolves.map((r) => (r.body as { client: string }).client)).toEqual(['outlook'])
    await screenshot(gmail, '19-gmail-switched-off')
    await gmail.close()
    await outlook.close()
  })
})
