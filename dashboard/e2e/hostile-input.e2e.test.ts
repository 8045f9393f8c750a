import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { naughtyStrings } from '../../api/test/corpora.ts'
import { type Harness, startHarness } from './harness.ts'

/**
 * Stored hostile strings shown by the dashboard: names, workspace name, everything a screen
 * prints. Stored through the API, then each screen is opened in Chromium: no dialog may open, no
 * payload may run (each sets a flag if it does), and no element may carry an event handler or be
 * a script, frame or object the dashboard did not ship. To check a new screen, add it to SCREENS.
 */
const FLAG = '__signetInjected'
const handWritten = [
  `<script>window.${FLAG}=1</script>`,
  `<img src=x onerror="window.${FLAG}=1">`,
  `"><svg onload=window.${FLAG}=1>`,
  `'><iframe srcdoc="<script>parent.${FLAG}=1</script>">`,
  `javascript:window.${FLAG}=1`,
  `{{constructor.constructor('window.${FLAG}=1')()}}`,
]
// Everything of the Big List that looks like markup or a script URL.
const payloads = [...handWritten, ...naughtyStrings.filter((s) => /[<>]|javascript:/i.test(s))]

interface Screen {
  name: string
  hash: string
  /** Text the screen shows once loaded (with what the last `store` saved). */
  ready: string | (() => string)
  /** How many payloads one visit shows. */
  batch: number
  store: (h: Harness, batch: string[]) => Promise<void>
}

const name = (s: string) => s.slice(0, 100)

async function call(h: Harness, method: string, path: string, json: unknown) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${h.a.admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  })
  if (res.status >= 300 && res.status !== 422)
    throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
}

let others: string[] = []
let stored = 0
const lastEmail = () => `hostile-${stored - 1}@acme-hostile.com`

const SCREENS: Screen[] = [
  {
    name: 'Contacts',
    hash: '#/contacts',
    ready: lastEmail,
    batch: 20,
    store: async (h, batch) => {
      for (const s of batch) {
        await call(h, 'POST', '/api/contacts', {
          email: `hostile-${stored++}@acme-hostile.com`,
          firstName: name(s),
          lastName: name(s),
          company: name(s),
          labels: [s.slice(0, 50) || 'x'],
        })
      }
    },
  },
  {
    name: 'Accounts',
    hash: '#/accounts',
    ready: () => `hostile-${stored - 1}.com`,
    batch: 20,
    store: async (h, batch) => {
      for (const s of batch)
        await call(h, 'POST', '/api/accounts', { domain: `hostile-${stored++}.com`, name: name(s) })
    },
  },
  {
    name: 'Users',
    hash: '#/users',
    ready: 'Users',
    batch: 20,
    store: async (h, batch) => {
      for (const [i, s] of batch.entries()) {
        await call(h, 'PATCH', `/api/users/${others[i]}`, { firstName: name(s), lastName: name(s) })
      }
    },
  },
  {
    name: 'My signature',
    hash: '#/',
    ready: 'My signature',
    batch: 1,
    store: async (h, [s = '']) => {
      await call(h, 'PATCH', `/api/users/${h.a.admin.id}`, { firstName: name(s), lastName: name(s) })
      await call(h, 'PATCH', '/api/workspace', { name: s.slice(0, 120) || 'x' })
    },
  },
  {
    name: 'Settings',
    hash: '#/settings',
    ready: 'Workspace name',
    batch: 1,
    store: async (h, [s = '']) => call(h, 'PATCH', '/api/workspace', { name: s.slice(0, 120) || 'x' }),
  },
]

let h: Harness
const dialogs: string[] = []
beforeAll(async () => {
  h = await startHarness()
  h.page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  await h.page.addInitScript((token) => localStorage.setItem('signet.token', token), h.a.admin.token)
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${h.baseUrl}/api/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.a.admin.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ email: `hostile${i}@acme.test`, role: 'employee' }),
    })
    others.push(((await res.json()) as { user: { id: string } }).user.id)
  }
})
afterAll(async () => {
  others = []
  await h?.close()
})

/** Elements that could run script, and whether a payload already ran. */
function injected(page: Page) {
  return page.evaluate((flag) => {
    const found: string[] = []
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes)
        if (/^on/i.test(attr.name)) found.push(`${el.localName}[${attr.name}]`)
      if (['iframe', 'object', 'embed', 'frame'].includes(el.localName)) found.push(el.localName)
      if (el.localName === 'script' && !(el as HTMLScriptElement).src) found.push('inline script')
      const href = el.getAttribute('href') ?? el.getAttribute('src') ?? ''
      if (/^\s*javascript:/i.test(href)) found.push(`${el.localName}[javascript: URL]`)
    }
    if ((window as any)[flag]) found.push('a payload ran')
    return found
  }, FLAG)
}

// The screens that print one value get the hand-written payloads and a sample of the list.
const sample = (batch: number) =>
  batch === 1 ? payloads.filter((_, i) => i < handWritten.length || i % 20 === 0) : payloads

describe('hostile strings in the dashboard', () => {
  it('are looked for by a check that finds an injected element and a payload that ran', async () => {
    await h.page.goto(`${h.baseUrl}/#/`)
    await h.page.getByText('My signature', { exact: true }).first().waitFor()
    await h.page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), handWritten[1]!)
    await expect.poll(() => injected(h.page)).toEqual(['img[onerror]', 'a payload ran'])
  })

  it.each(SCREENS.map((s) => [s.name, s] as const))(
    'the %s screen shows them as text',
    async (_name, screen) => {
      const { page } = h
      const list = sample(screen.batch)
      for (let at = 0; at < list.length; at += screen.batch) {
        const batch = list.slice(at, at + screen.batch)
        await screen.store(h, batch)
        await page.goto(`${h.baseUrl}/${screen.hash}`)
        await page.reload()
        const ready = typeof screen.ready === 'string' ? screen.ready : screen.ready()
        await page.getByText(ready, { exact: true }).first().waitFor()
        // Let anything deferred (an image error, a timer) happen before looking.
        await page.waitForTimeout(50)
        expect({ batch, found: await injected(page), dialogs }).toEqual({ batch, found: [], dialogs: [] })
      }
    },
  )
})
