import { STATUS_CODES } from 'node:http'
import type { Plugin } from 'graphql-yoga'
import { json } from '../transports/rest/responses.js'

/**
 * Every error response is JSON: the few yoga answers with an empty body (415 for a body it cannot
 * parse, 405, …) get `{message, code}` with the same status and headers.
 */
export function useJsonErrors(): Plugin {
  return {
    onResponse(event) {
      const { request, response } = event
      if (response.status < 400 || request.method === 'HEAD') return
      const type = response.headers.get('content-type') ?? ''
      // JSON already; or a GraphQL result as server-sent events (a subscription refused as it
      // starts: 401, 403, 429), which carries the errors in the form its client reads.
      if (/json|text\/event-stream/i.test(type)) return
      try {
        void response.body?.cancel()
      } catch {
        // a stream that was never started may throw as it is cancelled; it is dropped all the same
      }
      const headers = Object.fromEntries(response.headers)
      const reason = STATUS_CODES[response.status] ?? 'Error'
      event.setResponse(
        json(
          response.status,
          { message: reason, code: reason.toUpperCase().replace(/[^A-Z]+/g, '_') },
          { ...headers, 'content-type': 'application/json; charset=utf-8' },
        ),
      )
    },
  }
}
