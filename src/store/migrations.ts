import type { Engine } from './engine.js'

/**
 * Brings the database to the schema this version needs. Every step is idempotent (IF NOT EXISTS),
 * so a start after a crash, on an existing CVAT `events` table, or on an up-to-date database all
 * converge on the same schema. Applied steps are recorded in `schema_migrations` for operators.
 */
export async function migrate(engine: Engine, options: { retentionDays: number }): Promise<void> {
  const db = engine.database
  await engine.command({ name: 'migrate.database', sql: `CREATE DATABASE IF NOT EXISTS ${db}` })
  for (const step of steps(db)) {
    await engine.command({ name: `migrate.${step.name}`, sql: step.sql })
  }
  await applyRetention(engine, options.retentionDays)
  await engine.command({
    name: 'migrate.record',
    sql: `INSERT INTO ${db}.schema_migrations (version, name)
          SELECT {version:UInt32}, {name:String}
          WHERE {version:UInt32} NOT IN (SELECT version FROM ${db}.schema_migrations)`,
    params: { version: SCHEMA_VERSION, name: 'events table with ids, indexes and codecs' },
  })
}

export const SCHEMA_VERSION = 1

interface Step {
  readonly name: string
  readonly sql: string
}

function steps(db: string): Step[] {
  return [
    {
      name: 'schema_migrations',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (
              version UInt32,
              name String,
              applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
            ) ENGINE = MergeTree ORDER BY version`,
    },
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
              count Nullable(UInt16),
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
    // Our additions, as ALTERs so that they also upgrade a table CVAT created.
    // event_id: a stable identity (GraphQL ids, keyset pagination tie-break). Ingest always sets it;
    // rows CVAT wrote before get a deterministic hash of their content, so their id is stable too.
    {
      name: 'events.event_id',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS event_id UUID
              DEFAULT reinterpretAsUUID(sipHash128(tuple(scope, source, timestamp, obj_name, obj_id, obj_val,
                user_id, job_id, task_id, project_id, org_id, payload)))`,
    },
    {
      name: 'events.ingested_at',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS ingested_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(Delta, ZSTD(1))`,
    },
    {
      // The request that caused the event, for "everything request X did" lookups without JSON parsing.
      name: 'events.request_id',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS request_id String
              MATERIALIZED JSONExtractString(ifNull(payload, ''), 'request', 'id')`,
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

/** Keeps the table's TTL equal to the configured retention; 0 removes it (keep everything). */
async function applyRetention(engine: Engine, retentionDays: number): Promise<void> {
  const db = engine.database
  const [table] = await engine.rows<{ engine_full: string }>({
    name: 'migrate.read_ttl',
    sql: `SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = 'events'`,
    params: { db },
  })
  const current = /TTL .*?toIntervalDay\((\d+)\)/i.exec(table?.engine_full ?? '')?.[1]
  const currentDays = current === undefined ? 0 : Number(current)
  if (currentDays === retentionDays) return
  if (retentionDays === 0) {
    await engine.command({ name: 'migrate.remove_ttl', sql: `ALTER TABLE ${db}.events REMOVE TTL` })
    return
  }
  // The interval is a validated integer from the config; TTL expressions cannot take parameters.
  await engine.command({
    name: 'migrate.modify_ttl',
    sql: `ALTER TABLE ${db}.events MODIFY TTL toDateTime(timestamp) + INTERVAL ${Math.trunc(retentionDays)} DAY
          SETTINGS materialize_ttl_after_modify = 0`,
  })
}
