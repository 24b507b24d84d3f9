import type { Engine } from './engine.js'
import { eventsLayoutSteps } from './schema/events-layout.js'
import { eventsTableSteps } from './schema/events-table.js'
import { exceptionGroupSteps } from './schema/exception-groups.js'
import { alertSteps } from './schema/alerts.js'
import { exportRecordsSteps } from './schema/export-records.js'
import { heartbeatSteps } from './schema/heartbeats.js'
import { schemaLayout, type SchemaLayout } from './schema/layout.js'
import { finishRollupSchema } from './schema/rollup-generation.js'
import { rollupSteps, type RollupFeedMode } from './schema/rollups.js'
import { quarantineTableSteps } from './schema/quarantine-table.js'
import type { MigrationStep } from './schema/step.js'
import { atLeast, checkServerVersion } from './server-version.js'
import { StoreConfigError } from './errors.js'
import { DERIVED_TABLES, ROLLUP_TABLE } from './rollups/catalog.js'

/**
 * The schema, concern by concern, in the order they are applied: each concern (the events table,
 * and whatever is built on it) keeps its steps in a file of its own under schema/.
 */
const SCHEMA: readonly ((db: string, feed: RollupFeedMode) => MigrationStep[])[] = [
  metadataSteps,
  eventsTableSteps,
  eventsLayoutSteps,
  // Before the rollups: the exceptions copy keeps the group column its view reads.
  exceptionGroupSteps,
  heartbeatSteps,
  rollupSteps,
  exportRecordsSteps,
  quarantineTableSteps,
  alertSteps,
]

/**
 * Brings the database to the schema this version needs. Every step is idempotent (IF NOT EXISTS),
 * so a start after a crash, on an existing CVAT `events` table, or on an up-to-date database all
 * converge on the same schema. Applied steps are recorded in `schema_migrations` for operators.
 * On a cluster (`cluster` set) every step runs in its cluster form (schema/cluster.ts).
 * Throws StoreConfigError for what an operator must fix (credentials, privileges, version).
 */
export async function migrate(
  engine: Engine,
  options: { retentionDays: number; cluster?: string | undefined; feed?: RollupFeedMode | 'auto' },
): Promise<RollupFeedMode> {
  const db = engine.database
  // First, and with no settings of ours: wrong credentials and a server too old for our SQL
  // show here, as what they are.
  const version = await checkServerVersion(engine)
  const layout = schemaLayout(db, options.cluster)
  const feed = await chooseFeed(engine, layout, version, options.feed ?? 'auto')
  for (const { name, sql } of schemaStatements(db, options.cluster, feed))
    await engine.command({ name: `migrate.${name}`, sql })
  await applyRetention(engine, layout, options.retentionDays)
  await finishRollupSchema(engine, layout, options)
  await engine.command({
    name: 'migrate.record',
    sql: `INSERT INTO ${db}.schema_migrations (version, name)
          SELECT {version:UInt32}, {name:String}
          WHERE {version:UInt32} NOT IN (SELECT version FROM ${db}.schema_migrations)`,
    params: {
      version: SCHEMA_VERSION,
      name: "job flows: each person's first save on a job, not every save (job_trail_v5)",
    },
  })
  return feed
}

export const SCHEMA_VERSION = 6

/** Servers from this version share one snapshot of a table among a query's reads of it (the feed's gap needs it). */
const SHARED_SNAPSHOT_VERSION = '25.6'

/**
 * How the rollups are fed (schema/rollups.ts). Fixed when their table is created: the views'
 * presence tells an existing table's mode, and a request for the other is refused (switching
 * exactly would need the views stopped at a known block; drop the rollup tables to switch, they
 * are backfilled). `auto`: a pass wherever the engine can (chDB, a single server from 25.6).
 */
async function chooseFeed(
  engine: Engine,
  layout: SchemaLayout,
  version: string,
  requested: RollupFeedMode | 'auto',
): Promise<RollupFeedMode> {
  // Every derived table counts: after an upgrade that brings a new rollups table, the exceptions'
  // copy (and its view, if views feed it) is still the one the previous version fed.
  const names = DERIVED_TABLES.map((d) => d.name)
  const tables = await engine.rows<{ name: string }>({
    name: 'migrate.rollup_tables',
    sql: `SELECT name FROM system.tables WHERE database = {db:String} AND name IN {names:Array(String)}`,
    params: { db: layout.db, names: names.flatMap((n) => [layout.storage(n), `${n}_mv`]) },
  })
  const existing: RollupFeedMode | undefined = tables.some((t) => names.some((n) => t.name === `${n}_mv`))
    ? 'view'
    : tables.length > 0
      ? 'pass'
      : undefined
  const capable =
    layout.cluster === undefined && (engine.kind === 'embedded' || atLeast(version, SHARED_SNAPSHOT_VERSION))
  if (requested === 'pass' && !capable) {
    throw new StoreConfigError(
      'rollup-feed',
      `ROLLUP_FEED=pass needs one ClickHouse server of ${SHARED_SNAPSHOT_VERSION} or newer (this is ${layout.cluster === undefined ? version : `cluster ${layout.cluster}`}); use auto or view`,
    )
  }
  const wanted = requested === 'auto' ? (existing ?? (capable ? 'pass' : 'view')) : requested
  if (existing !== undefined && existing !== wanted) {
    throw new StoreConfigError(
      'rollup-feed',
      `the rollups in ${layout.db} are fed by ${existing === 'view' ? 'views' : 'passes'}, and ROLLUP_FEED=${requested} asks for ${wanted}: drop ${ROLLUP_TABLE} and its copy (they are backfilled) to switch, or set ROLLUP_FEED=${existing}`,
    )
  }
  return wanted
}

/**
 * Every statement of the schema's steps, in order, as they run on one server or, with `cluster`,
 * on a cluster (what `migrate` runs before the parts that depend on the data).
 */
export function schemaStatements(
  db: string,
  cluster?: string,
  feed: RollupFeedMode = cluster === undefined ? 'pass' : 'view',
): { name: string; sql: string }[] {
  const layout = schemaLayout(db, cluster)
  const steps = [
    { name: 'database', sql: `CREATE DATABASE IF NOT EXISTS ${db}` },
    ...SCHEMA.flatMap((s) => s(db, feed)),
  ]
  return steps.flatMap((step) => layout.statements(step.sql).map((sql) => ({ name: step.name, sql })))
}

/** Keeps the table's TTL equal to the configured retention; 0 removes it (keep everything). */
async function applyRetention(engine: Engine, layout: SchemaLayout, retentionDays: number): Promise<void> {
  const [table] = await engine.rows<{ engine_full: string }>({
    name: 'migrate.read_ttl',
    sql: `SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = {table:String}`,
    params: { db: layout.db, table: layout.storage('events') },
  })
  const current = /TTL .*?toIntervalDay\((\d+)\)/i.exec(table?.engine_full ?? '')?.[1]
  const currentDays = current === undefined ? 0 : Number(current)
  if (currentDays === retentionDays) return
  if (retentionDays === 0) {
    await engine.command({ name: 'migrate.remove_ttl', sql: layout.alter('events', 'REMOVE TTL') })
    return
  }
  // The interval is a validated integer from the config; TTL expressions cannot take parameters.
  await engine.command({
    name: 'migrate.modify_ttl',
    sql: layout.alter(
      'events',
      `MODIFY TTL toDateTime(timestamp) + INTERVAL ${Math.trunc(retentionDays)} DAY SETTINGS materialize_ttl_after_modify = 0`,
    ),
  })
}

/** The record of applied versions, for operators. */
function metadataSteps(db: string): MigrationStep[] {
  return [
    {
      name: 'schema_migrations',
      sql: `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (
              version UInt32,
              name String,
              applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
            ) ENGINE = MergeTree ORDER BY version`,
    },
  ]
}
