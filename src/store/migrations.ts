import type { Engine } from './engine.js'
import { eventsTableSteps } from './schema/events-table.js'
import { exceptionGroupSteps } from './schema/exception-groups.js'
import { quarantineTableSteps } from './schema/quarantine-table.js'
import type { MigrationStep } from './schema/step.js'
import { checkServerVersion } from './server-version.js'

/**
 * The schema, concern by concern, in the order they are applied: each concern (the events table,
 * and whatever is built on it) keeps its steps in a file of its own under schema/.
 */
const SCHEMA: readonly ((db: string) => MigrationStep[])[] = [
  metadataSteps,
  eventsTableSteps,
  exceptionGroupSteps,
  quarantineTableSteps,
]

/**
 * Brings the database to the schema this version needs. Every step is idempotent (IF NOT EXISTS),
 * so a start after a crash, on an existing CVAT `events` table, or on an up-to-date database all
 * converge on the same schema. Applied steps are recorded in `schema_migrations` for operators.
 * Throws StoreConfigError for what an operator must fix (credentials, privileges, version).
 */
export async function migrate(engine: Engine, options: { retentionDays: number }): Promise<void> {
  const db = engine.database
  // First, and with no settings of ours: wrong credentials and a server too old for our SQL
  // show here, as what they are.
  await checkServerVersion(engine)
  await engine.command({ name: 'migrate.database', sql: `CREATE DATABASE IF NOT EXISTS ${db}` })
  for (const steps of SCHEMA) {
    for (const step of steps(db)) await engine.command({ name: `migrate.${step.name}`, sql: step.sql })
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
