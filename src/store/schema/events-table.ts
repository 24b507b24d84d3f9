import type { MigrationStep } from './step.js'

/**
 * The events table: CVAT's 19 columns (so CVAT's queries run unchanged, and a table CVAT created
 * is upgraded in place) plus our additions, its sort key, partitions and indexes.
 */
export function eventsTableSteps(db: string): MigrationStep[] {
  return [
    {
      // CVAT's 19 columns, same names, order and meaning, so CVAT's queries run unchanged.
      // Sort key: every read is scoped by organisation (the access policy forces it for members)
      // and a time range, so (org_id, timestamp) lets both prune granules; CVAT's key was
      // (timestamp) alone. org_id has few values, so a time range without org still prunes well.
      // Monthly partitions as CVAT, so retention drops whole parts. The deduplication window
      // makes a retried insert of the same block (spool replay after an unclear failure) a no-op.
      name: 'events',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.events (
              scope LowCardinality(String),
              obj_name Nullable(String),
              obj_id Nullable(UInt64),
              obj_val Nullable(String),
              source LowCardinality(String),
              timestamp DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
              count Nullable(UInt32),
              duration UInt32 DEFAULT 0,
              project_id Nullable(UInt64),
              task_id Nullable(UInt64),
              job_id Nullable(UInt64),
              user_id Nullable(UInt64),
              user_name Nullable(String),
              user_email Nullable(String),
              org_id Nullable(UInt64),
              org_slug Nullable(String),
              payload Nullable(String) CODEC(ZSTD(3)),
              access_token_id Nullable(UInt64),
              remote_addr Nullable(String)
            ) ENGINE = MergeTree
            PARTITION BY toYYYYMM(timestamp)
            ORDER BY (org_id, timestamp)
            SETTINGS allow_nullable_key = 1, non_replicated_deduplication_window = 1000`,
    },
    {
      // CVAT's column is UInt16, which wraps an import of 70000 shapes to 4464. Widening is a
      // metadata change plus one background rewrite of the column on a CVAT table; on a table
      // already UInt32 it does nothing (no mutation is created).
      name: 'events.count_uint32',
      sql: `ALTER TABLE ${db}.events MODIFY COLUMN count Nullable(UInt32)`,
    },
    // Our additions, as ALTERs so that they also upgrade a table CVAT created. Every one is
    // MATERIALIZED (or ALIAS): `SELECT *` leaves such columns out, so CVAT's queries, its export
    // (`SELECT * EXCEPT(remote_addr)`) and Grafana's "All events" table see CVAT's 19 columns in
    // CVAT's order, and an insert that names no columns (Vector's) fills them. Our own inserts name
    // event_id and exception_group with `insert_allow_materialized_columns` (store/engine.ts).
    // event_id: a stable identity (GraphQL ids, keyset pagination tie-break). Ingest always sets it;
    // rows CVAT wrote before get a deterministic hash of their content, so their id is stable too.
    {
      name: 'events.event_id',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS event_id UUID
              MATERIALIZED reinterpretAsUUID(sipHash128(tuple(scope, source, timestamp, obj_name, obj_id, obj_val,
                user_id, job_id, task_id, project_id, org_id, payload)))`,
    },
    {
      name: 'events.ingested_at',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS ingested_at DateTime64(3, 'UTC') MATERIALIZED now64(3) CODEC(Delta, ZSTD(1))`,
    },
    {
      // The request that caused the event, for "everything request X did" lookups without JSON
      // parsing (an ALIAS since schema/events-layout.ts; MATERIALIZED in the version before).
      name: 'events.request_id',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS request_id String
              ALIAS JSONExtractString(ifNull(payload, ''), 'request', 'id')`,
    },
    // Skip indexes for the filters dashboards use inside an org's time range: one bloom filter over
    // the four ids (point lookups of one job, task, project or user) and a set index over the few
    // scopes. One combined index, not four: every index adds files to every part, and on small
    // inserts file creation is most of the cost (bench/ingest.ts: 23 files per part took 14 ms an
    // insert, 13 files 9.5 ms).
    {
      name: 'events.idx_ids',
      sql: `ALTER TABLE ${db}.events ADD INDEX IF NOT EXISTS idx_ids (user_id, job_id, task_id, project_id)
              TYPE bloom_filter(0.01) GRANULARITY 4`,
    },
    {
      name: 'events.idx_scope',
      sql: `ALTER TABLE ${db}.events ADD INDEX IF NOT EXISTS idx_scope scope TYPE set(256) GRANULARITY 4`,
    },
  ]
}
