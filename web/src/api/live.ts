import { createClient, type Client } from 'graphql-ws/client'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { TypedDocumentString } from '../gql/graphql'
import { csrfToken, socketUrl } from './base'

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'ended'

export interface LiveState {
  readonly status: LiveStatus
  /** Why the stream ended (refused credentials, a filter naming what the viewer may not see). */
  readonly error: string | null
}

/**
 * A subscription over graphql-ws on the service's own port: the browser's cookies go with the
 * upgrade (the session), the CSRF token and organization in `connection_init`. Reconnects after
 * a drop (a replica stopping closes with 1001); a refusal (4401, 4403) ends it with the reason.
 * `onNext` gets each pushed result's data.
 */
export function useSubscription<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  org: string | null,
  onNext: (data: R) => void,
): LiveState {
  const [state, setState] = useState<LiveState>({ status: 'connecting', error: null })
  const handler = useRef(onNext)
  handler.current = onNext
  const key = `${org ?? ''}\u0000${JSON.stringify(variables)}`
  useEffect(() => {
    let connectedBefore = false
    let ended = false
    const client: Client = createClient({
      url: socketUrl('/graphql'),
      lazy: false,
      retryAttempts: 30,
      connectionParams: () => {
        const params: Record<string, string> = {}
        const csrf = csrfToken()
        if (csrf) params['x-csrftoken'] = csrf
        if (org) params['x-organization'] = org
        return params
      },
      shouldRetry: (event) => !(event instanceof CloseEvent && event.code >= 4400 && event.code < 4500),
      on: {
        connected: () => {
          connectedBefore = true
          setState({ status: 'live', error: null })
        },
        closed: (event) => {
          if (ended) return
          const close = event as CloseEvent
          if (close.code >= 4400 && close.code < 4500) {
            setState({ status: 'ended', error: close.reason || `closed (${close.code})` })
          } else {
            setState({ status: connectedBefore ? 'reconnecting' : 'connecting', error: null })
          }
        },
      },
    })
    const unsubscribe = client.subscribe<R>(
      { query: document.toString(), variables: variables as Record<string, unknown> },
      {
        next: (result) => {
          if (result.errors?.[0]) setState({ status: 'ended', error: result.errors[0].message })
          else if (result.data) handler.current(result.data)
        },
        error: (error: unknown) => {
          const message =
            error instanceof CloseEvent
              ? error.reason || `closed (${error.code})`
              : Array.isArray(error)
                ? String((error[0] as { message?: string } | undefined)?.message ?? 'refused')
                : error instanceof Error
                  ? error.message
                  : 'the live stream failed'
          setState({ status: 'ended', error: message })
        },
        complete: () => setState((s) => (s.error ? s : { status: 'ended', error: null })),
      },
    )
    return () => {
      ended = true
      unsubscribe()
      void client.dispose()
    }
    // The key holds the variables and organization.
  }, [key])
  return state
}
