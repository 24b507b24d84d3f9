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
