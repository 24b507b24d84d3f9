import type { Engine } from '../../src/store/engine.js'

/**
 * CVAT's own DDL of its events table (components/analytics/clickhouse/init.sh), as the migrations
 * find it in a deployment that points CLICKHOUSE_DATABASE at CVAT's database.
 */
export function cvatEventsTableDdl(table: string): string {
  return `CREATE TABLE ${table} (
    scope String NOT NULL, obj_name String NULL, obj_id UInt64 NULL, obj_val String NULL,
    source String NOT NULL, timestamp DateTime64(3, 'Etc/UTC') NOT NULL, count UInt16 NULL,
    duration UInt32 NOT NULL DEFAULT toUInt32(0), project_id UInt64 NULL, task_id UInt64 NULL,
    job_id UInt64 NULL, user_id UInt64 NULL, user_name String NULL, user_email String NULL,
    org_id UInt64 NULL, org_slug String NULL, payload String NULL, access_token_id UInt64 NULL,
    remote_addr String NULL
  ) ENGINE = MergeTree PARTITION BY toYYYYMM(timestamp) ORDER BY (timestamp) SETTINGS index_granularity = 8192`
}

/**
 * One event as CVAT's Vector inserts it: the 19 fields of CVAT's row (`INSERT … FORMAT
 * JSONEachRow`, no column list), a server event unless `fields` say otherwise.
 */
export function cvatVectorRow(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    scope: 'create:task',
    obj_name: null,
    obj_id: 12,
    obj_val: null,
    source: 'server',
    timestamp: '2024-05-22 10:00:00.250',
    count: null,
    duration: 0,
    project_id: 5,
    task_id: 12,
    job_id: null,
    user_id: 1,
    user_name: 'admin',
    user_email: 'admin@example.com',
    org_id: null,
    org_slug: null,
    payload: '{"request":{"id":"8f7e…"}}',
    access_token_id: null,
    remote_addr: '10.0.0.1',
    ...fields,
  }
}

/** The columns `SELECT *` returns from a table, in order. */
export async function selectStarColumns(engine: Engine, table: string): Promise<string[]> {
  const rows = await engine.rows<{ name: string }>({
    name: 'test.select_star',
    sql: `DESCRIBE TABLE (SELECT * FROM ${table})`,
  })
  return rows.map((r) => r.name)
}
