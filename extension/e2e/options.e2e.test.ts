import { readFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pngImage } from '../../api/src/campaigns/test-images.ts'
import { openTestDatabase } from '../../api/test/helpers.ts'
import { launch, screenshot, signInFromPopup } from './browser.ts'
import { PASSWORD, startApi, startMailServer } from './servers.ts'

/** The options page is the dashboard, signed in with the extension's one session. */

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

async function openOptions(): Promise<Page> {
  const page = await browser.context.newPage()
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`)
  return page
}

async function popupStatus() {
  const popup = await browser.context.newPage()
  await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`)
  await popup.getByTestId('status').waitFor()
  const status = await popup.getByTestId('status').textContent()
  await popup.close()
  return status
}

const who = (page: Page) => page.locator('header .who')

describe('the options page', () => {
  it('opens from the popup and shows the dashboard signed in with the session the popup started', async () => {
    await signInFromPopup(browser.context, browser.extensionId, {
      apiUrl: api.url,
      email: api.email,
      password: PASSWORD,
    })
    const popup = await browser.context.newPage()
    await popup.goto(`chrome-extension://${browser.extensionId}/popup.html`)
    const [page] = await Promise.all([
      browser.context.waitForEvent('page'),
      popup.getByRole('button', { name: 'Open the dashboard' }).click(),
    ])
    expect(page.url()).toBe(`chrome-extension://${browser.extensionId}/options.html`)
    await popup.close()
    await expect.poll(() => who(page).textContent()).toBe(`${api.email} · Acme E2E`)
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'My signature',
    ])
    // The token stays with the background worker: the page has none of its own.
    expect(await page.evaluate(() => JSON.stringify(localStorage))).toBe('{}')
    await screenshot(page, '20-options-dashboard-signed-in')
    await page.close()
  })

  it('signs out from the dashboard, which signs the extension out', async () => {
    const page = await openOptions()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await expect.poll(() => page.getByText('You are signed out.').isVisible()).toBe(true)
    expect(await popupStatus()).toBe('Signed out.')
    await page.close()
  })

  it('signs in from the dashboard, which signs the extension in', async () => {
    const page = await openOptions()
    await page.getByLabel('Email').fill(api.email)
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByText('The email or password is not correct.').isVisible()).toBe(true)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => who(page).textContent()).toBe(`${api.email} · Acme E2E`)
    expect(await popupStatus()).toBe(`Signed in as ${api.email}.`)
    await screenshot(page, '21-options-signed-in-from-dashboard')
    await page.close()
  })

  it('uploads a file (a banner) through the background worker, byte for byte', async () => {
    const page = await openOptions()
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.getByLabel('Email').fill('admin@acme-e2e.test')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => who(page).textContent()).toBe('admin@acme-e2e.test · Acme E2E')
    const campaign = await api.call('POST', '/api/campaigns', {
      name: 'Upload check',
      destinationUrl: 'https://example.com/',
      altText: 'Upload check',
    })
    const png = pngImage(600, 100)
    // What the options page's client sends for a Blob body (see api-client.ts).
    const answer = await page.evaluate(
      (input) => (globalThis as any).chrome.runtime.sendMessage({ type: 'dashboardRequest', input }),
      {
        method: 'PUT',
        path: `/api/campaigns/${campaign.id}/variants/${campaign.variants[0].id}/image`,
        file: { type: 'image/png', base64: png.toString('base64') },
      },
    )
    expect(answer.status).toBe(200)
    expect(answer.body.variants[0].image).toMatchObject({ width: 600, height: 100, byteSize: png.length })
    await page.close()
  })

  it('downloads a list export the API streams, through the background worker, byte-order mark and all', async () => {
    await api.call('POST', '/api/contacts', { email: 'joerg@export-e2e.com', firstName: 'Jörg' })
    const page = await browser.context.newPage()
    await page.goto(`chrome-extension://${browser.extensionId}/options.html#/contacts`)
    await expect.poll(() => page.locator('tr[data-contact="joerg@export-e2e.com"]').count()).toBe(1)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const csv = await readFile((await download.path())!, 'utf8')
    // The BOM tells Excel the file is UTF-8, so "Jörg" does not turn into "JÃ¶rg".
    expect(csv.startsWith('\ufeffid,email,')).toBe(true)
    expect(csv).toContain('joerg@export-e2e.com,Jörg')
    await page.close()
  })
})
