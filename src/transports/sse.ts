import { Readable } from 'node:stream'
import { GraphQLError, type ExecutionResult } from 'graphql'

/**
 * A subscription's results as server-sent events, in the format yoga's own SSE answer has (that of
 * graphql-sse's "distinct connections" mode): a `:` comment first (some browsers wait for a first
 * byte before they hand the response over), `event: next` with each result as JSON, `event:
 * complete` at the end, and a `:` comment every `keepAliveMs` while nothing waits to be read.
 *
 * Where yoga's stream costs a web ReadableStream pull, two encodings, a concatenation and a
 * serialisation per event and subscriber, this is a Node Readable that the server adapter
 * (@whatwg-node/server) pipes straight into the response, and each result's message is made once,
 * however many streams send it (a pushed event's result is shared by every subscriber of the same
 * operation: see useSharedLiveResults). Back-pressure is the Readable's: the next result is asked
 * of the subscription only once the client has read what is buffered (past the high-water mark the
 * subscription's own buffer fills, and the live hub drops a subscriber that falls too far behind).
 */
export class SseStream extends Readable {
  private pulling = false
  private ended = false
  private readonly keepAlive: NodeJS.Timeout | undefined

  constructor(
    private readonly results: AsyncIterator<ExecutionResult, unknown>,
    keepAliveMs: number,
  ) {
    super({ highWaterMark: SSE_HIGH_WATER_MARK })
    this.push(COMMENT)
    if (keepAliveMs > 0) {
      this.keepAlive = setInterval(() => {
        // Only while nothing waits to be read: comments must not pile up before a client that does not read.
        if (!this.ended && !this.destroyed && this.readableLength === 0) this.push(COMMENT)
      }, keepAliveMs)
    }
  }

  override _read(): void {
    if (this.pulling) return
    this.pulling = true
    this.results.next().then(
      ({ value, done }: IteratorResult<ExecutionResult, unknown>) => {
        this.pulling = false
        if (this.destroyed) return
        // As yoga's stream: a value that comes with the end is sent too.
        if (value != null) this.push(sseMessage(value))
        if (done) {
          this.ended = true
          clearInterval(this.keepAlive)
          this.push(COMPLETE)
          this.push(null)
        } else if (value == null) this._read() // nothing to send: ask again (Node asks only after a push)
      },
      (error: unknown) => {
        this.pulling = false
        this.destroy(error instanceof Error ? error : new Error(String(error)))
      },
    )
  }

  /** The client went away (or the stream failed): the subscription ends too. */
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    clearInterval(this.keepAlive)
    Promise.resolve(this.results.return?.()).then(
      () => callback(error),
      () => callback(error),
    )
  }
}

/**
 * What one subscriber's stream buffers before it stops asking the subscription for more. Fixed
 * here because Node's default grew from 16 KiB (Node 20) to 64 KiB (Node 22): a thousand stalled
 * subscribers would otherwise hold four times as much on the newer runtime.
 */
export const SSE_HIGH_WATER_MARK = 16 * 1024

const COMMENT = Buffer.from(':\n\n')
const COMPLETE = Buffer.from('event: complete\ndata:\n\n')

/** The `event: next` message of each result object, made once for every stream that sends it. */
const messages = new WeakMap<ExecutionResult, Buffer>()

/** A result as an `event: next` message (cached by the result object, which nobody changes once it is pushed). */
export function sseMessage(result: ExecutionResult): Buffer {
  let message = messages.get(result)
  if (message === undefined) {
    message = Buffer.from(`event: next\ndata: ${stringifyResult(result)}\n\n`)
    messages.set(result, message)
  }
  return message
}

/**
 * JSON of a result as yoga writes it to a client: without the `http` extensions (status and
 * headers, which are the response's) nor errors' `http` and `unexpected` extensions; by the
 * result's own `stringify` when it has one (as graphql-jit's results do).
 */
function stringifyResult(result: ExecutionResult & { stringify?: (value: unknown) => string }): string {
  const stringify = result.stringify ?? JSON.stringify
  if (!result.errors?.length && !result.extensions?.['http']) return stringify(result)
  const clean: ExecutionResult = { ...result }
  if (clean.errors) clean.errors = clean.errors.map((error) => withoutInternals(error) as GraphQLError)
  if (clean.extensions) {
    const { http: _http, ...extensions } = clean.extensions
    clean.extensions = Object.keys(extensions).length > 0 ? extensions : undefined
  }
  return stringify(clean)
}

/** An error as its client sees it: a copy without the `http` and `unexpected` extensions. */
function withoutInternals(error: unknown): unknown {
  if (!(error instanceof GraphQLError)) return error
  const {
    http: _http,
    unexpected: _unexpected,
    ...extensions
  } = (error.toJSON().extensions ?? {}) as Record<string, unknown>
  const original = withoutInternals(error.originalError ?? undefined) as Error | undefined
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(original ? { originalError: original } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
  })
}
