import { clusterStatements, localTable } from './cluster.js'

/**
 * Where the schema lives: one server, or a cluster (CLICKHOUSE_CLUSTER) where each table's rows
 * are in `<table>_local` on every shard and `<table>` is a Distributed table over them.
 */
export interface SchemaLayout {
  readonly db: string
  readonly cluster: string | undefined
  /** The statements that apply one schema step here (the step itself on one server). */
  statements(sql: string): string[]
  /** The table that stores a table's rows (for system.* look-ups and local changes). */
  storage(table: string): string
  /** A change of the stored table only (TTL, mutation, setting). */
  alter(table: string, change: string): string
  /** A column change, on every table that describes the column. */
  alterColumn(table: string, change: string): string[]
}

export function schemaLayout(db: string, cluster: string | undefined): SchemaLayout {
  if (cluster === undefined) {
    return {
      db,
      cluster,
      statements: (sql) => [sql],
      storage: (table) => table,
      alter: (table, change) => `ALTER TABLE ${db}.${table} ${change}`,
      alterColumn: (table, change) => [`ALTER TABLE ${db}.${table} ${change}`],
    }
  }
  const layout = { db, cluster }
  return {
    db,
    cluster,
    statements: (sql) => clusterStatements(sql, layout),
    storage: localTable,
    alter: (table, change) => {
      const [local] = clusterStatements(`ALTER TABLE ${db}.${table} ${change}`, layout)
      return local as string
    },
    alterColumn: (table, change) => clusterStatements(`ALTER TABLE ${db}.${table} ${change}`, layout),
  }
}
