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
  return acceptsEventStream(info.header('accept')) ? { transport: 'sse' } : undefined
}

/**
 * Whether an Accept header takes `text/event-stream` as yoga reads it: wildcards count, and an
 * entry naming a charset other than UTF-8 does not (yoga writes UTF-8 only). The one reading of it
 * both here and in the SSE plugin, so a subscription is registered exactly when it is answered.
 */
export function acceptsEventStream(accept: string | null | undefined): boolean {
  return (accept || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .some((entry) => {
      const [mediaType = '', ...params] = entry.split(';')
      const charset = params.find((param) => param.startsWith('charset=')) ?? 'charset=utf-8'
      const [type, subtype] = mediaType.split('/')
      return (
        charset === 'charset=utf-8' &&
        (type === '*' || type === 'text') &&
        (subtype === '*' || subtype === 'event-stream')
      )
    })
}
