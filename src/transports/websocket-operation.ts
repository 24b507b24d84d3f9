import type { RequestInfo } from '../domain/request-info.js'
import type { LiveChannel } from '../live/subscriber.js'

/** One operation on a WebSocket, as its yoga context is built from it (no fetch Request there). */
export interface WebSocketOperation {
  readonly info: RequestInfo
  readonly channel: LiveChannel
}

const KEY = 'webSocketOperation'

/** The initial context graphql-ws's onSubscribe hands to yoga.getEnveloped. */
export function webSocketContext(operation: WebSocketOperation): Record<typeof KEY, WebSocketOperation> {
  return { [KEY]: operation }
}

/** The WebSocket operation a yoga context is built for; undefined over HTTP. */
export function webSocketOperationOf(initial: object): WebSocketOperation | undefined {
  return (initial as Partial<Record<typeof KEY, WebSocketOperation>>)[KEY]
}
