import type { MigrationStep } from './step.js'

/**
 * Exports' records (store/export-records.ts): every replica of the API reads and writes them
 * here, so an export started on one is known to all. Each change of a record is a new row with a
 * higher version; FINAL reads the latest, and a record is forgotten by a latest row of status
 * `forgotten` (ReplacingMergeTree's own deleted flag needs ClickHouse 23.2; we run on 22.2).
 */
export function exportRecordsSteps(db: string): MigrationStep[] {
  return [
    {
      name: 'export_records',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.export_records (
              id String,
              owner_id String,
              dedup_key String,
              status LowCardinality(String),
              document String CODEC(ZSTD(3)),
              version UInt64
            ) ENGINE = ReplacingMergeTree(version)
            ORDER BY id`,
    },
  ]
}
