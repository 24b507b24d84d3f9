import type { Access } from '../auth/principal.js'
import type { RequestInfo } from '../domain/request-info.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { matchesFilter } from '../domain/filter-match.js'
import type { LiveEnd } from './live-end.js'
import type { LiveEvent } from './live-event.js'

/** The transports a subscription can arrive by, as the `transport` label of the metrics. */
export type Transport = 'websocket' | 'sse'

/** How the transport that serves a subscription lets the hub end it. */
export interface LiveChannel {
  readonly transport: Transport
  /**
   * Closes the connection with a code and reason (a WebSocket: all its subscriptions share its
   * credentials). Absent (SSE): the stream itself ends, with an error result when it was ended
   * for a reason the client must know.
   */
  readonly close?: (code: number, reason: string) => void
}

/** Who subscribed and how: what the hub needs to re-check access and to end the subscription. */
export interface SubscriberRequest {
  readonly info: RequestInfo
  readonly channel: LiveChannel
  /** The policy applied to this subscription's filter for an access (FORBIDDEN when refused). */
  readonly authorize: (access: Access) => AuthorizedFilter
}

/** What a subscription yields: events, and at most once the reason it ended (SSE only). */
export type LiveItem = LiveEvent | LiveEnd

/**
 * One subscription: a buffer between the hub (which pushes matching events) and the
 * transport (which pulls them as fast as its client reads, graphql-ws awaiting each send and SSE
 * each drain), as an async iterator for the subscription's resolver. The hub bounds it: it drops
 * a subscriber that does not keep up rather than let it hold memory or slow anyone else.
 */
export class Subscriber implements AsyncIterableIterator<LiveItem> {
  private queue: LiveEvent[] = []
  private waiting: (() => void) | undefined
  private ending: LiveEnd | undefined
  private endDelivered = false
  private closed = false
  private released = false
  private readonly closedPromise: Promise<void>
  private markClosed!: () => void

  constructor(
    readonly request: SubscriberRequest,
    /** What this subscriber may receive: its filter with the policy's constraints (re-checked). */
    public filter: AuthorizedFilter,
    /** Called once, when the subscription stops receiving events. */
    private readonly onClose: (subscriber: Subscriber) => void,
  ) {
    this.closedPromise = new Promise((resolve) => (this.markClosed = resolve))
  }

  get transport(): Transport {
    return this.request.channel.transport
  }

  /** Events waiting to be sent. */
  get pending(): number {
    return this.queue.length
  }

  /** Resolves once the subscription is over, whoever ended it. */
  get finished(): Promise<void> {
    return this.closedPromise
  }

  get isOpen(): boolean {
    return !this.closed && this.ending === undefined
  }

  matches(event: LiveEvent): boolean {
    return matchesFilter(this.filter, event)
  }

  /**
   * Queues an event (the hub watches `pending` and drops a subscriber that does not keep up). The
   * transport is told by `notify`, which the hub calls a few subscribers at a time.
   */
  push(event: LiveEvent): void {
    if (!this.isOpen) return
    this.queue.push(event)
  }

  /** Lets a waiting transport take what was queued. */
  notify(): void {
    this.wake()
  }

  /**
   * Ends the subscription. `shutdown` lets the buffer go out first and then closes the channel;
   * any other reason drops what is buffered (a revoked subscriber must not receive it, a slow one
   * will not read it) and closes the channel now.
   */
  end(reason: LiveEnd): void {
    if (!this.isOpen) return
    this.ending = reason
    if (!reason.graceful) {
      this.queue = []
      this.release() // nothing more is pushed, even while the client has not yet hung up
      this.request.channel.close?.(reason.code, reason.message)
    }
    this.wake()
  }

  /** Ends now, buffered or not: a graceful end that took too long. */
  abort(reason: LiveEnd): void {
    if (this.closed) return
    this.request.channel.close?.(reason.code, reason.message)
    this.close()
  }

  async next(): Promise<IteratorResult<LiveItem>> {
    for (;;) {
      const event = this.queue.shift()
      if (event !== undefined) return { value: event, done: false }
      if (this.closed) return { value: undefined, done: true }
      if (this.ending) {
        // The client has taken everything it was sent: a graceful end closes the channel now.
        if (this.ending.graceful) this.request.channel.close?.(this.ending.code, this.ending.message)
        else if (!this.request.channel.close && !this.endDelivered) {
          this.endDelivered = true
          return { value: this.ending, done: false }
        }
        this.close()
        return { value: undefined, done: true }
      }
      await new Promise<void>((resolve) => (this.waiting = resolve))
    }
  }

  /** The client unsubscribed, or its connection went away. */
  return(): Promise<IteratorResult<LiveItem>> {
    this.close()
    return Promise.resolve({ value: undefined, done: true })
  }

  throw(error: unknown): Promise<IteratorResult<LiveItem>> {
    this.close()
    return Promise.reject(error instanceof Error ? error : new Error(String(error)))
  }

  [Symbol.asyncIterator](): this {
    return this
  }

  private wake(): void {
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.()
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    this.queue = []
    this.wake()
    this.release()
    this.markClosed()
  }

  private release(): void {
    if (this.released) return
    this.released = true
    this.onClose(this)
  }
}
