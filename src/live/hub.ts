import type { Access } from '../auth/principal.js'
import { credentialsOf } from '../auth/request-credentials.js'
import type { RequestInfo } from '../domain/request-info.js'
import type { EventRecord } from '../domain/event.js'
import type { Logger } from '../observability/logger.js'
import type { Metrics } from '../observability/metrics.js'
import type { SubscriptionSlots } from '../auth/rate-limits.js'
import type { CommittedBatch, LiveBus } from './bus.js'
import { LiveEnd } from './live-end.js'
import { CommittedEvent } from './live-event.js'
import { SubscriberIndex } from './subscriber-index.js'
import { Subscriber, type SubscriberRequest } from './subscriber.js'

export interface LiveHubOptions {
  readonly bus: LiveBus
  /**
   * Authenticates a subscriber's credentials again, as any request is (the service's
   * authenticator over `credentialsOf(info)`, asked afresh each time): the accounts file, CVAT,
   * any identity source it learns. Rejects with UNAUTHENTICATED or FORBIDDEN as requests do; any
   * other failure (an identity provider away) leaves the subscriber as it is.
   */
  readonly authenticate: (info: RequestInfo) => Promise<Access>
  /** Events one subscriber may still have waiting when the next batch comes, or it is dropped (LIVE_BUFFER_EVENTS). */
  readonly bufferEvents: number
  readonly metrics: Pick<Metrics, 'subscriptions' | 'subscribersDropped'>
  readonly log: Logger
  /**
   * Subscriptions one principal may hold at once: a slot is taken at subscribe (429
   * TOO_MANY_REQUESTS when all are held) and given back when the subscription ends, however.
   */
  readonly slots?: Pick<SubscriptionSlots, 'acquire'>
}

/** Committed events in, to the subscribers of every replica whose filter and access match. */
export interface LiveHub {
  /** The writer's publish hook: called once events are stored (or replayed from the spool). */
  publish(records: readonly EventRecord[]): void
  /**
   * A subscription for a principal: its filter authorized now (FORBIDDEN is thrown to the
   * caller) and again at every re-check. Iterate it to receive events.
   */
  subscribe(request: SubscriberRequest, access: Access): Subscriber
  /**
   * Authenticates every subscriber's credentials again (each distinct credential once) and
   * applies the policy to its filter again: a revoked token or password ends its subscriptions
   * (4401), a removed membership or a filter now out of sight ends them (4403), a changed role
   * narrows what they receive.
   */
  recheck(): Promise<void>
  /** Open subscriptions. */
  readonly size: number
  /**
   * Stops taking subscriptions, lets the batches received so far reach the buffers and the
   * buffers reach their clients (at most `graceMs`), then ends every subscription: WebSockets
   * closed with 1001, SSE streams completed. Closes the bus.
   */
  close(graceMs: number): Promise<void>
}

/** Subscribers woken per turn of the event loop after a batch (see drain). */
const WAKE_CHUNK = 256

/** Builds the hub and starts listening on its bus. */
export async function startLiveHub(options: LiveHubOptions): Promise<LiveHub> {
  const { bus, log, metrics } = options
  const index = new SubscriberIndex()
  const inbox: CommittedBatch[] = []
  let draining: Promise<void> | undefined
  let closing = false
  let rechecking: Promise<void> | undefined
  let recheckAgain = false
  let closed: Promise<void> | undefined

  const drop = (subscriber: Subscriber, end: LiveEnd) => {
    if (!subscriber.isOpen) return
    metrics.subscribersDropped.inc({ reason: end.reason, transport: subscriber.transport })
    subscriber.end(end)
  }

  /**
   * Fan-out of one batch: one index look-up per event, one match per candidate subscriber. A
   * subscriber still holding more than `bufferEvents` from earlier batches when it is handed a
   * new one is not keeping up and is dropped; one batch, however large, never drops a subscriber
   * that reads (a batch is at most MAX_BATCH_EVENTS), so a buffer holds at most about
   * `bufferEvents` + one batch.
   */
  const fanOut = (batch: CommittedBatch): Subscriber[] => {
    const touched = new Set<Subscriber>()
    for (const record of batch.records) {
      let event: CommittedEvent | undefined
      for (const subscriber of index.candidates(record.orgId, record.userId, record.scope)) {
        event ??= new CommittedEvent(record, batch.committedAtMs)
        if (!subscriber.matches(event)) continue
        if (!touched.has(subscriber)) {
          if (subscriber.pending > options.bufferEvents) {
            drop(subscriber, LiveEnd.tooSlow(subscriber.pending))
            continue
          }
          touched.add(subscriber)
        }
        subscriber.push(event)
      }
    }
    return [...touched]
  }

  // Batches are fanned out one per turn of the event loop, after the writer's publish returned, and
  // their subscribers are woken WAKE_CHUNK per turn (each then executes and sends what it got):
  // neither a large batch nor a thousand subscribers hold up ingest answers or other I/O for long.
  const drain = async () => {
    for (let batch = inbox.shift(); batch; batch = inbox.shift()) {
      let touched: Subscriber[] = []
      try {
        touched = fanOut(batch)
      } catch (error) {
        log.error('live fan-out failed', { error })
      }
      for (let i = 0; i < touched.length; i += WAKE_CHUNK) {
        for (const subscriber of touched.slice(i, i + WAKE_CHUNK)) subscriber.notify()
        await new Promise((resolve) => setImmediate(resolve))
      }
      if (touched.length === 0) await new Promise((resolve) => setImmediate(resolve))
    }
  }
  const deliver = (batch: CommittedBatch) => {
    if (index.size === 0) return
    inbox.push(batch)
    draining ??= drain().finally(() => (draining = undefined))
  }
  await bus.listen(deliver)

  async function recheckAll(): Promise<void> {
    const byCredentials = new Map<string, Subscriber[]>()
    for (const subscriber of index.all()) {
      if (!subscriber.isOpen) continue
      const { authorization, cookie, org, grafanaUser } = credentialsOf(subscriber.request.info)
      const key = JSON.stringify([authorization, cookie, org, grafanaUser])
      const group = byCredentials.get(key)
      if (group) group.push(subscriber)
      else byCredentials.set(key, [subscriber])
    }
    for (const subscribers of byCredentials.values()) {
      const first = subscribers[0] as Subscriber
      let access: Access
      try {
        access = await options.authenticate(first.request.info)
      } catch (error) {
        const end = endFor(error)
        if (end) for (const subscriber of subscribers) drop(subscriber, end)
        else log.warn('could not re-check subscribers; they keep their access', { error: String(error) })
        continue
      }
      for (const subscriber of subscribers) {
        try {
          subscriber.filter = subscriber.request.authorize(access)
          index.reindex(subscriber)
        } catch (error) {
          drop(subscriber, endFor(error) ?? LiveEnd.forbidden(String(error)))
        }
      }
    }
  }

  async function closeAll(graceMs: number): Promise<void> {
    closing = true
    const subscribers = [...index.all()]
    let timer: NodeJS.Timeout | undefined
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))
    const graceful = (async () => {
      while (draining) await draining
      for (const subscriber of subscribers) subscriber.end(LiveEnd.shutdown())
      await Promise.all(subscribers.map((s) => s.finished))
    })()
    await Promise.race([graceful, deadline])
    clearTimeout(timer)
    for (const subscriber of subscribers) subscriber.abort(LiveEnd.shutdown())
    await bus.close()
  }

  return {
    publish(records) {
      if (records.length === 0 || (index.size === 0 && !bus.shared)) return
      bus.send({ committedAtMs: Date.now(), records })
    },
    subscribe(request, access) {
      const filter = request.authorize(access)
      const release = options.slots?.acquire(access)
      const subscriber = new Subscriber(request, filter, (s) => {
        index.remove(s)
        metrics.subscriptions.dec({ transport: s.transport })
        release?.()
      })
      index.add(subscriber)
      metrics.subscriptions.inc({ transport: subscriber.transport })
      if (closing) subscriber.end(LiveEnd.shutdown())
      return subscriber
    },
    recheck() {
      if (rechecking) {
        recheckAgain = true
        return rechecking
      }
      rechecking = (async () => {
        do {
          recheckAgain = false
          await recheckAll()
        } while (recheckAgain)
      })().finally(() => (rechecking = undefined))
      return rechecking
    },
    get size() {
      return index.size
    },
    close(graceMs) {
      return (closed ??= closeAll(graceMs))
    },
  }
}

/** The end a failed re-check means: credentials refused (401) or access refused (403). */
function endFor(error: unknown): LiveEnd | undefined {
  const { code, message } = error as { code?: unknown; message?: unknown }
  const text = typeof message === 'string' ? message : 'access changed'
  if (code === 'UNAUTHENTICATED') return LiveEnd.unauthenticated('credentials no longer accepted')
  if (code === 'FORBIDDEN') return LiveEnd.forbidden(`access withdrawn: ${text}`)
  return undefined
}
