/**
 * Bytes per event on disk, our layout against CVAT's, on the same rows: the demo simulator's
 * history (186k events by default) written through the ingest code into our store (events table,
 * rollups and the exceptions' copy, all kept by the engine), then the same rows copied into a
 * table with CVAT's own DDL, and into one with this project's previous layout (random event ids,
 * `request_id` stored). Every table merged to final parts; sizes from `system.parts`.
 *
 *   npm run bench:disk [-- --events 186000]
 *
 * Writes its section of bench/RESULTS.md.
 */
import { rm } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { loadConfig } from '../src/config.js'
import { generateIntoStore } from '../src/demo/index.js'
import { createEngine } from '../src/store/engine.js'
import { CVAT_COLUMNS, createStore } from '../src/store/index.js'
import { tempDir } from '../tests/support/app.js'
import { commitLine, machineLine, writeResultsSection } from './support.js'
import { cvatEventsTableDdl } from '../tests/support/cvat-table.js'

const { values } = parseArgs({ options: { events: { type: 'string' } } })
const END = Date.UTC(2026, 10, 27, 18)

const dir = await tempDir('aa-bench-disk-')
const config = loadConfig({ DATA_DIR: dir }).store
const store = createStore(config)
await store.migrate()
const { summary } = await generateIntoStore(store, {
  endMs: END,
  ...(values.events ? { events: Number(values.events) } : {}),
})
await store.rollups.whenReady()
await store.rollups.flush()
await store.close()
const engine = createEngine({ ...config, queryTimeoutMs: 3_600_000 })
const run = (name: string, sql: string) =>
  engine.command({ name: `bench.${name}`, sql, timeoutMs: 3_600_000 })

// CVAT's table (components/analytics/clickhouse/init.sh), and this project's layout before this
// work (schema/events-table.ts as created, with a random event id and request_id stored).
await run('cvat_db', 'CREATE DATABASE IF NOT EXISTS cvat')
await run('cvat_table', cvatEventsTableDdl('cvat.events'))
const cvatColumns = CVAT_COLUMNS.join(', ')
await run(
  'cvat_copy',
  `INSERT INTO cvat.events (${cvatColumns}) SELECT ${CVAT_COLUMNS.map((c) => (c === 'count' ? 'toUInt16(count)' : c)).join(', ')} FROM default.events ORDER BY timestamp`,
)
await run('before_db', 'CREATE DATABASE IF NOT EXISTS before')
await run(
  'before_table',
  `CREATE TABLE before.events (
     scope LowCardinality(String), obj_name Nullable(String), obj_id Nullable(UInt64), obj_val Nullable(String),
     source LowCardinality(String), timestamp DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)), count Nullable(UInt32),
     duration UInt32 DEFAULT 0, project_id Nullable(UInt64), task_id Nullable(UInt64), job_id Nullable(UInt64),
     user_id Nullable(UInt64), user_name Nullable(String), user_email Nullable(String), org_id Nullable(UInt64),
     org_slug Nullable(String), payload Nullable(String) CODEC(ZSTD(3)), access_token_id Nullable(UInt64),
     remote_addr Nullable(String), event_id UUID, ingested_at DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
     request_id String MATERIALIZED JSONExtractString(ifNull(payload, ''), 'request', 'id'),
     INDEX idx_ids (user_id, job_id, task_id, project_id) TYPE bloom_filter(0.01) GRANULARITY 4,
     INDEX idx_scope scope TYPE set(256) GRANULARITY 4
   ) ENGINE = MergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (org_id, timestamp)
   SETTINGS allow_nullable_key = 1`,
)
await run(
  'before_copy',
  `INSERT INTO before.events (${cvatColumns}, event_id, ingested_at)
   SELECT ${cvatColumns}, generateUUIDv4(), ingested_at FROM default.events`,
)
const tables = await engine.rows<{ database: string; table: string }>({
  name: 'bench.tables',
  sql: `SELECT DISTINCT database, table FROM system.parts
        WHERE active AND database IN ('default', 'cvat', 'before') AND table NOT IN ('schema_migrations', 'rollup_backfill')`,
})
for (const { database, table } of tables) await run('optimize', `OPTIMIZE TABLE ${database}.${table} FINAL`)

const parts = await engine.rows<{ database: string; table: string; rows: string; bytes: string }>({
  name: 'bench.parts',
  sql: `SELECT database, table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes FROM system.parts
        WHERE active AND database IN ('default', 'cvat', 'before') AND table NOT IN ('schema_migrations', 'rollup_backfill')
        GROUP BY database, table ORDER BY database, bytes DESC`,
})
const columns = await engine.rows<{ name: string; bytes: string }>({
  name: 'bench.columns',
  sql: `SELECT name, sum(data_compressed_bytes) AS bytes FROM system.columns
        WHERE database = 'default' AND table = 'events' GROUP BY name ORDER BY bytes DESC LIMIT 8`,
})
await engine.close()
await rm(dir, { recursive: true, force: true })

const events = Number(parts.find((p) => p.database === 'default' && p.table === 'events')?.rows ?? 0)
const perEvent = (bytes: number) => bytes / events
const sum = (database: string) =>
  parts.filter((p) => p.database === database).reduce((s, p) => s + Number(p.bytes), 0)
const ours = sum('default')
const oursEvents = Number(parts.find((p) => p.database === 'default' && p.table === 'events')?.bytes ?? 0)
const cvat = sum('cvat')
const before = sum('before')
const fmt = (bytes: number) => perEvent(bytes).toFixed(1)
const lines = [
  `## Disk (\`npm run bench:disk${values.events ? ` -- --events ${values.events}` : ''}\`)`,
  '',
  `- Machine: ${machineLine()}.`,
  `- Date: ${new Date().toISOString().slice(0, 10)}; commit ${commitLine()}.`,
  `- Data: the demo simulator's history (${events.toLocaleString('en-US')} events, default options, ending ${new Date(END).toISOString()}), written through the ingest code; ` +
    "the same rows copied into CVAT's table (its own DDL) and into this project's previous layout; every table merged to final parts; bytes from `system.parts`.",
  '',
  '| layout | tables | bytes on disk | bytes per event | against CVAT |',
  '|---|---|---|---|---|',
  `| CVAT's \`events\` (reference) | events | ${cvat.toLocaleString('en-US')} | ${fmt(cvat)} | 100 % |`,
  `| previous layout (random ids, stored request_id) | events | ${before.toLocaleString('en-US')} | ${fmt(before)} | ${((100 * before) / cvat).toFixed(0)} % |`,
  `| ours: events table alone | events | ${oursEvents.toLocaleString('en-US')} | ${fmt(oursEvents)} | ${((100 * oursEvents) / cvat).toFixed(0)} % |`,
  `| **ours, rollups and copy included** | ${parts.filter((p) => p.database === 'default').length} tables | ${ours.toLocaleString('en-US')} | **${fmt(ours)}** | **${((100 * ours) / cvat).toFixed(0)} %** |`,
  '',
  `Our tables: ${parts
    .filter((p) => p.database === 'default')
    .map((p) => `${p.table} ${Number(p.rows).toLocaleString('en-US')} rows, ${fmt(Number(p.bytes))} B/event`)
    .join('; ')}.`,
  '',
  `Largest columns of our events table, bytes per event: ${columns.map((c) => `${c.name} ${fmt(Number(c.bytes))}`).join(', ')}.`,
]
await writeResultsSection('disk', lines.join('\n'))
console.log(lines.join('\n'))
console.log(`\n(${summary.events} events simulated)`)
