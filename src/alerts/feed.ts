import { Repeater, SlidingBuffer } from 'graphql-yoga'
import type { Logger } from '../observability/logger.js'
import type { AlertQueries } from '../store/index.js'
import { parseNotification, type AlertNotification } from './notification.js'

/** Decides, at each push, whether a subscriber may receive a notification (its access re-checked). */
export type FeedGate = (notification: AlertNotification) => Promise<boolean>

interface FeedSubscriber {
  /** Notifications created before this (less a margin for replicas' clocks) are not pushed. */
  readonly sinceMs: number
  readonly gate: FeedGate
  push(notification: AlertNotification): Promise<unknown>
  stop(error?: unknown): void
}

export interface AlertFeedOptions {
  readonly alerts: Pick<AlertQueries, 'recentNotifications'>
  readonly now: () => number
  readonly log: Logger
  /** How often the store is asked for other replicas' notifications while anyone listens. @default 2000 */
  readonly pollMs?: number
}

/** Notifications a subscriber may have waiting; older ones give way to newer (a sliding buffer). */
const BUFFER = 100
/** How far back a poll looks, and how long pushed ids are remembered. */
const LOOKBACK_MS = 10 * 60_000
/** Replicas' clocks may differ by this much: a subscriber gets what was created this long before it subscribed. */
const CLOCK_MARGIN_MS = 5_000

/**
 * Firings and resolutions to live subscribers (`Subscription.alerts`), on every replica: the
 * evaluating replica hands its notifications over at once (`publish`), and every replica with
 * subscribers asks the store every `pollMs` for those created elsewhere (each is pushed once per
 * replica, whichever way it came). Polling the store, which holds every notification anyway, needs
 * no Redis, and a firing is rare: one small query every two seconds while anyone listens.
 */
export class AlertFeed {
  private readonly subscribers = new Set<FeedSubscriber>()
  /** Ids pushed (or known) here, with their creation time, forgotten after LOOKBACK_MS. */
  private readonly seen = new Map<string, number>()
  private timer: NodeJS.Timeout | undefined
  private polling: Promise<void> | undefined
  private closed = false

  constructor(private readonly options: AlertFeedOptions) {}

  get size(): number {
    return this.subscribers.size
  }

  /** A subscription: notifications the gate lets through, until the client leaves or the feed closes. */
  subscribe(gate: FeedGate, onEnd: () => void = () => {}): AsyncIterableIterator<AlertNotification> {
    const sinceMs = this.options.now() - CLOCK_MARGIN_MS
    return new Repeater<AlertNotification>(async (push, stop) => {
      const subscriber: FeedSubscriber = { sinceMs, gate, push, stop }
      if (this.closed) stop()
      else {
        this.subscribers.add(subscriber)
        this.startPolling()
      }
      try {
        await stop
      } finally {
        this.subscribers.delete(subscriber)
        if (this.subscribers.size === 0) this.stopPolling()
        onEnd()
      }
    }, new SlidingBuffer(BUFFER))
  }

  /** A notification this replica just recorded: pushed now. */
  publish(notification: AlertNotification): void {
    if (notification.kind === 'test' || this.seen.has(notification.id)) return
    this.seen.set(notification.id, notification.createdAt)
    for (const subscriber of this.subscribers) void this.offer(subscriber, notification)
  }

  /** Asks the store for notifications created lately that this replica has not pushed (other replicas'). */
  async poll(): Promise<void> {
    if (this.subscribers.size === 0) return
    const now = this.options.now()
    for (const [id, createdAt] of this.seen) if (createdAt < now - LOOKBACK_MS) this.seen.delete(id)
    const rows = await this.options.alerts.recentNotifications(now - LOOKBACK_MS, 1000)
    for (const row of rows) {
      const notification = parseNotification(row.document)
      if (notification) this.publish(notification)
    }
  }

  /** Ends every subscription (they complete) and stops polling. */
  close(): void {
    this.closed = true
    this.stopPolling()
    for (const subscriber of this.subscribers) subscriber.stop()
    this.subscribers.clear()
  }

  private async offer(subscriber: FeedSubscriber, notification: AlertNotification): Promise<void> {
    if (notification.createdAt < subscriber.sinceMs) return
    try {
      if (await subscriber.gate(notification)) await subscriber.push(notification)
    } catch (error) {
      // Access withdrawn (credentials refused, membership gone): the subscription ends with why.
      subscriber.stop(error)
    }
  }

  private startPolling(): void {
    if (this.timer || this.closed) return
    this.timer = setInterval(() => {
      this.polling ??= this.poll()
        .catch((error: unknown) => this.options.log.debug('alert feed poll failed', { error: String(error) }))
        .finally(() => (this.polling = undefined))
    }, this.options.pollMs ?? 2_000)
    this.timer.unref()
  }

  private stopPolling(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }
}
