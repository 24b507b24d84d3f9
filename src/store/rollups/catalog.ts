/**
 * The rollups: aggregating tables the engine keeps up to date from every insert into `events`
 * (a materialized view each), whoever inserts: our ingest, the spool replay, CVAT's own pipeline
 * writing into a table we upgraded. One definition per rollup feeds its DDL (schema/rollups.ts),
 * the chooser (choose.ts) and the SQL that reads it (cube.ts).
 *
 * Every rollup keeps exact figures: counts and sums, minimum and maximum, first and last event
 * time, per cell (a fixed span of time) and per value of each of its dimensions. Distinct users
 * are counted from `user_id` as a dimension, never from an approximate `uniq` state, so a rollup
 * answers exactly what the raw table answers (tests/integration/rollup-equality.test.ts).
 */

/** Columns a rollup may group by; each is a column of `events` (or, for platforms, of its payload). */
export type Dim =
  | 'org_id'
  | 'org_slug'
  | 'project_id'
  | 'task_id'
  | 'job_id'
  | 'user_id'
  | 'user_name'
  | 'scope'
  | 'source'
  | 'browser'
  | 'os'

/** What a rollup keeps per cell and group. */
export type Measure = 'n' | 'dur_sum' | 'dur_min' | 'dur_max' | 'first_ts' | 'last_ts'

export interface RollupDef {
  /** Table name; its view is `<name>_mv`. Changing a rollup's definition means a new name. */
  readonly name: string
  /** Cell width: the engine groups events by `cell` (epoch-aligned, UTC). */
  readonly grainMs: number
  readonly cell: string
  /** In sort-key order, after (org_id, t). */
  readonly dims: readonly Dim[]
  readonly measures: readonly Measure[]
  /** Only events of these scopes are kept (answers only filters inside them). */
  readonly onlyScopes?: readonly string[]
  /**
   * The generation of `events.rollup_gen` from which the view counts rows (see
   * schema/rollup-generation.ts); the backfill counts the rows below it. A table added in a later
   * version takes the then current generation + 1, so that its backfill counts every row before it.
   */
  readonly since: number
}

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

const ALL_DIMS: readonly Dim[] = [
  'scope',
  'source',
  'user_id',
  'user_name',
  'project_id',
  'task_id',
  'job_id',
  'org_slug',
]
const ALL_MEASURES: readonly Measure[] = ['n', 'dur_sum', 'dur_min', 'dur_max', 'first_ts', 'last_ts']

/**
 * Three grains (5 minutes, an hour, a day) and a narrow platforms table. Sizes on the demo's
 * 186k events: 3.8k, 16k and 8.5k rows (bench/disk.ts); on 10M synthetic events over a month:
 * 0.86M, 0.68M and 0.19M. The 5-minute grain keeps only users: any Grafana interval of 5 minutes
 * or more ($__interval of 7 days is 10 minutes) is a multiple of it, and the activity panels need
 * no other dimension; a finer cell with every dimension would hold about as many rows as events.
 */
export const ROLLUPS: readonly RollupDef[] = [
  {
    name: 'rollup_users_5m',
    grainMs: 5 * MINUTE,
    cell: 'toStartOfFiveMinutes(timestamp)',
    dims: ['user_id', 'user_name'],
    measures: ['n', 'last_ts'],
    since: 1,
  },
  {
    name: 'rollup_1h',
    grainMs: HOUR,
    cell: 'toStartOfHour(timestamp)',
    dims: ALL_DIMS,
    measures: ALL_MEASURES,
    since: 1,
  },
  {
    name: 'rollup_1d',
    grainMs: DAY,
    cell: 'toStartOfDay(timestamp)',
    dims: ALL_DIMS,
    measures: ALL_MEASURES,
    since: 1,
  },
  {
    name: 'rollup_platforms_1d',
    grainMs: DAY,
    cell: 'toStartOfDay(timestamp)',
    dims: ['scope', 'source', 'browser', 'os', 'user_id', 'user_name', 'project_id', 'task_id', 'job_id'],
    measures: ['n'],
    onlyScopes: ['load:cvat'],
    since: 1,
  },
]

/** Each dimension's type in a rollup and its expression over `events`. */
export const DIM_COLUMNS: Record<Dim, { readonly type: string; readonly expr: string }> = {
  org_id: { type: 'Nullable(UInt64)', expr: 'org_id' },
  org_slug: { type: 'LowCardinality(Nullable(String))', expr: 'org_slug' },
  project_id: { type: 'Nullable(UInt64)', expr: 'project_id' },
  task_id: { type: 'Nullable(UInt64)', expr: 'task_id' },
  job_id: { type: 'Nullable(UInt64)', expr: 'job_id' },
  user_id: { type: 'Nullable(UInt64)', expr: 'user_id' },
  user_name: { type: 'LowCardinality(Nullable(String))', expr: 'user_name' },
  scope: { type: 'LowCardinality(String)', expr: 'scope' },
  source: { type: 'LowCardinality(String)', expr: 'source' },
  browser: {
    type: 'LowCardinality(String)',
    expr: "JSONExtractString(ifNull(payload, ''), 'platform', 'name')",
  },
  os: { type: 'LowCardinality(String)', expr: "JSONExtractString(ifNull(payload, ''), 'platform', 'os')" },
}

/** Each measure's stored type and its aggregate over `events`. */
export const MEASURE_COLUMNS: Record<Measure, { readonly type: string; readonly expr: string }> = {
  n: { type: 'SimpleAggregateFunction(sum, UInt64)', expr: 'count()' },
  dur_sum: { type: 'SimpleAggregateFunction(sum, UInt64)', expr: 'sum(duration)' },
  dur_min: { type: 'SimpleAggregateFunction(min, UInt32)', expr: 'min(duration)' },
  dur_max: { type: 'SimpleAggregateFunction(max, UInt32)', expr: 'max(duration)' },
  first_ts: { type: "SimpleAggregateFunction(min, DateTime64(3, 'UTC'))", expr: 'min(timestamp)' },
  last_ts: { type: "SimpleAggregateFunction(max, DateTime64(3, 'UTC'))", expr: 'max(timestamp)' },
}

/** Cells are DateTime (1970 to 2106): events outside are left to the raw table (choose.ts). */
const IN_CELL_RANGE =
  "timestamp >= toDateTime64(0, 3, 'UTC') AND timestamp < toDateTime64(4294967296, 3, 'UTC')"

/** The SELECT that aggregates events into a rollup's rows (its view's, and the backfill's). */
export function rollupSelect(rollup: RollupDef, db: string, where: string): string {
  const dims = ['org_id', ...rollup.dims] as Dim[]
  const scopes = rollup.onlyScopes
    ? ` AND scope IN (${rollup.onlyScopes.map((s) => `'${s.replace(/'/g, "\\'")}'`).join(', ')})`
    : ''
  return `SELECT ${rollup.cell} AS t, ${dims.map((d) => `${DIM_COLUMNS[d].expr} AS ${d}`).join(', ')},
            ${rollup.measures.map((m) => `${MEASURE_COLUMNS[m].expr} AS ${m}`).join(', ')}
          FROM ${db}.events
          WHERE ${where}${scopes} AND ${IN_CELL_RANGE}
          GROUP BY t, ${dims.join(', ')}`
}

/**
 * A copy of some events, whole, in their own small table sorted by (org_id, timestamp): the
 * exceptions (0.1 % of events) are read page by page, newest first, by the Monitoring dashboard
 * and the exceptions page; in the events table they are spread over every granule, so finding the
 * newest thousand reads the whole range. Like a rollup it is kept by a view and backfilled, and
 * exact: the raw rows themselves.
 */
export interface CopyDef {
  readonly name: string
  readonly onlyScopes: readonly string[]
  readonly since: number
}

export const EXCEPTIONS_COPY: CopyDef = {
  name: 'events_exceptions',
  onlyScopes: ['send:exception'],
  since: 1,
}

/** The columns a copy keeps (every column reads use; `remote_addr` too, for exports), with their types. */
export const COPY_COLUMNS: readonly (readonly [string, string])[] = [
  ['event_id', 'UUID CODEC(ZSTD(3))'],
  ['scope', 'LowCardinality(String) CODEC(ZSTD(1))'],
  ['obj_name', 'LowCardinality(Nullable(String)) CODEC(ZSTD(1))'],
  ['obj_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))'],
  ['obj_val', 'Nullable(String) CODEC(ZSTD(1))'],
  ['source', 'LowCardinality(String) CODEC(ZSTD(1))'],
  ['timestamp', "DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1))"],
  ['count', 'Nullable(UInt32) CODEC(T64, ZSTD(1))'],
  ['duration', 'UInt32 CODEC(T64, ZSTD(1))'],
  ['project_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))'],
  ['task_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))'],
  ['job_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))'],
  ['user_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))'],
  ['user_name', 'LowCardinality(Nullable(String)) CODEC(ZSTD(1))'],
  ['user_email', 'LowCardinality(Nullable(String)) CODEC(ZSTD(1))'],
  ['org_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))'],
  ['org_slug', 'LowCardinality(Nullable(String)) CODEC(ZSTD(1))'],
  ['payload', 'Nullable(String) CODEC(ZSTD(3))'],
  ['access_token_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))'],
  ['remote_addr', 'Nullable(String) CODEC(ZSTD(1))'],
  ['ingested_at', "DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1))"],
]

/** The SELECT that copies events into a copy table (its view's, and the backfill's). */
export function copySelect(copy: CopyDef, db: string, where: string): string {
  const scopes = copy.onlyScopes.map((s) => `'${s.replace(/'/g, "\\'")}'`).join(', ')
  return `SELECT ${COPY_COLUMNS.map(([c]) => c).join(', ')}
          FROM ${db}.events
          WHERE ${where} AND scope IN (${scopes})`
}

/** Every table the engine derives from events: what the backfill fills and readiness tracks. */
export interface DerivedTable {
  readonly name: string
  readonly since: number
  /** The rows of the events matching `where`, in this table's shape. */
  select(db: string, where: string): string
  /** A total order of those rows, so a retried backfill chunk cuts the same blocks. */
  readonly order: string
}

export const DERIVED_TABLES: readonly DerivedTable[] = [
  ...ROLLUPS.map((r) => ({
    name: r.name,
    since: r.since,
    select: (db: string, where: string) => rollupSelect(r, db, where),
    order: ['t', 'org_id', ...r.dims].join(', '),
  })),
  {
    name: EXCEPTIONS_COPY.name,
    since: EXCEPTIONS_COPY.since,
    select: (db: string, where: string) => copySelect(EXCEPTIONS_COPY, db, where),
    order: 'org_id, timestamp, event_id',
  },
]

/** The newest generation any derived table counts from: the default of `events.rollup_gen`. */
export const ROLLUP_GENERATION = Math.max(...DERIVED_TABLES.map((d) => d.since))
