import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type BrowserContext, chromium, type Page } from 'playwright-core'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const EXTENSION_DIR = join(import.meta.dirname, '..', '.output', 'chrome-mv3')
export const SCREENSHOTS = join(import.meta.dirname, '..', 'test-results', 'e2e')

/** Headless Chromium with the built extension loaded and the mail hosts mapped to the local HTTPS server. */
export async function launch(mailPort: number) {
  const userDataDir = mkdtempSync(join(tmpdir(), 'signet-e2e-profile-'))
  const hosts = ['mail.google.com', 'outlook.office.com', 'outlook.office365.com', 'outlook.live.com']
  const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    // Extensions need the new headless mode, which playwright-core does not pick for a custom binary.
    headless: false,
    ignoreHTTPSErrors: true,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--ignore-certificate-errors',
      `--host-resolver-rules=${hosts.map((h) => `MAP ${h}:443 127.0.0.1:${mailPort}`).join(', ')}`,
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
    ],
  })
  const worker =
    context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 30_000 }))
  const extensionId = new URL(worker.url()).host
  mkdirSync(SCREENSHOTS, { recursive: true })
  return { context, extensionId, worker, close: () => context.close() }
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** Signs in from the extension's popup, as an employee would, and waits until the popup says so. */
export async function signInFromPopup(
  context: BrowserContext,
  extensionId: string,
  account: { apiUrl: string; email: string; password: string },
) {
  const popup = await context.newPage()
  await popup.goto(`chrome-extension://${extensionId}/popup.html`)
  await popup.fill('input[name="apiUrl"]', account.apiUrl)
  await popup.fill('input[name="email"]', account.email)
  await popup.fill('input[name="password"]', account.password)
  await popup.getByTestId('sign-in').click()
  await popup.getByText(`Signed in as ${account.email}.`).waitFor({ timeout: 15_000 })
  await popup.close()
}
