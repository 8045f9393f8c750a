import type { Session } from '@signet/shared/auth'
import type { User } from '@signet/shared/users'
import type { Workspace } from '@signet/shared/workspace'
import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import type { ApiClient } from './api.ts'

export interface Me {
  user: User
  workspace: Workspace
}

export interface SessionContextValue {
  api: ApiClient
  me: Me
  /** Replaces the cached user/workspace after a change (e.g. the workspace was renamed). */
  refresh: () => Promise<void>
  signOut: () => Promise<void>
}

export const SessionContext = createContext<SessionContextValue | null>(null)

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext)
  if (!value) throw new Error('useSession() outside a signed-in session')
  return value
}

export async function signIn(api: ApiClient, email: string, password: string): Promise<Me> {
  const session = await api.request<Session>('POST', '/api/auth/sign-in', { email, password })
  await api.setToken(session.token)
  return { user: session.user, workspace: session.workspace }
}
