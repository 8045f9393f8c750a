import type { ComponentChildren } from 'preact'

export function Loading(props: { label?: string }) {
  return (
    <p class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" /> {props.label ?? 'Loading…'}
    </p>
  )
}

export function ErrorState(props: { message: string; onRetry?: () => void }) {
  return (
    <div class="state state-error" role="alert">
      <p>{props.message}</p>
      {props.onRetry && (
        <button type="button" class="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  )
}

export function Empty(props: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state state-empty">
      <p class="state-title">{props.title}</p>
      {props.children}
    </div>
  )
}

export function Notice(props: { kind?: 'success' | 'error'; children: ComponentChildren }) {
  return (
    <div
      class={`notice notice-${props.kind ?? 'success'}`}
      role={props.kind === 'error' ? 'alert' : 'status'}
    >
      {props.children}
    </div>
  )
}
