import { render } from 'preact'
import { App } from './App.tsx'
import { createApiClient, localStorageTokenStore, type TokenStore } from './api.ts'
import './styles.css'

export type { TokenStore } from './api.ts'
export { localStorageTokenStore }

export interface MountOptions {
  /** Where the API is: '' when the dashboard is served by the API itself. */
  apiBaseUrl: string
  /** Keeps the bearer token: localStorage in the browser, extension storage in the extension. */
  tokenStore: TokenStore
}

/**
 * Renders the whole dashboard into `element`. The API serves it at / (see main.tsx); the browser
 * extension's options page calls this with its API address and its own token storage.
 * Returns a function that unmounts it.
 */
export function mountDashboard(element: HTMLElement, options: MountOptions): () => void {
  const api = createApiClient(options.apiBaseUrl, options.tokenStore)
  render(<App api={api} />, element)
  return () => render(null, element)
}
