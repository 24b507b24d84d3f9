import { randomUUID } from 'node:crypto'
import type { Plugin } from 'graphql-yoga'

const ids = new WeakMap<Request, string>()

/** The request's id: assigned on arrival, echoed as X-Request-Id, recorded in the events it causes. */
export function requestIdOf(request: Request): string {
  let id = ids.get(request)
  if (id === undefined) {
    id = randomUUID()
    ids.set(request, id)
  }
  return id
}

/**
 * Gives every response, errors and 404s included, an `X-Request-Id`: always a fresh UUID of ours
 * (an id sent by the client is not trusted, as in CVAT).
 */
export function useRequestId(): Plugin {
  return {
    onRequest({ request }) {
      requestIdOf(request)
    },
    onResponse({ request, response }) {
      response.headers.set('X-Request-Id', requestIdOf(request))
    },
  }
}
