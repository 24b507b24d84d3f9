import pLimit from 'p-limit'
import type { Logger } from '../observability/logger.js'
import { recordAttempt } from './delivery.js'
import type { AlertRecords } from './records.js'
import type { AlertRule } from './rule.js'
import { postWebhook } from './webhook.js'
import type { HostResolver } from './webhook-url.js'

export interface AlertDelivererOptions {
  readonly records: AlertRecords
  readonly log: Logger
  readonly now: () => number
  /** ALERT_WEBHOOK_ALLOW_PRIVATE. */
  readonly allowPrivate: boolean
  /** Each attempt is abandoned after this long. @default 5000 */
  readonly timeoutMs?: number
  /** Deliveries in flight at once. @default 8 */
  readonly concurrency?: number
  readonly resolve?: HostResolver
}

/** Deliveries looked at per pass. */
const DUE_PER_PASS = 100

/**
 * Delivers notifications from the store (the lease holder runs it): each due one is POSTed to its
 * rule's webhook as the rule is now (its URL and secret), at most `concurrency` at once and each
 * within its timeout, so a slow receiver holds up no other; the attempt is recorded (delivered, or
 * the next attempt with its backoff, or given up after 24 hours). A notification of a rule deleted,
 * or left without a webhook, is cancelled.
 */
export class AlertDeliverer {
  private readonly slots: ReturnType<typeof pLimit>
  /** Deliveries in flight on this replica, by notification id. */
  private readonly sending = new Map<string, Promise<void>>()

  constructor(private readonly options: AlertDelivererOptions) {
    this.slots = pLimit(options.concurrency ?? 8)
  }

  /** Delivers what is due now; resolves once each delivery it started, or found in flight, is recorded. */
  async deliverDue(): Promise<void> {
    const due = await this.options.records.due(this.options.now(), DUE_PER_PASS)
    const rules = await this.rulesById(due.map((n) => n.ruleId))
    await Promise.all(due.map((n) => this.deliverOnce(n.id, rules.get(n.ruleId))))
  }

  /** Resolves once the deliveries in flight are recorded. */
  async settled(): Promise<void> {
    await Promise.all([...this.sending.values()])
  }

  private async rulesById(ids: readonly string[]): Promise<Map<string, AlertRule>> {
    if (ids.length === 0) return new Map()
    const rules = await this.options.records.rules({ ids: [...new Set(ids)] })
    return new Map(rules.map((r) => [r.id, r]))
  }

  /** Delivers one notification unless it is in flight here already (then waits for that one). */
  private deliverOnce(id: string, rule: AlertRule | undefined): Promise<void> {
    const running = this.sending.get(id)
    if (running) return running
    const delivery = this.slots(() => this.attempt(id, rule)).finally(() => this.sending.delete(id))
    this.sending.set(id, delivery)
    return delivery
  }

  private async attempt(id: string, rule: AlertRule | undefined): Promise<void> {
    const { records, log, now } = this.options
    try {
      // As recorded now: an earlier pass may have delivered it since this one listed it.
      const [notification] = await records.notifications([id])
      if (!notification || notification.status !== 'pending') return
      if ((notification.nextAttemptAt ?? 0) > now()) return
      if (!rule?.webhookUrl) {
        await records.saveNotification({ ...notification, status: 'cancelled', nextAttemptAt: null })
        return
      }
      const at = now()
      const result = await postWebhook({
        url: rule.webhookUrl,
        body: notification.body,
        secret: rule.webhookSecret,
        idempotencyKey: notification.id,
        timeoutMs: this.options.timeoutMs ?? 5_000,
        allowPrivate: this.options.allowPrivate,
        ...(this.options.resolve ? { resolve: this.options.resolve } : {}),
      })
      const next = recordAttempt(notification, result, at)
      await records.saveNotification(next)
      if (!result.ok) {
        log.info('alert webhook delivery failed', {
          notificationId: id,
          statusCode: result.statusCode,
          error: result.error,
          status: next.status,
          nextAttemptAt: next.nextAttemptAt,
        })
      }
    } catch (error) {
      log.error('alert delivery failed', { notificationId: id, error })
    }
  }
}
