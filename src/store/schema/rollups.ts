import {
  COPY_COLUMNS,
  copySelect,
  DIM_COLUMNS,
  EXCEPTIONS_COPY,
  MEASURE_COLUMNS,
  ROLLUPS,
  rollupSelect,
  type Dim,
  type RollupDef,
} from '../rollups/catalog.js'
import type { MigrationStep } from './step.js'

/**
 * The rollups (store/rollups/catalog.ts): per rollup an AggregatingMergeTree table and the
 * materialized view that feeds it from every insert into `events`; the generation column that
 * tells the views' rows from the rows the backfill counts (schema/rollup-generation.ts); and the
 * record of the backfill's progress.
 */
export function rollupSteps(db: string): MigrationStep[] {
  return [
    {
      // Rows inserted before the views existed keep 0 (the backfill counts them); rows inserted
      // since get the generation the views count from (set once they exist). A constant per part:
      // it costs no space.
      name: 'events.rollup_gen',
      sql: `ALTER TABLE ${db}.events ADD COLUMN IF NOT EXISTS rollup_gen UInt8 DEFAULT 0 CODEC(ZSTD(1))`,
    },
    {
      // One row per rollup and day of events counted by the backfill, and one (complete = 1) once
      // all are: the backfill resumes from here after a restart, and reads use a rollup only then.
      name: 'rollup_backfill',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.rollup_backfill (
              rollup LowCardinality(String),
              day Date,
              complete UInt8 DEFAULT 0,
              done_at DateTime64(3, 'UTC') DEFAULT now64(3)
            ) ENGINE = MergeTree ORDER BY (rollup, complete, day)`,
    },
    ...ROLLUPS.flatMap((rollup) => [tableStep(db, rollup), viewStep(db, rollup)]),
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

const ID_CODEC = 'CODEC(T64, ZSTD(1))'

function tableStep(db: string, rollup: RollupDef): MigrationStep {
  const dims: Dim[] = ['org_id', ...rollup.dims]
  const columns = [
    `t DateTime('UTC') CODEC(Delta, ZSTD(1))`,
    ...dims.map((d) => {
      const type = DIM_COLUMNS[d].type
      return `${d} ${type} ${type.includes('UInt64') ? ID_CODEC : 'CODEC(ZSTD(1))'}`
    }),
    ...rollup.measures.map((m) => `${m} ${MEASURE_COLUMNS[m].type} CODEC(ZSTD(1))`),
  ]
  // Sort key: the access policy scopes reads by organization, every read has a time range, then
  // the dimensions from fewest values to most, for compression. Monthly partitions let the
  // retention TTL drop whole parts. The deduplication window makes a backfill chunk retried after
  // a crash (same insert_deduplication_token) a no-op.
  return {
    name: rollup.name,
    sql: `CREATE TABLE IF NOT EXISTS ${db}.${rollup.name} (
            ${columns.join(',\n            ')}
          ) ENGINE = AggregatingMergeTree
          PARTITION BY toYYYYMM(t)
          ORDER BY (org_id, t, ${rollup.dims.join(', ')})
          SETTINGS allow_nullable_key = 1, non_replicated_deduplication_window = 10000`,
  }
}

function viewStep(db: string, rollup: RollupDef): MigrationStep {
  return {
    name: `${rollup.name}_mv`,
    sql: `CREATE MATERIALIZED VIEW IF NOT EXISTS ${db}.${rollup.name}_mv TO ${db}.${rollup.name} AS
          ${rollupSelect(rollup, db, `rollup_gen >= ${rollup.since}`)}`,
  }
}
