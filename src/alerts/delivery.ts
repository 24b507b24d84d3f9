import { MAX_ATTEMPT_LOG, type AlertNotification } from './notification.js'
import type { WebhookResult } from './webhook.js'

/** How long a notification's delivery is retried: after 24 hours without a 2xx it has failed. */
export const RETRY_FOR_MS = 24 * 3_600_000
const FIRST_RETRY_MS = 30_000
const LONGEST_RETRY_MS = 3_600_000

/**
 * The wait after the n-th failed attempt: 30 s, doubling, at most an hour (about 30 attempts in 24
 * hours). No jitter: only one replica (the lease holder) delivers, so retries never come in herds.
 */
export function backoffMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS)
}

/**
 * Records an attempt in a notification: delivered on a 2xx; otherwise another attempt after the
 * backoff, the last one 24 hours after the notification was created, and failed after that one.
 * `retry` false (a test notification) makes one failed attempt final.
 */
export function recordAttempt(
  notification: AlertNotification,
  result: WebhookResult,
  at: number,
  retry = true,
): AlertNotification {
  const log = [
    ...notification.log,
    { at, statusCode: result.statusCode, error: result.error, durationMs: result.durationMs },
  ].slice(-MAX_ATTEMPT_LOG)
  const attempts = notification.attempts + 1
  if (result.ok)
    return { ...notification, attempts, log, status: 'delivered', nextAttemptAt: null, deliveredAt: at }
  const giveUpAt = notification.createdAt + RETRY_FOR_MS
  if (!retry || at >= giveUpAt)
    return { ...notification, attempts, log, status: 'failed', nextAttemptAt: null }
  const next = Math.min(at + backoffMs(attempts), giveUpAt)
  return { ...notification, attempts, log, status: 'pending', nextAttemptAt: next }
}
