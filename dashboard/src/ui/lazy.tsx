import type { ComponentType } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { ErrorState, Loading } from './states.tsx'

/** A screen loaded on first visit, so its code stays out of the first download. */
export function lazyScreen(load: () => Promise<{ default: ComponentType }>): ComponentType {
  let cached: ComponentType | undefined
  return function LazyScreen() {
    const [Screen, setScreen] = useState<ComponentType | undefined>(() => cached)
    const [error, setError] = useState<string>()
    const [attempt, setAttempt] = useState(0)
    useEffect(() => {
      if (cached) return
      load().then(
        (module) => {
          cached = module.default
          setScreen(() => module.default)
        },
        () => setError('This page could not be loaded. Check your connection and try again.'),
      )
    }, [attempt])
    if (error)
      return (
        <ErrorState
          message={error}
          onRetry={() => {
            setError(undefined)
            setAttempt((a) => a + 1)
          }}
        />
      )
    return Screen ? <Screen /> : <Loading />
  }
}
