import { useEffect, useState } from 'preact/hooks'
import { browser } from 'wxt/browser'
import { type MessageMap, sendMessage } from '../../lib/messages.ts'

type PopupStatus = MessageMap['status']['output']

/** Asks for access to a non-local API address; localhost is granted by the manifest. */
async function requestOrigin(apiUrl: string): Promise<boolean> {
  const origin = new URL(apiUrl).origin
  if (/^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(origin)) return true
  return browser.permissions.request({ origins: [`${origin}/*`] })
}

export function App() {
  const [status, setStatus] = useState<PopupStatus | null>(null)
  const [apiUrl, setApiUrl] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState('')

  const refresh = async () => {
    const next = await sendMessage('status')
    setStatus(next)
    setApiUrl((current) => current || next.apiUrl)
  }
  useEffect(() => {
    void refresh()
  }, [])

  const signIn = async (event: Event) => {
    event.preventDefault()
    setProblem('')
    let url: string
    try {
      url = new URL(apiUrl.trim()).origin
    } catch {
      setProblem('Enter the API address, e.g. http://localhost:3000.')
      return
    }
    setBusy(true)
    try {
      if (!(await requestOrigin(url))) {
        setProblem(`Signet needs permission to reach ${url}.`)
        return
      }
      await sendMessage('signIn', { apiUrl: url, email, password })
      setPassword('')
      await refresh()
    } finally {
      setBusy(false)
    }
  }

  const signOut = async () => {
    setBusy(true)
    await sendMessage('signOut')
    await refresh()
    setBusy(false)
  }

  if (!status) return <main>Loading…</main>
  const signedIn = status.email !== null
  return (
    <main>
      <h1>Signet</h1>
      <p class="status" data-testid="status" data-connection={status.connection}>
        {status.message}
      </p>
      {signedIn ? (
        <button type="button" data-testid="sign-out" disabled={busy} onClick={signOut}>
          Sign out
        </button>
      ) : (
        <form onSubmit={signIn}>
          <label>
            API address
            <input name="apiUrl" value={apiUrl} onInput={(e) => setApiUrl(e.currentTarget.value)} />
          </label>
          <label>
            Email
            <input name="email" type="email" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
          </label>
          <label>
            Password
            <input
              name="password"
              type="password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </label>
          {problem && <p role="alert">{problem}</p>}
          <button type="submit" data-testid="sign-in" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
      <button type="button" class="link" onClick={() => void browser.runtime.openOptionsPage()}>
        Open the dashboard
      </button>
    </main>
  )
}
