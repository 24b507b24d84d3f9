import type { Access } from '../auth/principal.js'
import type { RequestInfo } from '../domain/request-info.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { AppError } from '../errors.js'
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

/**
 * Binds the hub to one request: its credentials (for re-checks), its access, its transport.
 * Without a channel (an HTTP request that cannot take a stream) subscribing is refused before
 * anything is registered: nobody would ever read or end that subscription.
 */
export function liveRequest(
  hub: LiveHub,
  info: RequestInfo,
  access: Access,
  channel: LiveChannel | undefined,
): LiveRequest {
  return {
    subscribe(authorize) {
      if (!channel) {
        throw new AppError(
          'NOT_ACCEPTABLE',
          406,
          'subscriptions over HTTP need Accept: text/event-stream (server-sent events); or use a WebSocket at /graphql',
        )
      }
      return hub.subscribe({ info, channel, authorize }, access)
    },
  }
}

/**
 * The channel of a subscription over HTTP, by what the request accepts: server-sent events (what
 * yoga answers a subscription with: it offers no multipart stream for those); undefined when the
 * request cannot take them, so that nothing is registered for an answer yoga would refuse.
 */
export function httpChannel(info: RequestInfo): LiveChannel | undefined {
  const accepted = (info.header('accept') ?? '*/*')
    .toLowerCase()
    .split(',')
    .map((part) => part.split(';')[0]?.trim() ?? '')
  if (accepted.some((type) => ['text/event-stream', 'text/*', '*/*'].includes(type)))
    return { transport: 'sse' }
  return undefined
}
