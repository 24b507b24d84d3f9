import type { Plugin } from 'graphql-yoga'
import { changesState, originAllowed } from '../auth/csrf.js'
import { AppError } from '../errors.js'
import { errorResponse } from '../transports/rest/responses.js'

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
  return {
    onRequest(event) {
      const { request } = event
      if (!changesState(request.method)) return
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
      if (type === '' && origin !== null && !originAllowed(origin, hostOf(request), allowedOrigins)) {
        event.endResponse(
          errorResponse(
            new AppError('FORBIDDEN', 403, 'cross-site requests that change anything are refused'),
          ),
        )
      }
    },
  }
}

/** The host the request was addressed to. */
function hostOf(request: Request): string {
  return request.headers.get('host') ?? new URL(request.url).host
}
