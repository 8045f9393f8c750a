import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'

// Hash routes (#/users) work unchanged in the extension's options page, which has no server to
// fall back to index.html.
function currentPath(): string {
  const path = location.hash.replace(/^#/, '')
  return path.startsWith('/') ? path : '/'
}

export function navigate(path: string) {
  location.hash = path
}

export function useRoute(): string {
  const [path, setPath] = useState(currentPath)
  useEffect(() => {
    const update = () => setPath(currentPath())
    addEventListener('hashchange', update)
    return () => removeEventListener('hashchange', update)
  }, [])
  return path
}

/** A route's path and its query: `/imports/new?kind=contacts` → `/imports/new` and `kind=contacts`. */
export function splitRoute(route: string): { path: string; query: URLSearchParams } {
  const at = route.indexOf('?')
  return at < 0
    ? { path: route, query: new URLSearchParams() }
    : { path: route.slice(0, at), query: new URLSearchParams(route.slice(at + 1)) }
}

export function Link(props: {
  href: string
  class?: string
  current?: boolean
  children: ComponentChildren
}) {
  return (
    <a href={`#${props.href}`} class={props.class} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  )
}
