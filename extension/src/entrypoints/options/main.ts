import { mountDashboard } from '@signet/dashboard'
import { sendMessage } from '../../lib/messages.ts'
import { BackgroundApiClient } from './api-client.ts'

// The whole dashboard, signed in with the extension's session (the popup's sign-in and this one
// are the same). Every request goes through the background worker, which holds the token.
const { apiUrl } = await sendMessage('status')
mountDashboard(document.getElementById('app')!, { api: new BackgroundApiClient(apiUrl, sendMessage) })
