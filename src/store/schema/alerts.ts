import type { MigrationStep } from './step.js'

/** How long notifications (the delivery log) are kept. */
export const ALERT_NOTIFICATION_RETENTION_DAYS = 30

/**
 * Alerts (src/alerts/, store/alert-*.ts): every replica of the API reads and writes them here, so
 * a rule created through one is evaluated by whichever replica holds the evaluation lease.
 *
 * - `alert_rules`: a rule's settings as JSON, a new version per change (FINAL reads the latest;
 *   a latest row of status `deleted` hides the rule, as export records are forgotten).
 * - `alert_states`: what the evaluator last concluded about each rule (its own table, so that an
 *   edit of a rule on one replica and an evaluation on another never overwrite each other).
 * - `alert_notifications`: every firing, resolution and test as sent (the body), with its delivery
 *   (attempts, status codes, next attempt): the outbox the lease holder delivers from, the log
 *   `AlertRule.deliveries` shows, and what `Subscription.alerts` pushes. Kept for
 *   ALERT_NOTIFICATION_RETENTION_DAYS after their last change, by the engine's clock (`recorded_at`:
 *   a TTL over a time the service wrote would drop rows on insert when that clock is behind).
 * - `alert_leases`: claims of the evaluation lease, one row per term (see store/alert-lease.ts).
 *   Plain MergeTree: rows are only ever added, and a day later dropped by the TTL.
 */
export function alertSteps(db: string): MigrationStep[] {
  return [
    {
      name: 'alert_rules',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.alert_rules (
              id String,
              org_id String,
              status LowCardinality(String),
              document String CODEC(ZSTD(3)),
              version UInt64
            ) ENGINE = ReplacingMergeTree(version)
            ORDER BY id`,
    },
    {
      name: 'alert_states',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.alert_states (
              rule_id String,
              document String CODEC(ZSTD(3)),
              version UInt64
            ) ENGINE = ReplacingMergeTree(version)
            ORDER BY rule_id`,
    },
    {
      name: 'alert_notifications',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.alert_notifications (
              id String,
              rule_id String,
              status LowCardinality(String),
              created_at DateTime64(3, 'UTC'),
              next_attempt_at DateTime64(3, 'UTC'),
              document String CODEC(ZSTD(3)),
              version UInt64,
              recorded_at DateTime('UTC') DEFAULT now()
            ) ENGINE = ReplacingMergeTree(version)
            ORDER BY (rule_id, id)
            TTL recorded_at + INTERVAL ${ALERT_NOTIFICATION_RETENTION_DAYS} DAY`,
    },
    {
      name: 'alert_leases',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.alert_leases (
              name LowCardinality(String),
              term UInt64,
              holder String,
              claimed_at DateTime64(6, 'UTC') DEFAULT now64(6),
              expires_at DateTime64(3, 'UTC')
            ) ENGINE = MergeTree
            ORDER BY (name, term, claimed_at)
            TTL toDateTime(claimed_at) + INTERVAL 1 DAY`,
    },
  ]
}
