import { browser } from 'wxt/browser'
import { defineBackground } from 'wxt/utils/define-background'
import * as api from '../lib/api.ts'
import { EXTENSION_PAGES_ONLY, type Message, type MessageMap, type MessageType } from '../lib/messages.ts'
import { apiUrlItem, configItem, sessionItem, statusItem } from '../lib/storage.ts'

const CONFIG_MAX_AGE_MS = 5 * 60_000
let configFetchedAt = 0

type Handlers = { [K in MessageType]: (input: MessageMap[K]['input']) => Promise<MessageMap[K]['output']> }

const handlers: Handlers = {
  resolve: (input) => api.resolve(input),
  reportSent: (input) => api.reportSent(input.deliveryId),
  reportHealth: (input) => api.reportHealth(input),
  getConfig: async () => {
    if (Date.now() - configFetchedAt < CONFIG_MAX_AGE_MS) return configItem.getValue()
    configFetchedAt = Date.now()
    return api.refreshConfig()
  },
  signIn: async (input) => {
    configFetchedAt = Date.now()
    return api.signIn(input)
  },
  signOut: () => api.signOut(),
  dashboardRequest: (input) => api.dashboardRequest(input),
  status: async () => ({
    ...(await statusItem.getValue()),
    email: (await sessionItem.getValue())?.email ?? null,
    apiUrl: await apiUrlItem.getValue(),
  }),
}

export default defineBackground(() => {
  browser.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    const message = raw as Message
    if (!message || typeof message.type !== 'string' || !(message.type in handlers)) return false
    // Extension pages (popup, options) have our own origin; content scripts report the mail page's URL.
    const fromExtensionPage =
      sender.id === browser.runtime.id && (sender.url ?? '').startsWith(browser.runtime.getURL('/'))
    if (EXTENSION_PAGES_ONLY.has(message.type) && !fromExtensionPage) return false
    const handler = handlers[message.type] as (input: unknown) => Promise<unknown>
    handler(message.input).then(sendResponse, (error) => {
      console.warn('[signet]', message.type, error)
      sendResponse(undefined)
    })
    return true
  })
})
