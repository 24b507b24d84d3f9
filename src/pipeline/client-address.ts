import type { IncomingMessage } from 'node:http'
import type { Plugin } from 'graphql-yoga'

const addresses = new WeakMap<Request, string | null>()

/** The client's address for a request (null when it came without a socket, as in tests). */
export function clientAddressOf(request: Request): string | null {
  return addresses.get(request) ?? null
}

/**
 * Notes each request's client address on arrival: the socket's, or with TRUST_PROXY the first
 * hop of X-Forwarded-For. Transports read it here, so neither routes nor resolvers see sockets.
 */
export function useClientAddress(trustProxy: boolean): Plugin<object, { req?: IncomingMessage }> {
  return {
    onRequest({ request, serverContext }) {
      const address = clientAddressFrom(
        request.headers.get('x-forwarded-for'),
        serverContext.req?.socket.remoteAddress,
        trustProxy,
      )
      addresses.set(request, address)
    },
  }
}

/** The client's address: the first hop of X-Forwarded-For with TRUST_PROXY, else the socket's. */
export function clientAddressFrom(
  forwardedFor: string | null,
  socketAddress: string | undefined,
  trustProxy: boolean,
): string | null {
  const forwarded = trustProxy ? forwardedFor?.split(',')[0]?.trim() : undefined
  return forwarded || (socketAddress ?? null)
}
