import { STATUS_CODES } from 'node:http'
import type { Plugin } from 'graphql-yoga'
import { json } from './responses.js'

/**
 * Every error response is JSON: the few yoga answers with an empty body (415 for a body it cannot
 * parse, 405, …) get `{message, code}` with the same status and headers.
 */
export function useJsonErrors(): Plugin {
  return {
    onResponse(event) {
      const { request, response } = event
      if (response.status < 400 || request.method === 'HEAD') return
      if (/json/i.test(response.headers.get('content-type') ?? '')) return
      void response.body?.cancel()
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
