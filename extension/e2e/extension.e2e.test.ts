import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabase } from '../../api/test/helpers.ts'
import { launch, screenshot } from './browser.ts'
import { PASSWORD, startApi, startMailServer } from './servers.ts'

let api: Awaited<ReturnType<typeof startApi>>
let mail: Awaited<ReturnType<typeof startMailServer>>
let browser: Awaited<ReturnType<typeof launch>>

beforeAll(async () => {
  api = await startApi({ database: await openTestDatabase() })
  mail = await startMailServer()
  browser = await launch(mail.port)
})

afterAll(async () => {
  await browser?.close()
  await mail?.close()
  await api?.close()
})

async function openPopup(): Promise<Page> {
  const page = await browser.context.newPage()
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`)
  return page
}

const resolveCalls = () => api.requests.filter((r) => r.method === 'POST' && r.path === '/api/resolve')

async function waitForResolveCount(count: number) {
  await expect.poll(() => resolveCalls().length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count)
  return resolveCalls()[count - 1]!
}

describe('the built extension in Chromium against the real API', () => {
  it('says so in the popup when the password is wrong, and stays signed out', async () => {
    const popup = await openPopup()
    await expect
      .poll(() => popup.getByTestId('status').textContent(), { timeout: 15_000 })
      .toBe('Not signed in.')
    await popup.fill('input[name="apiUrl"]', api.url)
    await popup.fill('input[name="email"]', api.email)
    await popup.fill('input[name="password"]', 'not the password')
    await popup.getByTestId('sign-in').click()
    await expect
      .poll(() => popup.getByTestId('status').textContent(), { timeout: 15_000 })
      .toBe('The email or password is not correct.')
    expect(await popup.getByTestId('sign-in').count()).toBe(1)
    await popup.close()
  })

  it('signs in from the popup with the API address of a local server', async () => {
    const popup = await openPopup()
    await popup.fill('input[name="apiUrl"]', api.url)
    await popup.fill('input[name="email"]', api.email)
    await popup.fill('input[name="password"]', PASSWORD)
    await popup.getByTestId('sign-in').click()
    await expect
      .poll(() => popup.getByTestId('status').textContent(), { timeout: 15_000 })
      .toBe(`Signed in as ${api.email}.`)
    expect(api.requests.filter((r) => r.path === '/api/auth/sign-in').map((r) => r.status)).toEqual([
      401, 200,
    ])
    await screenshot(popup, '01-popup-signed-in')
    await popup.close()
  })

  it('reads the Gmail compose recipients and asks the API through the background worker', async () => {
    const page = await browser.context.newPage()
    await page.goto('https://mail.google.com/gmail-new.html')
    const call = await waitForResolveCount(1)
    expect(call.body).toEqual({ to: ['ann@acme.com', 'bob@globex.com'], cc: [], bcc: [], client: 'gmail' })
    await expect.poll(() => page.locator('signet-indicator').count()).toBe(1)
    await screenshot(page, '02-gmail-compose-resolve-asked')

    // Gmail removes a chip: the extension asks again with the new list.
    await page.locator('[data-hovercard-id="ann@acme.com"]').evaluate((chip) => chip.remove())
    const second = await waitForResolveCount(2)
    expect(second.body).toEqual({ to: ['bob@globex.com'], cc: [], bcc: [], client: 'gmail' })
    await page.close()
  })

  it('degrades quietly when the API is unreachable: the compose window and typed text stay intact', async () => {
    // Point the extension at a closed port, as if the API went down after sign-in.
    await browser.worker.evaluate(() =>
      (globalThis as any).chrome.storage.local.set({ apiUrl: 'http://127.0.0.1:9' }),
    )
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    await page.goto('https://mail.google.com/gmail-reply.html')
    const before = await page.locator('[g_editable="true"]').innerHTML()
    await expect
      .poll(() => page.locator('signet-indicator').evaluate((el) => el.shadowRoot?.textContent ?? ''), {
        timeout: 15_000,
      })
      .toContain('Signet: The Signet API at http://127.0.0.1:9 could not be reached.')
    expect(await page.locator('[g_editable="true"]').innerHTML()).toBe(before)
    expect(await page.locator('[data-signet-signature]').count()).toBe(1) // only the quoted one
    expect(errors).toEqual([])
    await screenshot(page, '03-gmail-reply-api-unreachable')
    await page.close()
    await browser.worker.evaluate(
      (url) => (globalThis as any).chrome.storage.local.set({ apiUrl: url }),
      api.url,
    )
  })

  it('reads Outlook recipients, Cc included, and says "outlook"', async () => {
    const page = await browser.context.newPage()
    const count = resolveCalls().length
    await page.goto('https://outlook.office.com/outlook-new.html')
    const call = await waitForResolveCount(count + 1)
    expect(call.body).toEqual({
      to: ['ann@acme.com', 'bob@globex.com'],
      cc: ['kim@initech.com'],
      bcc: [],
      client: 'outlook',
    })
    await screenshot(page, '04-outlook-compose-resolve-asked')
    await page.close()
  })

  it('finds a compose window inside a frame and says which chip has no readable address', async () => {
    const page = await browser.context.newPage()
    const count = resolveCalls().length
    await page.goto('https://outlook.office.com/outlook-frame.html')
    const call = await waitForResolveCount(count + 1)
    expect(call.body).toEqual({ to: ['mike@acme.com'], cc: [], bcc: [], client: 'outlook' })
    const frame = page.frameLocator('#compose-frame')
    await expect
      .poll(() => frame.locator('signet-indicator').evaluate((el) => el.shadowRoot?.textContent ?? ''))
      .toContain('Signet cannot read the address of Lisa from Accounting; not counted.')
    await screenshot(page, '05-outlook-frame-unreadable-chip')
    await page.close()
  })

  it('asks once per compose window when two are open', async () => {
    const page = await browser.context.newPage()
    const count = resolveCalls().length
    await page.goto('https://mail.google.com/gmail-two.html')
    await waitForResolveCount(count + 2)
    expect(
      resolveCalls()
        .slice(count)
        .map((r) => r.body)
        .sort((a: any, b: any) => a.to[0].localeCompare(b.to[0])),
    ).toEqual([
      { to: ['erin@acme.com'], cc: [], bcc: ['audit@globex.com'], client: 'gmail' },
      { to: ['frank@initech.com'], cc: [], bcc: [], client: 'gmail' },
    ])
    expect(await page.locator('signet-indicator').count()).toBe(2)
    await page.close()
  })

  it('signs out from the popup and stops asking the API', async () => {
    const popup = await openPopup()
    await popup.getByTestId('sign-out').click()
    await expect
      .poll(() => popup.getByTestId('status').textContent(), { timeout: 15_000 })
      .toBe('Signed out.')
    const count = resolveCalls().length
    const page = await browser.context.newPage()
    await page.goto('https://mail.google.com/gmail-two.html')
    await expect
      .poll(() =>
        page
          .locator('signet-indicator')
          .first()
          .evaluate((el) => el.shadowRoot?.textContent ?? ''),
      )
      .toContain('Not signed in.')
    expect(resolveCalls().length).toBe(count)
    await page.close()
    await popup.close()
  })
})
