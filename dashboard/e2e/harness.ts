import { mkdir } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { type Browser, chromium, type Page } from 'playwright-core'
import { createApp } from '../../api/src/app.ts'
import { createWorkspace, openTestDatabase, testConfig } from '../../api/test/helpers.ts'

export const SCREENSHOTS = new URL('../../test-results/dashboard/', import.meta.url).pathname

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
]

/** The real API over a fresh migrated database, listening on a random port, and a headless Chromium. */
export async function startHarness() {
  const database = await openTestDatabase()
  const config = testConfig()
  const app = createApp({ db: database.db, config })
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
  await new Promise<void>((resolve) => server.once('listening', () => resolve()))
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Links and images the API renders (banners in signatures) point at this server.
  config.publicBaseUrl = baseUrl
  const browser: Browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  })
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 860 } })
  // Fail in seconds, not at the test timeout, when an element never shows up.
  page.setDefaultTimeout(5_000)
  await mkdir(SCREENSHOTS, { recursive: true })

  /** Calls the API directly, to check what the browser did (or did not) change. */
  const api = async (path: string, token: string) => {
    const res = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
    return res.json() as Promise<any>
  }

  /** Sends a request as `token` and answers its JSON body (undefined for 204). */
  const send = async (method: string, path: string, token: string, json?: unknown): Promise<any> => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: json === undefined ? undefined : JSON.stringify(json),
    })
    return res.status === 204 ? undefined : res.json()
  }

  return {
    baseUrl,
    page,
    api,
    send,
    /** Signs the browser in with an existing session token, without the sign-in form. */
    signIn: async (token: string) => {
      await page.goto(baseUrl)
      await page.evaluate((t) => localStorage.setItem('signet.token', t), token)
    },
    /** Opens a dashboard route afresh (the hash router, then a reload so it loads anew). */
    go: async (route: string) => {
      await page.goto(`${baseUrl}/#${route}`)
      await page.reload()
    },
    db: database.db,
    a: await createWorkspace(database.db, config, 'Acme Marketing'),
    screenshot: (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true }),
    close: async () => {
      await browser.close()
      await new Promise((resolve) => server.close(resolve))
      await database.close()
    },
  }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>
