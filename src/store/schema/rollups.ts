import {
  COPY_COLUMNS,
  copySelect,
  DIM_COLUMNS,
  EXCEPTIONS_COPY,
  JOB_TRAIL,
  JOB_TRAIL_COLUMNS,
  jobTrailSelect,
  ROLLUP_COLUMNS,
  ROLLUP_TABLE,
  rollupSelect,
  ROLLUPS_SINCE,
} from '../rollups/catalog.js'
import type { MigrationStep } from './step.js'

/**
 * How the derived tables are fed (rollups/feed.ts): `pass`, by a pass in the background over the
 * events inserted since the last (reads take those not yet passed from the raw table); `view`, by
 * a materialized view inside every insert (a cluster, or a server before 25.6, which lacks the
 * shared snapshots the reads' gap needs).
 */
export type RollupFeedMode = 'pass' | 'view'

/**
 * The rollups (store/rollups/catalog.ts): their AggregatingMergeTree table, the exceptions' copy,
 * the generation column that tells the rows the feed counts from those the backfill counts
 * (schema/rollup-generation.ts), the record of the backfill's progress, and either the block
 * numbers the pass follows or the views.
 */
export function rollupSteps(db: string, feed: RollupFeedMode): MigrationStep[] {
  const codec = (type: string) =>
    /UInt64|UInt32/.test(type) && !type.startsWith('SimpleAggregateFunction')
      ? 'CODEC(T64, ZSTD(1))'
      : type.startsWith("DateTime('UTC')")
        ? 'CODEC(Delta, ZSTD(1))'
        : 'CODEC(ZSTD(1))'
  const columns = [
    ...ROLLUP_COLUMNS.map(([c, type]) => (c === 'grain' ? `${c} ${type}` : `${c} ${type} ${codec(type)}`)),
    // The feed's marker (grain 0) keeps here the last block of events it counted; 0 elsewhere.
    'blk SimpleAggregateFunction(max, UInt64) DEFAULT 0',
  ]
  const dims = ROLLUP_COLUMNS.slice(3)
    .map(([c]) => c)
    .filter((c) => c in DIM_COLUMNS)
  return [
    {
      // Rows inserted before the current rollups keep a smaller generation (the backfill counts
      // them); rows inserted since get the current one (set once the tables exist). A constant per
      // part: it costs no space.
      name: 'events.rollup_gen',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS rollup_gen UInt8 MATERIALIZED 0 CODEC(ZSTD(1))`,
    },
    ...(feed === 'pass'
      ? [
          {
            // Every row keeps the number of the block (the insert) it came in, through merges: the
            // pass counts the rows of the blocks after its last, and reads take those from here.
            // Block numbers are given as parts are committed, in commit order.
            name: 'events.block_numbers',
            sql: `ALTER TABLE ${db}.events MODIFY SETTING enable_block_number_column = 1`,
          },
        ]
      : []),
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
      // fewest values to most, for compression. No partitions: a pass's insert must be one part,
      // its rows and its marker visible together (feed.ts); retention deletes rows as parts merge.
      // The deduplication window makes a retried backfill chunk or pass (same token) a no-op.
      name: ROLLUP_TABLE,
      sql: `CREATE TABLE IF NOT EXISTS ${db}.${ROLLUP_TABLE} (
              ${columns.join(',\n              ')}
            ) ENGINE = AggregatingMergeTree
            ORDER BY (grain, org_id, t, ${dims.join(', ')})
            SETTINGS allow_nullable_key = 1, non_replicated_deduplication_window = 10000`,
    },
    {
      // The exceptions, whole (rollups/catalog.ts: EXCEPTIONS_COPY), sorted as the events table;
      // unpartitioned for the same reason as the rollups.
      name: EXCEPTIONS_COPY.name,
      sql: `CREATE TABLE IF NOT EXISTS ${db}.${EXCEPTIONS_COPY.name} (
              ${COPY_COLUMNS.map(([c, t]) => `${c} ${t}`).join(',\n              ')},
              blk UInt64 DEFAULT 0 CODEC(ZSTD(1)),
              request_id String ALIAS JSONExtractString(ifNull(payload, ''), 'request', 'id')
            ) ENGINE = MergeTree
            ORDER BY (org_id, timestamp)
            SETTINGS allow_nullable_key = 1, non_replicated_deduplication_window = 10000`,
    },
    {
      // Each job's trail (rollups/catalog.ts: JOB_TRAIL), sorted by job. Granules of 1024 rows: at
      // 10M synthetic events a job holds ~270 rows, so a granule holds ~4 jobs and a flow's 200 of
      // 2,000 jobs read about a third of them; at 8192 (~30 jobs a granule) nearly every one.
      name: JOB_TRAIL.name,
      sql: `CREATE TABLE IF NOT EXISTS ${db}.${JOB_TRAIL.name} (
              ${JOB_TRAIL_COLUMNS.map(([c, t]) => `${c} ${t}`).join(',\n              ')},
              blk UInt64 DEFAULT 0 CODEC(ZSTD(1))
            ) ENGINE = MergeTree
            ORDER BY (org_id, job_id, timestamp)
            SETTINGS allow_nullable_key = 1, index_granularity = 1024,
              non_replicated_deduplication_window = 10000`,
    },
    ...(feed === 'view'
      ? [
          {
            name: `${ROLLUP_TABLE}_mv`,
            sql: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${ROLLUP_TABLE}_mv TO ${db}.${ROLLUP_TABLE} AS
          ${rollupSelect(db, `rollup_gen >= ${ROLLUPS_SINCE}`)}`,
          },
          {
            name: `${EXCEPTIONS_COPY.name}_mv`,
            sql: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${EXCEPTIONS_COPY.name}_mv TO ${db}.${EXCEPTIONS_COPY.name} AS
          ${copySelect(EXCEPTIONS_COPY, db, `rollup_gen >= ${EXCEPTIONS_COPY.since}`)}`,
          },
          {
            name: `${JOB_TRAIL.name}_mv`,
            sql: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${JOB_TRAIL.name}_mv TO ${db}.${JOB_TRAIL.name} AS
          ${jobTrailSelect(db, `rollup_gen >= ${JOB_TRAIL.since}`)}`,
          },
        ]
      : []),
  ]
}
