import { localStorageTokenStore, mountDashboard } from './index.tsx'

// Served by the API: same origin, token in localStorage.
mountDashboard(document.getElementById('app')!, { apiBaseUrl: '', tokenStore: localStorageTokenStore() })
