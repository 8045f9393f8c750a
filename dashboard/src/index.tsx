import { render } from 'preact'
import { App } from './App.tsx'
import { type ApiClient, createApiClient, localStorageTokenStore, type TokenStore } from './api.ts'
import './styles.css'

export { type ApiClient, ApiRequestError, type TokenStore } from './api.ts'
export { localStorageTokenStore }

export type MountOptions =
  | {
      /** Where the API is: '' when the dashboard is served by the API itself. */
      apiBaseUrl: string
      /** Keeps the bearer token (localStorage when served by the API). */
      tokenStore: TokenStore
    }
  | {
      /**
       * A client of the host's own. The extension's options page passes one that asks its
       * background worker, the only holder of the extension's token; it throws `ApiRequestError`.
       */
      api: ApiClient
    }

/**
 * Renders the whole dashboard into `element`. The API serves it at / (see main.tsx); the browser
 * extension's options page calls this with an API client that goes through its background worker.
 * Returns a function that unmounts it.
 */
export function mountDashboard(element: HTMLElement, options: MountOptions): () => void {
  const api = 'api' in options ? options.api : createApiClient(options.apiBaseUrl, options.tokenStore)
  render(<App api={api} />, element)
  return () => render(null, element)
}
