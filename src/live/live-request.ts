import type { Access } from '../auth/principal.js'
import type { RequestInfo } from '../context.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { LiveHub } from './hub.js'
import type { LiveChannel, Subscriber } from './subscriber.js'

/** What a subscription resolver may do: subscribe this request's principal. */
export interface LiveRequest {
  /**
   * Subscribes with a filter the policy builds for an access, now and at every re-check of the
   * subscriber's credentials (throws FORBIDDEN now when it refuses).
   */
  subscribe(authorize: (access: Access) => AuthorizedFilter): Subscriber
}

/** Binds the hub to one request: its credentials (for re-checks), its access, its transport. */
export function liveRequest(
  hub: LiveHub,
  info: RequestInfo,
  access: Access,
  channel: LiveChannel,
): LiveRequest {
  return { subscribe: (authorize) => hub.subscribe({ info, channel, authorize }, access) }
}

/** The channel of a subscription over HTTP: SSE (or yoga's multipart), which ends by itself. */
export function httpChannel(info: RequestInfo): LiveChannel {
  return { transport: info.header('accept')?.includes('text/event-stream') ? 'sse' : 'multipart' }
}
