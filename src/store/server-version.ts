import type { Engine } from './engine.js'
import { StoreConfigError } from './errors.js'

/**
 * The oldest ClickHouse our SQL runs on. Every statement sets `insert_deduplication_token`, which
 * ClickHouse 22.2 introduced (ClickHouse#32304); an older server refuses every statement with
 * UNKNOWN_SETTING. Everything else we use (window functions, allow_nullable_key,
 * non_replicated_deduplication_window, ADD INDEX IF NOT EXISTS) is older. Raise this when a
 * statement needs a newer server, and say why here.
 */
export const MIN_CLICKHOUSE_VERSION = '22.2'

/** Reads the engine's version; a StoreConfigError when it is older than our SQL needs. */
export async function checkServerVersion(engine: Engine): Promise<string> {
  const [row] = await engine.rows<{ version: string }>({
    name: 'migrate.version',
    sql: 'SELECT version() AS version',
    // An old server refuses a statement carrying a setting it does not know, before running it.
    settings: 'minimal',
  })
  const version = row?.version ?? ''
  if (!atLeast(version, MIN_CLICKHOUSE_VERSION)) {
    throw new StoreConfigError(
      'too-old',
      `ClickHouse ${version || '(unknown version)'} is too old: this service needs ${MIN_CLICKHOUSE_VERSION} or newer (its statements set insert_deduplication_token); upgrade ClickHouse`,
    )
  }
  return version
}

/** Compares dotted versions numerically, part by part ('22.10' is newer than '22.2'). */
export function atLeast(version: string, minimum: string): boolean {
  const parts = (v: string) => v.split('.').map((p) => Number.parseInt(p, 10))
  const have = parts(version)
  const need = parts(minimum)
  if (have.some(Number.isNaN) || have.length === 0) return false
  for (let i = 0; i < need.length; i += 1) {
    const a = have[i] ?? 0
    const b = need[i] ?? 0
    if (a !== b) return a > b
  }
  return true
}
