import type { AlertNotification, DeliveryAttempt } from '../alerts/notification.js'
import { builder } from '../builder.js'

export const AlertNotificationStateEnum = builder.enumType('AlertNotificationState', {
  description: 'What a notification says.',
  values: {
    FIRING: { value: 'firing', description: "The rule's condition began to hold." },
    RESOLVED: { value: 'resolved', description: 'It stopped holding.' },
    TEST: { value: 'test', description: 'A test sent by testAlertRule.' },
  } as const,
})

export const AlertDeliveryStatusEnum = builder.enumType('AlertDeliveryStatus', {
  description: "Where a notification's webhook delivery stands.",
  values: {
    PENDING: { value: 'pending', description: 'Waiting for its next attempt (nextAttemptAt).' },
    DELIVERED: { value: 'delivered', description: 'The receiver answered 2xx.' },
    FAILED: {
      value: 'failed',
      description: 'No 2xx within 24 hours (a test: at its one attempt); no more attempts.',
    },
    CANCELLED: {
      value: 'cancelled',
      description: 'The rule was deleted, or lost its webhook, before a 2xx.',
    },
    SKIPPED: { value: 'skipped', description: 'The rule had no webhook; live subscribers were told.' },
  } as const,
})

const AlertDeliveryAttemptType = builder.objectRef<DeliveryAttempt>('AlertDeliveryAttempt').implement({
  description: 'One POST of a notification to its webhook.',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (a) => a.at }),
    statusCode: t.int({
      nullable: true,
      description:
        "The receiver's HTTP status; null when it did not answer (refused, timed out, unresolvable).",
      resolve: (a) => a.statusCode,
    }),
    error: t.string({
      nullable: true,
      description: 'Why it was not a 2xx (a redirect is not followed, a slow receiver times out after 5 s).',
      resolve: (a) => a.error,
    }),
    durationMs: t.int({ resolve: (a) => a.durationMs }),
  }),
})

export const AlertDeliveryType = builder.objectRef<AlertNotification>('AlertDelivery').implement({
  description:
    "A rule's notification (a firing, a resolution or a test) and its webhook delivery: one entry of the delivery log.",
  fields: (t) => ({
    id: t.id({
      description:
        'The idempotency key: sent as `Idempotency-Key` and as `id` in the body, the same at every attempt.',
      resolve: (n) => n.id,
    }),
    state: t.field({ type: AlertNotificationStateEnum, resolve: (n) => n.kind }),
    status: t.field({ type: AlertDeliveryStatusEnum, resolve: (n) => n.status }),
    createdAt: t.field({ type: 'DateTime', resolve: (n) => n.createdAt }),
    attempts: t.int({ description: 'Attempts so far.', resolve: (n) => n.attempts }),
    statusCodes: t.field({
      type: ['Int'],
      nullable: { list: false, items: true },
      description: "The receiver's status at each attempt (the last 40), null where it did not answer.",
      resolve: (n) => n.log.map((a) => a.statusCode),
    }),
    lastError: t.string({
      nullable: true,
      description: 'Why the last attempt was not a 2xx; null once delivered or before any attempt.',
      resolve: (n) => (n.status === 'delivered' ? null : (n.log.at(-1)?.error ?? null)),
    }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the next attempt is due (PENDING only).',
      resolve: (n) => (n.status === 'pending' ? n.nextAttemptAt : null),
    }),
    deliveredAt: t.field({ type: 'DateTime', nullable: true, resolve: (n) => n.deliveredAt }),
    log: t.field({
      type: [AlertDeliveryAttemptType],
      description: 'The attempts, oldest first (the last 40).',
      resolve: (n) => n.log,
    }),
    payload: t.field({
      type: 'JSON',
      description: 'The JSON body sent (what the signature covers).',
      resolve: (n) => JSON.parse(n.body) as unknown,
    }),
  }),
})
