import type { MigrationStep } from './step.js'

/** How long quarantined events are kept (the table's TTL). */
export const QUARANTINE_RETENTION_DAYS = 30

/**
 * The quarantine: events the CVAT-logger listener received but could not store as they are (it
 * answers CVAT 200 all the same, so that one bad event never stalls CVAT's delivery). Each row
 * keeps the event's raw JSON text as it arrived, why it was set aside and when, so an admin can
 * read it and send it again once the cause is fixed.
 *
 * Retention: rows expire after QUARANTINE_RETENTION_DAYS, enough to notice the counter
 * (analytics_events_quarantined_total) and act, while a sender stuck on a bad event cannot fill
 * the disk. The TTL is only set when the table is created: an operator's own
 * `ALTER TABLE events_quarantine MODIFY TTL …` survives restarts.
 *
 * Sort key (received_at, id): the API pages newest first. The deduplication window makes a
 * retried insert of the same quarantine block (CVAT re-sending a batch we answered 5xx) a no-op.
 */
export function quarantineTableSteps(db: string): MigrationStep[] {
  return [
    {
      name: 'events_quarantine',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.events_quarantine (
              id UUID DEFAULT generateUUIDv4(),
              received_at DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
              path LowCardinality(String),
              reason LowCardinality(String),
              message String,
              request_id String,
              position UInt32,
              raw String CODEC(ZSTD(3))
            ) ENGINE = MergeTree
            PARTITION BY toYYYYMM(received_at)
            ORDER BY (received_at, id)
            TTL toDateTime(received_at) + INTERVAL ${QUARANTINE_RETENTION_DAYS} DAY
            SETTINGS non_replicated_deduplication_window = 1000`,
    },
  ]
}
