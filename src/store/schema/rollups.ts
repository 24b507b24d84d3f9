import {
  COPY_COLUMNS,
  copySelect,
  DIM_COLUMNS,
  EXCEPTIONS_COPY,
  MEASURE_COLUMNS,
  ROLLUP_DIMS,
  RETIRED_ROLLUP_TABLES,
  ROLLUP_TABLE,
  rollupSelect,
  ROLLUPS_SINCE,
  type Measure,
} from '../rollups/catalog.js'
import type { MigrationStep } from './step.js'

/**
 * The rollups (store/rollups/catalog.ts): their AggregatingMergeTree table and the materialized
 * view that feeds it from every insert into `events`; the exceptions' copy and its view; the
 * generation column that tells the views' rows from the rows the backfill counts
 * (schema/rollup-generation.ts); and the record of the backfill's progress.
 */
export function rollupSteps(db: string): MigrationStep[] {
  const dims = ['org_id', ...ROLLUP_DIMS] as const
  const columns = [
    'grain UInt8',
    `t DateTime('UTC') CODEC(Delta, ZSTD(1))`,
    ...dims.map((d) => {
      const type = DIM_COLUMNS[d].type
      return `${d} ${type} ${type.includes('UInt64') ? 'CODEC(T64, ZSTD(1))' : 'CODEC(ZSTD(1))'}`
    }),
    ...(Object.keys(MEASURE_COLUMNS) as Measure[]).map(
      (m) => `${m} ${MEASURE_COLUMNS[m].type} CODEC(ZSTD(1))`,
    ),
  ]
  return [
    {
      // Rows inserted before the views existed keep 0 (the backfill counts them); rows inserted
      // since get the generation the views count from (set once they exist). A constant per part:
      // it costs no space.
      name: 'events.rollup_gen',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS rollup_gen UInt8 DEFAULT 0 CODEC(ZSTD(1))`,
    },
    {
      // One row per derived table and day of events counted by the backfill, and one (complete = 1)
      // once all are: the backfill resumes from here after a restart, and reads use a table only then.
      name: 'rollup_backfill',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.rollup_backfill (
              rollup LowCardinality(String),
              day Date,
              complete UInt8 DEFAULT 0,
              done_at DateTime64(3, 'UTC') DEFAULT now64(3)
            ) ENGINE = MergeTree ORDER BY (rollup, complete, day)`,
    },
    {
      // Sort key: the grain first (each rollup's rows together), then what every read has: the
      // organization the access policy scopes it to and a time range, then the dimensions from
      // fewest values to most, for compression. Monthly partitions let the retention TTL drop whole
      // parts. The deduplication window makes a backfill chunk retried after a crash (same
      // insert_deduplication_token) a no-op, and a retried events insert reach it once.
      name: ROLLUP_TABLE,
      sql: `CREATE TABLE IF NOT EXISTS ${db}.${ROLLUP_TABLE} (
              ${columns.join(',\n              ')}
            ) ENGINE = AggregatingMergeTree
            PARTITION BY toYYYYMM(t)
            ORDER BY (grain, org_id, t, ${ROLLUP_DIMS.join(', ')})
            SETTINGS allow_nullable_key = 1, non_replicated_deduplication_window = 10000`,
    },
    {
      name: `${ROLLUP_TABLE}_mv`,
      sql: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${ROLLUP_TABLE}_mv TO ${db}.${ROLLUP_TABLE} AS
          ${rollupSelect(db, `rollup_gen >= ${ROLLUPS_SINCE}`)}`,
    },
    // The rollups of an earlier generation: their view would cost every insert a pipeline of its
    // own, and nothing reads them once the current table exists (it is backfilled from every
    // event, and reads use the raw table until then). Stop replicas of the previous version
    // before upgrading: they read the old table.
    ...RETIRED_ROLLUP_TABLES.flatMap((table) => [
      { name: `${table}_mv.drop`, sql: `DROP VIEW IF EXISTS ${db}.${table}_mv` },
      { name: `${table}.drop`, sql: `DROP TABLE IF EXISTS ${db}.${table}` },
    ]),
    {
      // The exceptions, whole (rollups/catalog.ts: EXCEPTIONS_COPY), sorted as the events table.
      name: EXCEPTIONS_COPY.name,
      sql: `CREATE TABLE IF NOT EXISTS ${db}.${EXCEPTIONS_COPY.name} (
              ${COPY_COLUMNS.map(([c, t]) => `${c} ${t}`).join(',\n              ')},
              request_id String ALIAS JSONExtractString(ifNull(payload, ''), 'request', 'id')
            ) ENGINE = MergeTree
            PARTITION BY toYYYYMM(timestamp)
            ORDER BY (org_id, timestamp)
            SETTINGS allow_nullable_key = 1, non_replicated_deduplication_window = 10000`,
    },
    {
      name: `${EXCEPTIONS_COPY.name}_mv`,
      sql: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${EXCEPTIONS_COPY.name}_mv TO ${db}.${EXCEPTIONS_COPY.name} AS
          ${copySelect(EXCEPTIONS_COPY, db, `rollup_gen >= ${EXCEPTIONS_COPY.since}`)}`,
    },
  ]
}
