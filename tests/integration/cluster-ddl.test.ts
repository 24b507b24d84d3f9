import { query } from 'chdb'
import { describe, expect, it } from 'vitest'
import { schemaStatements } from '../../src/store/migrations.js'
import { clusterStatements } from '../../src/store/schema/cluster.js'
import { schemaLayout } from '../../src/store/schema/layout.js'

// No cluster runs here: these tests check the DDL the migration sends to one (docs/scaling.md).
const onCluster = schemaStatements('analytics', 'main').map((s) => s.sql.replace(/\s+/g, ' ').trim())
const single = schemaStatements('analytics').map((s) => s.sql)

/** Parses without running (ClickHouse's own parser, through chDB). */
const parses = (sql: string) => query(`EXPLAIN AST ${sql}`, 'TSV').length > 0

describe('the schema on a cluster', () => {
  it('is statements ClickHouse parses, on one server and on a cluster', () => {
    for (const sql of [...single, ...onCluster]) expect(parses(sql), sql).toBe(true)
  })

  it('runs every statement ON CLUSTER but the version record, which goes through a Distributed table', () => {
    for (const sql of onCluster) {
      if (sql.startsWith('INSERT')) continue
      expect(sql, sql).toContain('ON CLUSTER main')
    }
  })

  it('stores every table in a replicated local table per shard and reads it through a Distributed one of the same name', () => {
    const tables = [
      'events',
      'schema_migrations',
      'rollup_backfill',
      'export_records',
      'rollups_v4',
      'events_exceptions_v2',
      'job_trail_v5',
      'events_quarantine',
    ]
    for (const table of tables) {
      const local = onCluster.find((s) =>
        s.startsWith(`CREATE TABLE IF NOT EXISTS analytics.${table}_local `),
      )
      expect(local, table).toMatch(
        new RegExp(
          `ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard\\}/analytics/${table}_local', '\\{replica\\}'`,
        ),
      )
      expect(onCluster).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            new RegExp(
              `^CREATE TABLE IF NOT EXISTS analytics\\.${table} ON CLUSTER main AS analytics\\.${table}_local ENGINE = Distributed\\(main, analytics, ${table}_local, `,
            ),
          ),
        ]),
      )
    }
    expect(onCluster.join('\n')).not.toContain('non_replicated_deduplication_window')
  })

  it('keeps the engine parameters and shards events and export records deterministically', () => {
    expect(onCluster).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/analytics/export_records_local', '{replica}', version)",
        ),
      ]),
    )
    const all = onCluster.join('\n')
    expect(all).toContain('Distributed(main, analytics, events_local, cityHash64(event_id))')
    expect(all).toContain('Distributed(main, analytics, export_records_local, cityHash64(id))')
  })

  it('rolls up on each shard: every view reads the local events and writes the local table', () => {
    for (const table of ['rollups_v4', 'events_exceptions_v2', 'job_trail_v5']) {
      const view = onCluster.find((s) =>
        s.startsWith(`CREATE MATERIALIZED VIEW IF NOT EXISTS analytics.${table}_mv `),
      )
      expect(view, table).toContain(`ON CLUSTER main TO analytics.${table}_local AS SELECT`)
      expect(view).toContain('FROM analytics.events_local')
      expect(view).not.toMatch(/FROM analytics\.events\b(?!_local)/)
    }
  })

  it('changes columns on both tables, and indexes, TTLs and mutations on the local one only', () => {
    const layout = { db: 'db', cluster: 'c' }
    expect(
      clusterStatements(
        'ALTER TABLE db.events ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT 1 CODEC(ZSTD(1))',
        layout,
      ),
    ).toEqual([
      'ALTER TABLE db.events_local ON CLUSTER c ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT 1 CODEC(ZSTD(1))',
      'ALTER TABLE db.events ON CLUSTER c ADD COLUMN IF NOT EXISTS x UInt8 DEFAULT 1',
    ])
    expect(
      clusterStatements(
        'ALTER TABLE db.events ADD INDEX IF NOT EXISTS i x TYPE set(10) GRANULARITY 4',
        layout,
      ),
    ).toEqual([
      'ALTER TABLE db.events_local ON CLUSTER c ADD INDEX IF NOT EXISTS i x TYPE set(10) GRANULARITY 4',
    ])
    const cluster = schemaLayout('db', 'c')
    expect(cluster.alter('events', 'MODIFY TTL toDateTime(timestamp) + INTERVAL 30 DAY')).toBe(
      'ALTER TABLE db.events_local ON CLUSTER c MODIFY TTL toDateTime(timestamp) + INTERVAL 30 DAY',
    )
    expect(cluster.alter('events', 'MATERIALIZE COLUMN rollup_gen SETTINGS mutations_sync = 2')).toBe(
      'ALTER TABLE db.events_local ON CLUSTER c MATERIALIZE COLUMN rollup_gen SETTINGS mutations_sync = 2',
    )
    expect(cluster.alterColumn('events', 'MODIFY COLUMN rollup_gen UInt8 DEFAULT 1 CODEC(ZSTD(1))')).toEqual([
      'ALTER TABLE db.events_local ON CLUSTER c MODIFY COLUMN rollup_gen UInt8 DEFAULT 1 CODEC(ZSTD(1))',
      'ALTER TABLE db.events ON CLUSTER c MODIFY COLUMN rollup_gen UInt8 DEFAULT 1',
    ])
    expect(cluster.storage('rollup_1h')).toBe('rollup_1h_local')
  })

  it('feeds a cluster by views: no pass, no block numbers', () => {
    expect(onCluster.join('\n')).not.toContain('enable_block_number_column')
    expect(single.join('\n')).toContain('enable_block_number_column = 1')
    expect(single.join('\n')).not.toContain('MATERIALIZED VIEW')
  })

  it('drops a retired table with its local tables, and a view on every shard', () => {
    const layout = { db: 'db', cluster: 'c' }
    expect(clusterStatements('DROP TABLE IF EXISTS db.rollups', layout)).toEqual([
      'DROP TABLE IF EXISTS db.rollups ON CLUSTER c SYNC',
      'DROP TABLE IF EXISTS db.rollups_local ON CLUSTER c SYNC',
    ])
    expect(clusterStatements('DROP VIEW IF EXISTS db.rollups_mv', layout)).toEqual([
      'DROP VIEW IF EXISTS db.rollups_mv ON CLUSTER c SYNC',
    ])
  })

  it('refuses a statement it has no cluster form for, rather than running it on one node', () => {
    expect(() => clusterStatements('CREATE VIEW db.v AS SELECT 1', { db: 'db', cluster: 'c' })).toThrow(
      /no cluster form/,
    )
  })

  it('leaves the single-server schema as the concerns wrote it', () => {
    expect(single.join('\n')).not.toContain('ON CLUSTER')
    expect(single.join('\n')).not.toContain('_local')
  })
})
