import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { print } from 'graphql'
import { createClient, type Client, type ExecutionResult } from 'graphql-ws'
import WebSocket from 'ws'

/** What a subscription received, in order, and how it ended. */
export interface Received<T> {
  readonly results: ExecutionResult<T>[]
  /** The data of each result that had data. */
  readonly data: T[]
  /** Set once the stream completed (or failed). */
  ended: boolean
  error: unknown
  stop(): void
}

/** How a WebSocket ended: its close code and reason. */
export interface Closed {
  readonly code: number
  readonly reason: string
}

export interface LiveSocket {
  readonly client: Client
  /** Resolves with the close code and reason when the server closes the socket. */
  readonly closed: Promise<Closed>
  subscribe<T, V extends Record<string, unknown>>(
    document: TypedDocumentNode<T, V>,
    variables?: V,
  ): Received<T>
  dispose(): Promise<void>
}

/** A graphql-ws client (over `ws`) to the app's /graphql, with connectionParams; never retries. */
export function liveSocket(
  baseUrl: string,
  connectionParams: Record<string, string> = {},
  query = '',
): LiveSocket {
  let resolveClosed!: (closed: Closed) => void
  const closed = new Promise<Closed>((resolve) => (resolveClosed = resolve))
  const client = createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql${query}`,
    webSocketImpl: WebSocket,
    connectionParams,
    lazy: false,
    retryAttempts: 0,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string }
        resolveClosed({ code, reason: String(reason) })
      },
    },
    onNonLazyError: () => {},
  })
  return {
    client,
    closed,
    subscribe(document, variables) {
      const received = collector<never>()
      received.stop = client.subscribe(
        { query: print(document), variables: variables ?? {} },
        {
          next: (result) => received.push(result as never),
          error: (error) => received.fail(error),
          complete: () => received.complete(),
        },
      )
      return received
    },
    dispose: () => Promise.resolve(client.dispose()),
  }
}

/**
 * A subscription over server-sent events, as a browser's fetch reads it: POST /graphql with
 * `Accept: text/event-stream`, the stream parsed into `next` and `complete` events.
 */
export function sseSubscribe<T, V extends Record<string, unknown>>(
  baseUrl: string,
  document: TypedDocumentNode<T, V>,
  variables: V,
  headers: Record<string, string>,
): Received<T> & { readonly response: Promise<Response> } {
  const received = collector<T>()
  const abort = new AbortController()
  received.stop = () => abort.abort()
  const response = fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: print(document), variables }),
    signal: abort.signal,
  })
  void (async () => {
    try {
      const res = await response
      const decoder = new TextDecoder()
      let buffer = ''
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const message = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          const event = /^event: (.*)$/m.exec(message)?.[1]
          const data = /^data: ?(.*)$/m.exec(message)?.[1]
          if (event === 'next' && data) received.push(JSON.parse(data) as ExecutionResult<T>)
          if (event === 'complete') received.complete()
        }
      }
      received.complete()
    } catch (error) {
      if (!abort.signal.aborted) received.fail(error)
      else received.complete()
    }
  })()
  return Object.assign(received, { response })
}

function collector<T>(): Received<T> & {
  push(result: ExecutionResult<T>): void
  complete(): void
  fail(error: unknown): void
} {
  const results: ExecutionResult<T>[] = []
  const data: T[] = []
  return {
    results,
    data,
    ended: false,
    error: undefined,
    stop: () => {},
    push(result) {
      results.push(result)
      if (result.data) data.push(result.data)
    },
    complete() {
      this.ended = true
    },
    fail(error) {
      this.error = error
      this.ended = true
    },
  }
}
