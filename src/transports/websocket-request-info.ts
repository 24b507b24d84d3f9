import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { RequestInfo } from '../domain/request-info.js'
import { clientAddressFrom } from '../pipeline/client-address.js'

/**
 * A WebSocket connection described as any request is (see src/context.ts), so it is
 * authenticated by the same functions: a header is looked up first in the connectionParams the
 * client sent (`authorization`, `x-organization`: browsers cannot set headers on a socket), then
 * in the upgrade request's headers; `org` comes from the socket URL's query.
 */
export function webSocketRequestInfo(
  request: IncomingMessage,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  trustProxy: boolean,
): RequestInfo {
  const params = new Map<string, string>()
  for (const [key, value] of Object.entries(connectionParams ?? {})) {
    if (typeof value === 'string') params.set(key.toLowerCase(), value)
  }
  const fromHeaders = (name: string) => {
    const value = request.headers[name]
    return (Array.isArray(value) ? value[0] : value) ?? null
  }
  return {
    requestId: randomUUID(),
    header: (name) => {
      const key = name.toLowerCase()
      return params.get(key) ?? fromHeaders(key)
    },
    url: new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`),
    remoteAddr: clientAddressFrom(fromHeaders('x-forwarded-for'), request.socket.remoteAddress, trustProxy),
    receivedAtMs: Date.now(),
  }
}

/** One operation on a connection: the connection's credentials, an id and time of its own. */
export function operationInfo(connection: RequestInfo): RequestInfo {
  return { ...connection, requestId: randomUUID(), receivedAtMs: Date.now() }
}
