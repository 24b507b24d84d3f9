import type { ComponentChildren } from 'preact'
import type { ApiError } from '../api/client'

interface Explained {
  readonly title: string
  readonly body: string
}

/** What each kind of failure means to a reader, and what they can do about it. */
function explain(error: ApiError): Explained {
  switch (error.code) {
    case 'STORE_UNAVAILABLE':
      return {
        title: 'The event store is unavailable',
        body: 'Events sent meanwhile are kept and stored when it is back; these figures show again then. Try again in a moment.',
      }
    case 'FORBIDDEN':
      return { title: 'Not permitted', body: error.message }
    case 'QUERY_TIMEOUT':
      return { title: 'This took too long', body: 'Narrow the time range or the filters and try again.' }
    case 'TOO_MANY_BUCKETS':
      return { title: 'Too many points', body: 'Choose a shorter time range.' }
    case 'TOO_MANY_REQUESTS':
      return { title: 'Too many requests', body: 'Wait a moment, then refresh.' }
    case 'IDENTITY_UNAVAILABLE':
      return { title: 'CVAT cannot be asked who you are', body: error.message }
    case 'NETWORK':
      return { title: 'The service cannot be reached', body: error.message }
    case 'BAD_USER_INPUT':
      return { title: 'The request was refused', body: error.message }
    default:
      return { title: 'Something went wrong', body: error.message }
  }
}

/** A failed panel or page: what happened, what to do, and the request id for the service log. */
export function ErrorState({ error, compact = false }: { error: ApiError; compact?: boolean }) {
  const { title, body } = explain(error)
  // In a panel, an outage the page's banner already explains needs its title only.
  if (compact && error.code === 'STORE_UNAVAILABLE') {
    return (
      <div class="state state-error compact" role="alert" data-code={error.code}>
        <p class="state-title">{title}</p>
        <p>Figures show again when it is back.</p>
      </div>
    )
  }
  return (
    <div class={`state state-error${compact ? ' compact' : ''}`} role="alert" data-code={error.code}>
      <p class="state-title">{title}</p>
      <p>{body}</p>
      {error.requestId && <p class="state-detail">Request id {error.requestId}</p>}
    </div>
  )
}

/** A panel without data: says so, and how to find some. */
export function EmptyState({ children }: { children?: ComponentChildren }) {
  return (
    <div class="state state-empty" data-state="empty">
      <p class="state-title">No data</p>
      <p>{children ?? 'Nothing in this time range and these filters. Widen the range or clear a filter.'}</p>
    </div>
  )
}

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <div class="state state-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      {label}…
    </div>
  )
}
