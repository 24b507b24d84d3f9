import type { RequestInfo } from '../domain/request-info.js'
import { clientAddressOf } from '../pipeline/client-address.js'
import { requestIdOf } from '../pipeline/request-id.js'

const infos = new WeakMap<Request, RequestInfo>()

/**
 * An HTTP request as the core describes requests (see src/context.ts), the same object for every
 * plugin and route that asks, so the request id and receive time are fixed once.
 */
export function requestInfoOf(request: Request): RequestInfo {
  let info = infos.get(request)
  if (info === undefined) {
    info = {
      requestId: requestIdOf(request),
      header: (name) => request.headers.get(name),
      url: new URL(request.url),
      method: request.method,
      remoteAddr: clientAddressOf(request),
      receivedAtMs: Date.now(),
    }
    infos.set(request, info)
  }
  return info
}
