import { AppError } from '../errors.js'

/** Why the hub ended a subscription. */
export type LiveEndReason = 'too-slow' | 'unauthenticated' | 'forbidden' | 'shutdown'

/**
 * The end of a subscription the client did not ask for: a WebSocket is closed with `code` and
 * `message` as its reason (graphql-ws's 4401 and 4403 for credentials, 4429 for a client that
 * does not keep up, 1001 when the server stops); an SSE stream receives `error()` as its last
 * result (but for shutdown, which simply completes it).
 */
export class LiveEnd {
  private constructor(
    readonly reason: LiveEndReason,
    readonly code: number,
    readonly message: string,
  ) {}

  /** A graceful end lets what is buffered go out first. */
  get graceful(): boolean {
    return this.reason === 'shutdown'
  }

  static tooSlow(waiting: number): LiveEnd {
    return new LiveEnd(
      'too-slow',
      4429,
      `too slow: ${waiting} events were waiting to be sent; reconnect and read faster or narrow the filter`,
    )
  }

  static unauthenticated(message: string): LiveEnd {
    return new LiveEnd('unauthenticated', 4401, message)
  }

  static forbidden(message: string): LiveEnd {
    return new LiveEnd('forbidden', 4403, message)
  }

  static shutdown(): LiveEnd {
    return new LiveEnd('shutdown', 1001, 'the server is shutting down')
  }

  /** The error an SSE client receives as the last result of its stream. */
  error(): AppError {
    if (this.reason === 'unauthenticated') return new AppError('UNAUTHENTICATED', 401, this.message)
    if (this.reason === 'forbidden') return new AppError('FORBIDDEN', 403, this.message)
    return new AppError('SUBSCRIBER_TOO_SLOW', 429, this.message)
  }
}
