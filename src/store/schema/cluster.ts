/**
 * The schema on a ClickHouse cluster (CLICKHOUSE_CLUSTER). Every concern writes its steps for one
 * server (`CREATE TABLE db.events …`, `ALTER TABLE db.events …`); on a cluster each statement
 * becomes its cluster form here, so no concern has to know about clusters:
 *
 * - a table `X` becomes `X_local` (Replicated…MergeTree, one replica set per shard, created
 *   `ON CLUSTER`) and `X` itself a `Distributed` table over them: every read and insert of the
 *   service keeps naming `X` and reaches all shards;
 * - column changes apply to both tables; indexes, TTLs, settings and mutations to the local one;
 * - a materialized view reads and writes local tables on each shard, so every shard rolls up its
 *   own events, whoever inserted them (a cluster's rollups are fed by views: schema/rollups.ts);
 * - a dropped table goes with its local tables.
 *
 * A statement of a shape not listed is refused (tests/unit/cluster-ddl.test.ts runs every step
 * of the schema through this), rather than run on one node only.
 */
export interface ClusterLayout {
  readonly db: string
  readonly cluster: string
}

/** How each distributed table spreads its rows over shards; others spread at random. */
const SHARDING_KEYS: Record<string, string> = {
  // Deterministic, so a retried insert sends each shard the same rows and is deduplicated there.
  events: 'cityHash64(event_id)',
  // All versions of one record on one shard, where ReplacingMergeTree … FINAL can collapse them.
  export_records: 'cityHash64(id)',
  // Likewise for alerts; every claim of the lease on one shard, where its terms are compared.
  alert_rules: 'cityHash64(id)',
  alert_states: 'cityHash64(rule_id)',
  alert_notifications: 'cityHash64(id)',
  alert_leases: 'cityHash64(name)',
}

/** The table that holds a table's rows on each shard. */
export function localTable(table: string): string {
  return `${table}_local`
}

/** The statements that apply one single-server statement to the cluster. */
export function clusterStatements(sql: string, layout: ClusterLayout): string[] {
  const { db, cluster } = layout
  const on = `ON CLUSTER ${quote(cluster)}`
  const text = sql.trim()
  const table = (name: string) => `${db}.${name}`
  const escapedDb = db.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

  let m = /^CREATE DATABASE IF NOT EXISTS (\w+)$/i.exec(text)
  if (m) return [`CREATE DATABASE IF NOT EXISTS ${m[1]} ${on}`]

  m = new RegExp(
    `^CREATE TABLE IF NOT EXISTS ${escapedDb}\\.(\\w+)\\s*\\(([\\s\\S]*)\\)\\s*ENGINE = (\\w*)MergeTree(?:\\(([^)]*)\\))?([\\s\\S]*)$`,
    'i',
  ).exec(text)
  if (m) {
    const [, name = '', columns = '', kind = '', engineArgs = '', rest = ''] = m
    const local = localTable(name)
    const settings = rest
      .replace(/,?\s*non_replicated_deduplication_window\s*=\s*\d+/i, '')
      .replace(/SETTINGS\s*,\s*/i, 'SETTINGS ')
      .replace(/\s*SETTINGS\s*$/i, '')
    const args = [
      `'/clickhouse/tables/{shard}/${db}/${local}'`,
      `'{replica}'`,
      ...(engineArgs.trim() ? [engineArgs.trim()] : []),
    ].join(', ')
    const shardKey = SHARDING_KEYS[name] ?? 'rand()'
    return [
      `CREATE TABLE IF NOT EXISTS ${table(local)} ${on} (${columns}) ENGINE = Replicated${kind}MergeTree(${args})${settings}`,
      `CREATE TABLE IF NOT EXISTS ${table(name)} ${on} AS ${table(local)} ENGINE = Distributed(${quote(cluster)}, ${db}, ${local}, ${shardKey})`,
    ]
  }

  m = new RegExp(`^ALTER TABLE ${escapedDb}\\.(\\w+)\\s+([\\s\\S]*)$`, 'i').exec(text)
  if (m) {
    const [, name = '', change = ''] = m
    const local = `ALTER TABLE ${table(localTable(name))} ${on} ${change}`
    // Replicated tables deduplicate retried inserts by themselves (replicated_deduplication_window).
    if (/^MODIFY SETTING non_replicated_deduplication_window\b/i.test(change)) return []
    if (/^(ADD|MODIFY|DROP|RENAME) COLUMN\b/i.test(change)) {
      // The distributed table only describes columns: no codecs, no mutation settings.
      const distributed = change.replace(CODEC, '').replace(/\s+SETTINGS[\s\S]*$/i, '')
      return [local, `ALTER TABLE ${table(name)} ${on} ${distributed}`]
    }
    if (
      /^(ADD INDEX|DROP INDEX|MODIFY TTL|REMOVE TTL|MATERIALIZE|MODIFY SETTING|DELETE|UPDATE)\b/i.test(change)
    ) {
      return [local]
    }
  }

  m = new RegExp(
    `^CREATE MATERIALIZED VIEW IF NOT EXISTS ${escapedDb}\\.(\\w+) TO ${escapedDb}\\.(\\w+)\\s+AS\\s+([\\s\\S]*)$`,
    'i',
  ).exec(text)
  if (m) {
    const [, view = '', target = '', select = ''] = m
    // Each shard's view reads the rows inserted into its local table and writes its local rollup.
    const local = select.replace(new RegExp(`\\bFROM ${escapedDb}\\.(\\w+)`, 'g'), (_, source: string) => {
      return `FROM ${table(localTable(source))}`
    })
    return [
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${table(view)} ${on} TO ${table(localTable(target))} AS ${local}`,
    ]
  }

  m = new RegExp(`^DROP (VIEW|TABLE) IF EXISTS ${escapedDb}\\.(\\w+)$`, 'i').exec(text)
  if (m) {
    const [, kind = '', name = ''] = m
    // A view is one per shard; a table is the distributed one and its local tables.
    if (kind.toUpperCase() === 'VIEW') return [`DROP VIEW IF EXISTS ${table(name)} ${on} SYNC`]
    return [
      `DROP TABLE IF EXISTS ${table(name)} ${on} SYNC`,
      `DROP TABLE IF EXISTS ${table(localTable(name))} ${on} SYNC`,
    ]
  }

  if (/^INSERT INTO /i.test(text)) return [text]
  throw new Error(`no cluster form for this schema statement; add one in schema/cluster.ts:\n${text}`)
}

const CODEC = /\s+CODEC\((?:[^()]|\([^()]*\))*\)/gi

function quote(identifier: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(identifier) ? identifier : `'${identifier.replace(/'/g, "\\'")}'`
}
