import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendNodeResponse } from '@whatwg-node/server'
import type { FaultReporter } from '../observability/faults.js'
import { json } from './rest/responses.js'

/** What the safety net wraps: a server adapter (yoga, or the CVAT-logger listener's). */
export interface AdapterLike {
  // The server context is typed by each adapter; ours is { req, res }, as the adapter's own listener passes.
  handleNodeRequestAndResponse(
    req: IncomingMessage,
    res: ServerResponse,
    ...context: never[]
  ): Promise<Response> | Response
  fetch(request: Request): Promise<Response> | Response
}

/**
 * The last line of defence of every response: a request whose URL or `Host` cannot even be read
 * (the adapter would throw building it) is answered 400, and anything the adapter throws is
 * reported and answered 500; both as JSON with a fresh `X-Request-Id`, never with a stack trace
 * (the adapter's own fallback prints one). A response that fails while it is written (not because
 * the client left) is reported with its request id, and its connection closed.
 */
export function nodeListener(adapter: AdapterLike, report: FaultReporter, where: string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    if (!readableUrl(req)) {
      void sendNodeResponse(malformed(), res, req, true)
      return
    }
    void Promise.resolve()
      .then(() => adapter.handleNodeRequestAndResponse(req, res, { req, res } as never))
      .catch((error: unknown) => failure(error, report, where))
      .then((response) =>
        Promise.resolve()
          .then(() => sendNodeResponse(response, res, req, true))
          .catch((error: unknown) => {
            // A client that went away mid-answer is its own business; anything else (a header
            // Node refuses, a body stream that failed) is ours. The status is out; the answer is cut.
            if (!clientGone(res)) {
              report(error, { where, requestId: response.headers.get('x-request-id') ?? randomUUID() })
            }
            // The adapter cancels the body when the request errors, which the closed connection
            // makes it do: a rejection nothing would handle, of a body that failed already.
            req.removeAllListeners('error').on('error', () => {})
            res.destroy()
          }),
      )
  }
}

/** Whether the connection of a response closed under it (the client disconnected). */
function clientGone(res: ServerResponse): boolean {
  return !res.writableEnded && (res.socket === null || res.socket.destroyed)
}

/** The same guard around `fetch` (tests, and any runtime that hands requests over as objects). */
export function guardedFetch(adapter: AdapterLike, report: FaultReporter, where: string) {
  return (request: Request): Promise<Response> =>
    Promise.resolve()
      .then(() => adapter.fetch(request))
      .catch((error: unknown) => failure(error, report, where))
}

/** Whether the URL the adapter will build (`http://<Host><path>`) parses. */
function readableUrl(req: IncomingMessage): boolean {
  try {
    new URL(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`)
    return true
  } catch {
    return false
  }
}

function malformed(): Response {
  return json(
    400,
    { message: 'the request URL or Host header is malformed', code: 'BAD_REQUEST' },
    { 'X-Request-Id': randomUUID() },
  )
}

function failure(error: unknown, report: FaultReporter, where: string): Response {
  const requestId = randomUUID()
  report(error, { where, requestId })
  return json(
    500,
    { message: 'internal error; the request id identifies it in the service log', code: 'INTERNAL' },
    { 'X-Request-Id': requestId },
  )
}
