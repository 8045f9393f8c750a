import type { Role } from '@signet/shared/users'
import type { ComponentType } from 'preact'
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { ApiClient } from './api.ts'
import { Link, navigate, splitRoute, useRoute } from './router.tsx'
import { AcceptInvitation } from './screens/AcceptInvitation.tsx'
import Profile from './screens/Profile.tsx'
import { SignIn } from './screens/SignIn.tsx'
import { type Me, SessionContext, type SessionContextValue } from './session.tsx'
import { lazyScreen } from './ui/lazy.tsx'
import { ErrorState, Loading } from './ui/states.tsx'

interface Screen {
  path: string
  label: string
  role: Role
  component: ComponentType
}

// One line per screen. Every screen but the first is its own chunk, loaded on first visit.
const screens: Screen[] = [
  { path: '/', label: 'My signature', role: 'employee', component: Profile },
  {
    path: '/users',
    label: 'Users',
    role: 'admin',
    component: lazyScreen(() => import('./screens/Users.tsx')),
  },
  {
    path: '/accounts',
    label: 'Accounts',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Accounts.tsx')),
  },
  {
    path: '/contacts',
    label: 'Contacts',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Contacts.tsx')),
  },
  {
    path: '/groups',
    label: 'Target groups',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Groups.tsx')),
  },
  {
    path: '/segments',
    label: 'Segments',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Segments.tsx')),
  },
  {
    path: '/imports',
    label: 'Imports',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Imports.tsx')),
  },
  {
    path: '/duplicates',
    label: 'Duplicates',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Duplicates.tsx')),
  },
  {
    path: '/deleted',
    label: 'Deleted',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Deleted.tsx')),
  },
  {
    path: '/campaigns',
    label: 'Campaigns',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Campaigns.tsx')),
  },
  {
    path: '/signatures',
    label: 'Signatures',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Signatures.tsx')),
  },
  {
    path: '/employees',
    label: 'Employees',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Employees.tsx')),
  },
  {
    path: '/simulate',
    label: 'Simulate',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Simulate.tsx')),
  },
  {
    path: '/integrations',
    label: 'Integrations',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Integrations.tsx')),
  },
  {
    path: '/settings',
    label: 'Settings',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Settings.tsx')),
  },
  {
    path: '/statistics',
    label: 'Statistics',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Statistics.tsx')),
  },
  {
    path: '/feed',
    label: 'Feed',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Feed.tsx')),
  },
  {
    path: '/leads',
    label: 'Leads',
    role: 'marketer',
    component: lazyScreen(() => import('./screens/Leads.tsx')),
  },
]

const rank: Record<Role, number> = { employee: 1, marketer: 2, admin: 3 }

// The menu's sections, in order; a screen's section follows from its path.
const sections = ['You', 'Audience', 'Campaigns', 'Results', 'Workspace'] as const
const sectionPaths: Record<(typeof sections)[number], string[]> = {
  You: ['/'],
  Audience: ['/accounts', '/contacts', '/groups', '/segments', '/imports', '/duplicates', '/deleted'],
  Campaigns: ['/campaigns', '/signatures', '/employees', '/simulate'],
  Results: ['/statistics', '/feed', '/leads'],
  Workspace: ['/users', '/integrations', '/settings'],
}
const sectionOf = (path: string) =>
  sections.find((section) => sectionPaths[section].includes(path)) ?? 'Workspace'

type State =
  | { kind: 'loading' }
  | { kind: 'signed-out'; notice?: string }
  | { kind: 'error'; message: string }
  | { kind: 'signed-in'; me: Me }

export function App(props: { api: ApiClient }) {
  const { api } = props
  const [state, setState] = useState<State>({ kind: 'loading' })
  const path = useRoute()

  const loadMe = async () => {
    if (!(await api.hasToken())) return setState({ kind: 'signed-out' })
    try {
      setState({ kind: 'signed-in', me: await api.get<Me>('/api/auth/me') })
    } catch (error) {
      const e = error as { status?: number; message: string }
      if (e.status === 401) {
        await api.setToken(null)
        setState({ kind: 'signed-out', notice: 'Your session has ended. Please sign in again.' })
      } else setState({ kind: 'error', message: e.message })
    }
  }

  useEffect(() => {
    api.onUnauthorized = () => {
      void api.setToken(null)
      setState({ kind: 'signed-out', notice: 'Your session has ended. Please sign in again.' })
    }
    void loadMe()
  }, [api])

  const session = useMemo<SessionContextValue | undefined>(
    () =>
      state.kind === 'signed-in'
        ? {
            api,
            me: state.me,
            refresh: loadMe,
            signOut: async () => {
              await api.request('POST', '/api/auth/sign-out').catch(() => {})
              await api.setToken(null)
              navigate('/')
              setState({ kind: 'signed-out', notice: 'You are signed out.' })
            },
          }
        : undefined,
    [state],
  )

  if (state.kind === 'loading') return <Loading label="Starting Signet…" />
  if (path.startsWith('/accept-invitation'))
    return <AcceptInvitation api={api} path={path} onSignedIn={(me) => setState({ kind: 'signed-in', me })} />
  if (state.kind === 'error')
    return (
      <main class="page">
        <ErrorState message={state.message} onRetry={loadMe} />
      </main>
    )
  if (!session) {
    const notice = state.kind === 'signed-out' ? state.notice : undefined
    return <SignIn api={api} notice={notice} onSignedIn={(me) => setState({ kind: 'signed-in', me })} />
  }

  const allowed = screens.filter((s) => rank[session.me.user.role] >= rank[s.role])
  const { path: screenPath } = splitRoute(path)
  const screen = allowed.find(
    (s) => s.path === screenPath || (s.path !== '/' && screenPath.startsWith(`${s.path}/`)),
  )
  const Current = screen?.component
  return (
    <SessionContext.Provider value={session}>
      <div class="shell">
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="topbar">
          <span class="brand">Signet</span>
          <span class="who">
            {session.me.user.email} · {session.me.workspace.name}
          </span>
          <button type="button" class="button button-quiet" onClick={session.signOut}>
            Sign out
          </button>
        </header>
        <nav aria-label="Main" class="sidebar">
          {sections
            .map((section) => ({ section, items: allowed.filter((s) => sectionOf(s.path) === section) }))
            .filter(({ items }) => items.length > 0)
            .map(({ section, items }) => (
              <div key={section} class="nav-section">
                <span class="nav-heading">{section}</span>
                <ul>
                  {items.map((s) => (
                    <li key={s.path}>
                      <Link href={s.path} current={s === screen}>
                        {s.label}
                      </Link>
                    </li>
                  ))}
                </ul>
              </div>
            ))}
        </nav>
        <main id="main" class="page" tabIndex={-1}>
          {Current ? (
            <Current />
          ) : (
            <ErrorState message="There is no such page, or your role cannot open it. Use the menu." />
          )}
        </main>
      </div>
    </SessionContext.Provider>
  )
}
