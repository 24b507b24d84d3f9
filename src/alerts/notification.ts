import type { AlertKind, AlertRule } from './rule.js'
import type { Measurement } from './evaluate.js'
import { alertLink } from './link.js'

/** What a notification says happened. */
export type NotificationKind = 'firing' | 'resolved' | 'test'

/**
 * Where a notification's delivery stands: `pending` (an attempt is due at `nextAttemptAt`),
 * `delivered` (the receiver answered 2xx), `failed` (no 2xx within 24 hours; no more attempts),
 * `cancelled` (the rule was deleted, or lost its webhook, before it was delivered), `skipped` (the
 * rule had no webhook: live subscribers were told, nobody else).
 */
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled' | 'skipped'

/** One attempt to deliver: the receiver's status code, or why there was none. */
export interface DeliveryAttempt {
  readonly at: number
  readonly statusCode: number | null
  readonly error: string | null
  readonly durationMs: number
}

/**
 * A firing, a resolution or a test, with its delivery (JSON in `alert_notifications.document`).
 * `body` is the JSON sent, byte for byte at every attempt (the signature covers it); its `id` is
 * the idempotency key, the same at every attempt and on every replica.
 */
export interface AlertNotification {
  readonly version: 1
  readonly id: string
  readonly ruleId: string
  readonly orgId: string | null
  readonly kind: NotificationKind
  readonly createdAt: number
  readonly body: string
  status: DeliveryStatus
  /** Attempts so far (the log keeps the last MAX_ATTEMPT_LOG of them). */
  attempts: number
  log: DeliveryAttempt[]
  nextAttemptAt: number | null
  deliveredAt: number | null
}

/** Attempts kept in a notification's log (24 hours of backoff make about 30). */
export const MAX_ATTEMPT_LOG = 40

/** The JSON a webhook receives (and what Subscription.alerts pushes, parsed). */
export interface AlertPayload {
  /** The idempotency key: the same at every attempt; a receiver that saw it already may ignore it. */
  readonly id: string
  readonly state: 'FIRING' | 'RESOLVED' | 'TEST'
  readonly rule: {
    readonly id: string
    readonly name: string
    readonly kind: string
    readonly windowMinutes: number
    readonly threshold: number
    readonly factor: number | null
  }
  /** null: a rule over every organization. */
  readonly organization: { readonly id: string; readonly slug: string | null } | null
  /** The window evaluated: [from, to) in ISO-8601 UTC. */
  readonly window: { readonly from: string; readonly to: string; readonly minutes: number }
  readonly value: number | null
  readonly threshold: number
  /** `EXCEPTION_SPIKE`: the count of the window before. */
  readonly previous?: number
  /** The new groups (`NEW_EXCEPTION_GROUP`) or the idle jobs (`IDLE_JOB`) behind the value, the first 20. */
  readonly groups?: readonly { id: string; message: string; firstSeen: string; count: number }[]
  readonly jobs?: readonly {
    id: string
    taskId: string | null
    projectId: string | null
    lastEvent: string
  }[]
  /** The events in question, in Grafana (ALERT_LINK_URL); null when no dashboard shows them (the quarantine). */
  readonly link: string | null
  /** One line for chat (Slack's and Mattermost's incoming webhooks show `text` as it is). */
  readonly text: string
  /** When it happened (the minute evaluated, or the time of a test). */
  readonly at: string
}

/** GraphQL's name of a kind, as payloads carry it. */
export const kindName = (kind: AlertKind) => kind.toUpperCase()

const KIND_TITLES: Readonly<Record<AlertKind, string>> = {
  exception_spike: 'Exception spike',
  new_exception_group: 'New exception group',
  no_events: 'No events',
  idle_job: 'Idle job',
  quarantine: 'Events quarantined',
}

const iso = (ms: number) => new Date(ms).toISOString()

/** The payload of a change of state (or a test) of `rule`, measured over the window ending at `at`. */
export function buildPayload(
  rule: AlertRule,
  kind: NotificationKind,
  id: string,
  at: number,
  measurement: Measurement | null,
  linkBase: string,
): AlertPayload {
  const windowMs = rule.windowMinutes * 60_000
  const window = { from: iso(at - windowMs), to: iso(at), minutes: rule.windowMinutes }
  const link = alertLink(linkBase, rule, at, measurement)
  const value = measurement?.value ?? null
  const state = kind === 'firing' ? 'FIRING' : kind === 'resolved' ? 'RESOLVED' : 'TEST'
  return {
    id,
    state,
    rule: {
      id: rule.id,
      name: rule.name,
      kind: kindName(rule.kind),
      windowMinutes: rule.windowMinutes,
      threshold: rule.threshold,
      factor: rule.factor,
    },
    organization: rule.orgId === null ? null : { id: rule.orgId, slug: rule.orgSlug },
    window,
    value,
    threshold: rule.threshold,
    ...(measurement?.previous === undefined ? {} : { previous: measurement.previous }),
    ...(measurement?.groups
      ? {
          groups: measurement.groups.map((g) => ({
            id: g.groupId,
            message: g.message,
            firstSeen: iso(g.firstSeenMs),
            count: g.count,
          })),
        }
      : {}),
    ...(measurement?.jobs
      ? {
          jobs: measurement.jobs.map((j) => ({
            id: j.jobId,
            taskId: j.taskId,
            projectId: j.projectId,
            lastEvent: iso(j.lastActivityMs),
          })),
        }
      : {}),
    link,
    text: textLine(rule, state, value, measurement, link),
    at: iso(at),
  }
}

/** Slack reads `<`, `>` and `&` as markup; names are shown without them (Mattermost would show escapes). */
const plain = (text: string) => text.replace(/[<>&]/g, ' ').replace(/\s+/g, ' ').trim()

const count = (n: number, thing: string) => `${n} ${thing}${n === 1 ? '' : 's'}`

/** One line that says what happened, for people in a chat channel. */
function textLine(
  rule: AlertRule,
  state: AlertPayload['state'],
  value: number | null,
  m: Measurement | null,
  link: string | null,
): string {
  const where = rule.orgSlug ?? rule.orgId
  const head = `${state}: ${KIND_TITLES[rule.kind]} "${plain(rule.name)}"${where ? ` (${plain(where)})` : ''}`
  const w = `${rule.windowMinutes} min`
  const n = value ?? 0
  let what: string
  if (state === 'TEST') what = 'a test notification; the rule is set up to reach this channel'
  else if (rule.kind === 'exception_spike') {
    const before = m?.previous === undefined ? '' : `, ${m.previous} in the ${w} before`
    what = `${count(n, 'exception')} in the last ${w} (threshold ${rule.threshold}${rule.factor === null ? '' : `, factor ${rule.factor}`}${before})`
  } else if (rule.kind === 'new_exception_group') {
    const first = m?.groups?.[0]
    const named = first ? `, first: ${plain(first.message || first.groupId).slice(0, 120)}` : ''
    what = `${count(n, 'new exception group')} in the last ${w}${named}`
  } else if (rule.kind === 'no_events') {
    what = state === 'FIRING' ? `no events in the last ${w}` : `events arrive again (${n} in the last ${w})`
  } else if (rule.kind === 'idle_job') {
    const jobs = (m?.jobs ?? []).slice(0, 5).map((j) => j.jobId)
    what = `${count(n, 'job')} in progress without an event for ${w}${jobs.length > 0 ? ` (jobs ${jobs.join(', ')})` : ''}`
  } else {
    what = `${count(n, 'event')} quarantined in the last ${w} (threshold ${rule.threshold}); the \`quarantine\` query lists them`
  }
  return `${head}: ${what}${link ? ` ${link}` : ''}`
}

/** Reads a notification's JSON; undefined when it is not one. */
export function parseNotification(text: string): AlertNotification | undefined {
  try {
    const value = JSON.parse(text) as Partial<AlertNotification>
    if (value.version !== 1 || typeof value.id !== 'string' || typeof value.body !== 'string')
      return undefined
    return value as AlertNotification
  } catch {
    return undefined
  }
}

/** The payload of a notification, parsed from its body. */
export function payloadOf(notification: AlertNotification): AlertPayload {
  return JSON.parse(notification.body) as AlertPayload
}
