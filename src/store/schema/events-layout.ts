import type { MigrationStep } from './step.js'

/**
 * The events table's storage, for fewer bytes per event (bench/disk.ts measures it against
 * CVAT's layout on the same rows): compression codecs on every column, dictionaries for the
 * repetitive strings, and `request_id` computed from the payload on read instead of stored a
 * second time. Each step is idempotent (a MODIFY to the current definition changes nothing) and
 * also converts a table created before, CVAT's included: a type change (String to
 * LowCardinality) rewrites that column in the background; codec changes apply as parts merge.
 *
 * `event_id`'s codec and default change in schema/rollup-generation.ts, once parts that lack the
 * column have it written (their ids must not change with the default).
 */
export function eventsLayoutSteps(db: string): MigrationStep[] {
  const modify = (column: string, definition: string): MigrationStep => ({
    name: `events.layout.${column}`,
    sql: `ALTER TABLE ${db}.events MODIFY COLUMN ${column} ${definition}`,
  })
  // T64 before ZSTD packs ids and small integers into the bits they use (job ids: 0.7 → 0.36
  // bytes a row on the demo data); ZSTD(1) over LZ4 roughly halves text columns at a small cost
  // in CPU; ZSTD(3) on payload as before.
  const ids = 'Nullable(UInt64) CODEC(T64, ZSTD(1))'
  const text = 'LowCardinality(Nullable(String)) CODEC(ZSTD(1))'
  return [
    {
      // A table CVAT created has no deduplication window: a retried insert (the spool's, after an
      // unclear failure) would be stored twice while the rollups, which keep one, count it once.
      name: 'events.deduplication_window',
      sql: `ALTER TABLE ${db}.events MODIFY SETTING non_replicated_deduplication_window = 1000`,
    },
    modify('scope', 'LowCardinality(String) CODEC(ZSTD(1))'),
    modify('obj_name', text),
    modify('obj_id', ids),
    modify('obj_val', 'Nullable(String) CODEC(ZSTD(1))'),
    modify('source', 'LowCardinality(String) CODEC(ZSTD(1))'),
    modify('count', 'Nullable(UInt32) CODEC(T64, ZSTD(1))'),
    modify('duration', 'UInt32 DEFAULT 0 CODEC(T64, ZSTD(1))'),
    modify('project_id', ids),
    modify('task_id', ids),
    modify('job_id', ids),
    modify('user_id', ids),
    modify('user_name', text),
    modify('user_email', text),
    modify('org_id', ids),
    modify('org_slug', text),
    modify('access_token_id', ids),
    modify('remote_addr', 'Nullable(String) CODEC(ZSTD(1))'),
    // The same value as before, read from the payload where ingest wrote it; stored, it was 9 %
    // of the table (a random 36-character id per request). Parts drop the stored column as they merge.
    modify('request_id', "String ALIAS JSONExtractString(ifNull(payload, ''), 'request', 'id')"),
  ]
}
