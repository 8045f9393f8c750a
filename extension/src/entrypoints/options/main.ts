import { mountDashboard } from '@signet/dashboard'
import { backgroundApiClient } from './api-client.ts'

// The whole dashboard, signed in with the extension's session (the popup's sign-in and this one
// are the same). Every request goes through the background worker, which holds the token.
mountDashboard(document.getElementById('app')!, { api: backgroundApiClient() })
