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
