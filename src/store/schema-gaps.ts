import type { Engine } from './engine.js'
import { CVAT_COLUMNS } from './event-record.js'
import { schemaStatements } from './migrations.js'
import { schemaLayout } from './schema/layout.js'

/**
 * What the schema this version migrates to has and the database lacks: tables and views its steps
 * create, and the events table's columns (CVAT's and ours). Empty when all is there. Asked when a
 * statement fails naming a column or identifier it does not know, to tell a schema that went away
 * (CVAT's test fixture drops every table; CVAT's own DDL may have recreated `events` without our
 * columns) from a fault in a query: only the first is healed by migrating again.
 */
export async function schemaGaps(engine: Engine, cluster: string | undefined): Promise<string[]> {
  const db = engine.database
  const layout = schemaLayout(db, cluster)
  const statements = schemaStatements(db, cluster).map((s) => s.sql)
  const created = new RegExp(`^CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS ${db}\\.(\\w+)`, 'i')
  const added = new RegExp(
    `^ALTER TABLE ${db}\\.${layout.storage('events')}\\b.*\\bADD COLUMN IF NOT EXISTS (\\w+)`,
    'is',
  )
  const tables = new Set(statements.flatMap((sql) => created.exec(sql.trim())?.[1] ?? []))
  const columns = new Set([
    ...CVAT_COLUMNS,
    ...statements.flatMap((sql) => added.exec(sql.trim())?.[1] ?? []),
  ])
  const [present] = await engine.rows<{ tables: string[]; columns: string[] }>({
    name: 'store.schema_gaps',
    sql: `SELECT
            (SELECT groupArray(name) FROM system.tables WHERE database = {db:String}) AS tables,
            (SELECT groupArray(name) FROM system.columns
             WHERE database = {db:String} AND table = {events:String}) AS columns`,
    params: { db, events: layout.storage('events') },
  })
  const haveTables = new Set(present?.tables ?? [])
  const haveColumns = new Set(present?.columns ?? [])
  return [
    ...[...tables].filter((t) => !haveTables.has(t)).map((t) => `table ${db}.${t}`),
    ...[...columns].filter((c) => !haveColumns.has(c)).map((c) => `column events.${c}`),
  ]
}
