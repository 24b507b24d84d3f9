import type { ExecutionResult } from 'graphql'
import { isAsyncIterable, type Plugin } from 'graphql-yoga'
import { acceptsEventStream } from '../live/live-request.js'
import { SseStream } from '../transports/sse.js'

export interface ServerSentEventsOptions {
  /** Interval of the `:` keep-alive comments; 0: none (LIVE_KEEPALIVE_MS, as WebSocket pings). */
  readonly keepAliveMs: number
}

const HEADERS = {
  'Content-Type': 'text/event-stream',
  Connection: 'keep-alive',
  'Cache-Control': 'no-cache',
  'Content-Encoding': 'none',
}

/**
 * Subscriptions over HTTP answered as server-sent events by SseStream (src/transports/sse.ts)
 * rather than by yoga's own stream: the same headers, messages and keep-alives, for less work per
 * event and subscriber (no web stream; each result serialised once). yoga still negotiates the
 * answer: a subscription's results it answers with server-sent events alone (it offers multipart
 * only to queries), so where it has chosen a processor for a stream of results of a request that
 * takes `text/event-stream`, that processor is replaced by this one. Anything else (a
 * subscription refused as it starts, a query) is left to yoga.
 */
export function useServerSentEvents(options: ServerSentEventsOptions): Plugin {
  return {
    onResultProcess(event) {
      const { request, result } = event
      if (!event.resultProcessor || !isAsyncIterable(result)) return
      if (!acceptsEventStream(request.headers.get('accept'))) return
      event.setResultProcessor((results, fetchAPI) => {
        const iterator = (results as AsyncIterable<ExecutionResult>)[Symbol.asyncIterator]()
        return new fetchAPI.Response(new SseStream(iterator, options.keepAliveMs) as unknown as BodyInit, {
          status: 200,
          headers: HEADERS,
        })
      }, 'text/event-stream')
    },
  }
}
