import type { Plugin } from 'graphql-yoga'
import { AppError } from '../errors.js'
import { errorResponse } from '../transports/rest/responses.js'

/** Methods that change nothing; everything else must not be sendable cross-site by a browser. */
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The content types a browser sends cross-site without a CORS preflight (a plain HTML form). */
const SIMPLE = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'])

/**
 * Cross-site request forgery: on every state-changing request (GraphQL and REST alike) a body
 * a browser could send from another site without asking is refused (415), and a body-less request
 * naming another site as its `Origin` (a `fetch` in no-cors mode) is refused (403), unless that
 * origin is one of CORS_ORIGINS. JSON bodies need a preflight, which CORS already answers; clients
 * that are not browsers (curl, CVAT, Grafana's back end) send no `Origin`.
 */
export function useCsrfGuard(allowedOrigins: readonly string[]): Plugin {
  const allowed = new Set(allowedOrigins)
  return {
    onRequest(event) {
      const { request } = event
      if (SAFE.has(request.method)) return
      const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
      if (SIMPLE.has(type)) {
        event.endResponse(
          errorResponse(
            new AppError(
              'UNSUPPORTED_MEDIA_TYPE',
              415,
              `Content-Type '${type}' is refused on requests that change anything (browsers send it across sites unasked); send application/json`,
            ),
          ),
        )
        return
      }
      const origin = request.headers.get('origin')
      if (type === '' && origin !== null && !allowed.has(origin) && !sameHost(origin, request)) {
        event.endResponse(
          errorResponse(
            new AppError('FORBIDDEN', 403, 'cross-site requests that change anything are refused'),
          ),
        )
      }
    },
  }
}

/** Whether the Origin names this server (by host, so a TLS-terminating proxy does not matter). */
function sameHost(origin: string, request: Request): boolean {
  try {
    return new URL(origin).host === (request.headers.get('host') ?? new URL(request.url).host)
  } catch {
    return false
  }
}
