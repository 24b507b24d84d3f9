import { settlesWithin } from '../domain/settles-within.js'
import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import pLimit from 'p-limit'
import type { Logger } from '../observability/logger.js'
import { AlertDeliverer } from './deliverer.js'
import { RETRY_FOR_MS } from './delivery.js'
import { measure, type Measurement } from './evaluate.js'
import type { AlertFeed } from './feed.js'
import { EvaluationLease } from './lease.js'
import { buildPayload, type AlertNotification, type NotificationKind } from './notification.js'
import type { AlertRecords } from './records.js'
import type { AlertRule } from './rule.js'
import type { AlertState } from './state.js'
import type { HostResolver } from './webhook-url.js'

export interface AlertEvaluatorOptions {
  readonly records: AlertRecords
  readonly feed: AlertFeed
  readonly log: Logger
  readonly now: () => number
  /** ALERT_WEBHOOK_ALLOW_PRIVATE. */
  readonly allowPrivate: boolean
  /** ALERT_LINK_URL: the Grafana notifications link to. */
  readonly linkBase: string
  /** Whether the store can be asked now (while it is away, passes are skipped). @default always */
  readonly storeReady?: () => boolean
  /** How often rules are evaluated (and the lease renewed or claimed). @default 60000 */
  readonly evaluateEveryMs?: number
  /** How often the lease holder looks for deliveries due (retries). @default 5000 */
  readonly deliverEveryMs?: number
  /** A holder that stopped renewing is replaced after this long. @default 120000 */
  readonly leaseTtlMs?: number
  /** Each delivery attempt is abandoned after this long. @default 5000 */
  readonly timeoutMs?: number
  /** Deliveries in flight at once. @default 8 */
  readonly concurrency?: number
  readonly resolve?: HostResolver
}

/** The lease every replica competes for. */
const LEASE = 'alerts.evaluator'
const MINUTE = 60_000
/** Events of the last minute get this long to arrive before the minute is evaluated. */
const SETTLE_MS = 5_000

/**
 * Evaluates every rule once a minute and delivers notifications, on the one replica that holds the
 * evaluation lease (see EvaluationLease); the others only try to claim it, once a minute.
 *
 * A change of state is recorded before its notification (the state carries it), so a process that
 * stops in between leaves a state whose notification the next evaluation, on any replica, writes
 * again with the same id; a notification recorded is delivered from the store, with its attempts,
 * by whichever replica holds the lease then. Nothing is lost and no firing is notified twice but
 * for at-least-once delivery (a receiver that answered after the timeout, or a holder stopped
 * between a POST and its record), which carries the same idempotency key each time.
 */
export class AlertEvaluator {
  readonly lease: EvaluationLease
  private readonly deliverer: AlertDeliverer
  private readonly now: () => number
  private readonly evaluateSlots = pLimit(2)
  private evaluating: Promise<boolean> = Promise.resolve(false)
  private claiming: Promise<boolean> | undefined
  private readonly timers: NodeJS.Timeout[] = []
  private closed = false

  constructor(private readonly options: AlertEvaluatorOptions) {
    this.now = options.now
    this.deliverer = new AlertDeliverer(options)
    this.lease = new EvaluationLease(options.records.alerts, {
      name: LEASE,
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      ttlMs: options.leaseTtlMs ?? 2 * MINUTE,
      now: options.now,
    })
  }

  /** Starts the timers: an evaluation at every minute (a few seconds in), deliveries every few seconds. */
  start(): void {
    const every = this.options.evaluateEveryMs ?? MINUTE
    const settle = every >= MINUTE ? SETTLE_MS : 0
    const schedule = () => {
      const now = Date.now()
      let next = Math.floor(now / every) * every + settle
      if (next <= now) next += every
      const timer = setTimeout(() => {
        this.timers.splice(this.timers.indexOf(timer), 1)
        void this.evaluateNow().finally(() => !this.closed && schedule())
      }, next - now)
      timer.unref()
      this.timers.push(timer)
    }
    schedule()
    const deliveries = setInterval(() => {
      if (this.lease.holds) void this.deliverNow()
    }, this.options.deliverEveryMs ?? 5_000)
    deliveries.unref()
    this.timers.push(deliveries)
    // At start, at once: a replica taking over after another stopped need not wait a minute.
    void this.evaluateNow()
  }

  /**
   * One evaluation, as the timer runs it (tests call it with their clock): claims or renews the
   * lease; if held, evaluates the minute and delivers what is due. Passes run one at a time.
   * Resolves with whether this replica evaluated.
   */
  evaluateNow(): Promise<boolean> {
    this.evaluating = this.evaluating.then(async () => {
      if (this.closed || !this.storeReady()) return false
      try {
        if (!(await this.acquire())) return false
        await this.evaluate()
      } catch (error) {
        this.options.log.error('alert evaluation failed', { error })
        return false
      }
      await this.deliverNow()
      return true
    })
    return this.evaluating
  }

  /**
   * Delivers the notifications due now, each at most once at a time, if this replica holds the
   * lease (renewed here when due: its timer only calls this while it holds it); resolves once
   * every delivery it started, or found in flight, has been recorded.
   */
  async deliverNow(): Promise<void> {
    if (this.closed || !this.storeReady()) return
    try {
      if (await this.acquire()) await this.deliverer.deliverDue()
    } catch (error) {
      this.options.log.error('alert delivery pass failed', { error })
    }
  }

  /**
   * Stops the timers, lets the pass and the deliveries in flight record what they did, and gives
   * the lease up; each within `graceMs`, so a store that hangs does not hold a stop up (the lease
   * then expires by itself).
   */
  async close(graceMs = 2_000): Promise<void> {
    this.closed = true
    for (const timer of this.timers) clearTimeout(timer)
    await settlesWithin(Promise.all([this.evaluating, this.deliverer.settled()]), graceMs)
    const released = this.lease.release().then(
      () => true,
      (error: unknown) => {
        this.options.log.warn('could not give the alert lease up; another replica takes it when it expires', {
          error: String(error),
        })
        return true
      },
    )
    if (!(await settlesWithin(released, graceMs))) {
      this.options.log.warn('the store did not take the alert lease back in time; it expires by itself')
    }
  }

  private storeReady(): boolean {
    return this.options.storeReady?.() ?? true
  }

  private acquire(): Promise<boolean> {
    this.claiming ??= this.lease.acquire().finally(() => (this.claiming = undefined))
    return this.claiming
  }

  /** Evaluates every rule for the current minute; states that changed nothing are saved in one insert. */
  private async evaluate(): Promise<void> {
    const { records, log } = this.options
    const at = Math.floor(this.now() / MINUTE) * MINUTE
    const rules = await records.rules()
    const states = await records.states(rules.map((r) => r.id))
    await this.restoreNotifications([...states.values()])
    const quiet: AlertState[] = []
    await Promise.all(
      rules.map((rule) =>
        this.evaluateSlots(async () => {
          try {
            const next = await this.evaluateRule(rule, states.get(rule.id) as AlertState, at)
            if (next) quiet.push(next)
          } catch (error) {
            log.warn('could not evaluate an alert rule', { ruleId: rule.id, error: String(error) })
          }
        }),
      ),
    )
    await records.saveStates(quiet)
  }

  /**
   * Evaluates one rule at `at`. A change of state (fired, resolved) is recorded here with its
   * notification; any other new state is returned, to be saved with the others.
   */
  private async evaluateRule(rule: AlertRule, state: AlertState, at: number): Promise<AlertState | null> {
    if (!rule.enabled) {
      // A disabled rule stops firing without a word: it watches nothing any more.
      return state.state === 'firing'
        ? { ...state, state: 'ok', firingSince: null, lastEvaluatedAt: at }
        : null
    }
    if (state.lastEvaluatedAt !== null && state.lastEvaluatedAt >= at) return null
    const m = await measure(this.options.records.alerts, rule, at)
    const evaluated: AlertState = { ...state, lastEvaluatedAt: at, value: m.value }
    let next: AlertState
    let kind: NotificationKind
    if (m.firing && state.state === 'ok') {
      kind = 'firing'
      next = { ...evaluated, state: 'firing', firingSince: at, firings: state.firings + 1, lastFiredAt: at }
    } else if (!m.firing && state.state === 'firing') {
      kind = 'resolved'
      next = { ...evaluated, state: 'ok', firingSince: null, lastResolvedAt: at }
    } else return evaluated
    // The id is the idempotency key: the same whichever replica evaluates, however often.
    const notification = this.notificationOf(rule, kind, `${rule.id}:${next.firings}:${kind}`, at, m)
    await this.options.records.saveStates([{ ...next, lastNotification: notification }])
    await this.options.records.saveNotification(notification)
    this.options.feed.publish(notification)
    return null
  }

  /** A new notification of a rule: to be delivered now, or nowhere when the rule has no webhook. */
  notificationOf(
    rule: AlertRule,
    kind: NotificationKind,
    id: string,
    at: number,
    m: Measurement | null,
  ): AlertNotification {
    const createdAt = this.now()
    const body = JSON.stringify(buildPayload(rule, kind, id, at, m, this.options.linkBase))
    return {
      version: 1,
      id,
      ruleId: rule.id,
      orgId: rule.orgId,
      kind,
      createdAt,
      body,
      status: rule.webhookUrl ? 'pending' : 'skipped',
      attempts: 0,
      log: [],
      nextAttemptAt: rule.webhookUrl ? createdAt : null,
      deliveredAt: null,
    }
  }

  /**
   * Writes again the notifications that states carry but the store lacks (a process stopped
   * between the two writes), while they are young enough to be delivered.
   */
  private async restoreNotifications(states: readonly AlertState[]): Promise<void> {
    const since = this.now() - RETRY_FOR_MS
    const carried = states.flatMap((s) =>
      s.lastNotification && s.lastNotification.createdAt >= since ? [s.lastNotification] : [],
    )
    if (carried.length === 0) return
    const stored = new Set(
      (await this.options.records.notifications(carried.map((n) => n.id))).map((n) => n.id),
    )
    for (const notification of carried) {
      if (stored.has(notification.id)) continue
      this.options.log.warn('writing a lost alert notification again', { notificationId: notification.id })
      await this.options.records.saveNotification(notification)
      this.options.feed.publish(notification)
    }
  }
}
