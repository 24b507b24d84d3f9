import { nextAlertVersion } from './alert-version.js'
import type { Engine } from './engine.js'

/**
 * A notification (a firing, a resolution or a test) with its delivery, as the store keeps it: the
 * columns reads select on and the whole notification as JSON (src/alerts/notification.ts).
 * Times are epoch milliseconds; `nextAttemptAtMs` 0 when no attempt is due.
 */
export interface AlertNotificationRow {
  readonly id: string
  readonly ruleId: string
  readonly status: string
  readonly createdAtMs: number
  readonly nextAttemptAtMs: number
  readonly document: string
}

/** The status of a notification whose delivery is still to be tried. */
const PENDING = 'pending'

/** Records the current state of a notification (a new version of its row). */
export async function saveAlertNotification(engine: Engine, row: AlertNotificationRow): Promise<void> {
  await engine.command({
    name: 'alerts.save_notification',
    sql: `INSERT INTO ${engine.database}.alert_notifications
            (id, rule_id, status, created_at, next_attempt_at, document, version)
          VALUES ({id:String}, {rule:String}, {status:String},
            fromUnixTimestamp64Milli({created:Int64}, 'UTC'), fromUnixTimestamp64Milli({next:Int64}, 'UTC'),
            {document:String}, {version:UInt64})`,
    params: {
      id: row.id,
      rule: row.ruleId,
      status: row.status,
      created: row.createdAtMs,
      next: row.nextAttemptAtMs,
      document: row.document,
      version: nextAlertVersion(),
    },
  })
}

interface Row {
  id: string
  rule_id: string
  status: string
  created_ms: string
  next_ms: string
  document: string
}

const COLUMNS = `id, rule_id, status, toUnixTimestamp64Milli(created_at) AS created_ms,
  toUnixTimestamp64Milli(next_attempt_at) AS next_ms, document`

function fromRow(r: Row): AlertNotificationRow {
  return {
    id: r.id,
    ruleId: r.rule_id,
    status: r.status,
    createdAtMs: Number(r.created_ms),
    nextAttemptAtMs: Number(r.next_ms),
    document: r.document,
  }
}

/** The notifications of these ids that exist (by their latest version). */
export async function loadAlertNotifications(
  engine: Engine,
  ids: readonly string[],
): Promise<AlertNotificationRow[]> {
  if (ids.length === 0) return []
  const rows = await engine.rows<Row>({
    name: 'alerts.load_notifications',
    sql: `SELECT ${COLUMNS} FROM ${engine.database}.alert_notifications FINAL WHERE id IN {ids:Array(String)}`,
    params: { ids: [...ids] },
  })
  return rows.map(fromRow)
}

/** Notifications waiting for a delivery attempt due by `nowMs`, the longest waiting first. */
export async function dueAlertNotifications(
  engine: Engine,
  nowMs: number,
  limit: number,
): Promise<AlertNotificationRow[]> {
  const rows = await engine.rows<Row>({
    name: 'alerts.due_notifications',
    sql: `SELECT ${COLUMNS} FROM (SELECT * FROM ${engine.database}.alert_notifications FINAL)
          WHERE status = '${PENDING}' AND next_attempt_at <= fromUnixTimestamp64Milli({now:Int64}, 'UTC')
          ORDER BY next_attempt_at, created_at LIMIT {limit:UInt32}`,
    params: { now: nowMs, limit },
  })
  return rows.map(fromRow)
}

/** A rule's notifications, newest first (its delivery log). */
export async function ruleAlertNotifications(
  engine: Engine,
  ruleId: string,
  limit: number,
): Promise<AlertNotificationRow[]> {
  const rows = await engine.rows<Row>({
    name: 'alerts.rule_notifications',
    sql: `SELECT ${COLUMNS} FROM ${engine.database}.alert_notifications FINAL
          WHERE rule_id = {rule:String} ORDER BY created_at DESC, id DESC LIMIT {limit:UInt32}`,
    params: { rule: ruleId, limit },
  })
  return rows.map(fromRow)
}

/** Notifications created since `sinceMs` (inclusive), oldest first: what live subscribers are pushed. */
export async function recentAlertNotifications(
  engine: Engine,
  sinceMs: number,
  limit: number,
): Promise<AlertNotificationRow[]> {
  const rows = await engine.rows<Row>({
    name: 'alerts.recent_notifications',
    sql: `SELECT ${COLUMNS} FROM ${engine.database}.alert_notifications FINAL
          WHERE created_at >= fromUnixTimestamp64Milli({since:Int64}, 'UTC')
          ORDER BY created_at, id LIMIT {limit:UInt32}`,
    params: { since: sinceMs, limit },
  })
  return rows.map(fromRow)
}
