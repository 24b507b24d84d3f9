import {
  EXCEPTION_SCOPE,
  FUNCTION_SCOPE,
  IMPORT_SCOPE,
  JOB_CREATE_SCOPE,
  JOB_UPDATE_SCOPE,
  OBJECT_SCOPES,
  REDO_SCOPE,
  UNDO_SCOPE,
  WORKING_TIME_SCOPE,
} from '../../domain/scopes.js'
/**
 * The rollups: aggregates of `events` kept exact whoever inserts (our ingest, the spool replay,
 * CVAT's own pipeline writing into a table we upgraded). One definition per rollup feeds its DDL
 * (schema/rollups.ts), the chooser (choose.ts), the SQL that reads it (cube.ts) and the SQL that
 * fills it (feed.ts, backfill.ts).
 *
 * All rollups live in one AggregatingMergeTree table (ROLLUP_TABLE), each under its own `grain`
 * (the sort key's first column). How rows reach it is the feed (feed.ts): where the engine can,
 * a pass in the background aggregates what was inserted since the last pass, and reads take the
 * rows not yet passed from the raw table, so an insert costs no more than the events table's own
 * write; elsewhere (clusters, servers before 25.6) one materialized view per table does it inside
 * every insert. The dimensions a rollup does not keep hold a constant in its rows.
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
  | 'obj_name'
  | 'obj_id'
  | 'obj_val'
  | 'request_id'

/** What a rollup keeps per cell and group. */
export type Measure = 'n' | 'dur_sum' | 'dur_min' | 'dur_max' | 'first_ts' | 'last_ts' | 'cnt'

export interface RollupDef {
  /** For plans, logs and tests. */
  readonly name: string
  /** Its rows in the rollups table (ROLLUP_TABLE): `grain = <grain>`. */
  readonly grain: number
  /** Cell width: the engine groups events by `cell` (epoch-aligned, UTC). */
  readonly grainMs: number
  readonly cell: string
  /** The dimensions it keeps (org_id always); the others are constants in its rows. */
  readonly dims: readonly Dim[]
  readonly measures: readonly Measure[]
  /** Only events of these scopes are kept (answers only filters inside them). */
  readonly onlyScopes?: readonly string[]
}

/** The table of every rollup. */
export const ROLLUP_TABLE = 'rollups_v4'

/**
 * The generation of `events.rollup_gen` from which the feed counts rows (see
 * schema/rollup-generation.ts); the backfill counts the rows below it. Changing the rollups (a new
 * grain, dimension or measure) or their table's layout means a new table with the then current
 * generation + 1, so that its backfill counts every row from before it (and the old table goes to
 * RETIRED_TABLES).
 */
export const ROLLUPS_SINCE = 5

/**
 * Tables of earlier generations and their views: dropped by the migration once the current ones
 * exist (these are backfilled from every event). Generation 1 was partitioned by month and fed by
 * views only; a pass needs each of its inserts to be one part (feed.ts). Generation 2 had no
 * trail of productivity's server events (grain 5: obj_name, obj_id, obj_val, request_id) and no
 * `cnt` measure. Generation 3 had no undo/redo in the trail (productivity read them, and so every
 * part of the range, twice) and no users-by-hour grain. The job trail of generation 4 kept every
 * save, import and model run of a job, where a flow reads only each person's first (JOB_TRAIL).
 */
export const RETIRED_TABLES: readonly string[] = [
  'rollups',
  'events_exceptions',
  'rollups_v2',
  'rollups_v3',
  'job_trail_v4',
]

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
const ALL_MEASURES: readonly Measure[] = ['n', 'dur_sum', 'dur_min', 'dur_max', 'first_ts', 'last_ts', 'cnt']

/**
 * The server events productivity reads one by one (objects saved, imports and model runs, job
 * changes, working time): the trail rollup keeps them keyed by request id, so that objects
 * created by an import or a model run are told from manual ones (their requests share an id with
 * the `import:dataset` or `call:function` event), and each job change and working-time event
 * keeps its exact time. They are about 3 % of events.
 */
export const TRAIL_SCOPES: readonly string[] = [
  ...OBJECT_SCOPES,
  IMPORT_SCOPE,
  FUNCTION_SCOPE,
  JOB_CREATE_SCOPE,
  JOB_UPDATE_SCOPE,
  WORKING_TIME_SCOPE,
]

/**
 * The trail rollup's scopes: the job trail's, and undo/redo, so that one read of the trail answers
 * every figure of productivity (objects, working time, undo/redo) for each part of the range; a
 * read of the day grain beside it cost each panel a second set of reads (the partial hours at the
 * range's edges and the rows not passed yet) of ~10 ms each. Undo/redo carry no request id: they
 * add about one row per person, job and hour.
 */
export const TRAIL_ROLLUP_SCOPES: readonly string[] = [...TRAIL_SCOPES, UNDO_SCOPE, REDO_SCOPE]

/**
 * Three grains (5 minutes, an hour, a day), platforms by day, the trail of productivity's events
 * by hour (one row per request, scope, shape type or field, and value: about one row per server
 * event of those scopes), and users by hour. Rows on 10M synthetic events over a month
 * (bench/disk.ts): 0.89M, 0.93M, 0.31M, 19k, 0.51M and 75k. The 5-minute grain keeps only users:
 * any Grafana interval of 5 minutes or more ($__interval of 7 days is 10 minutes) is a multiple of
 * it, and the activity panels need no other dimension; a finer cell with every dimension would
 * hold about as many rows as events. Users by hour answers the same panels at intervals of whole
 * hours (3 hours over 30 days) from a twelfth of the 5-minute rows, where the hour grain with
 * every dimension held twelve times more rows per person and hour.
 */
export const ROLLUPS: readonly RollupDef[] = [
  {
    name: 'users_5m',
    grain: 1,
    grainMs: 5 * MINUTE,
    cell: 'toStartOfFiveMinutes(timestamp)',
    dims: ['user_id', 'user_name'],
    measures: ALL_MEASURES,
  },
  {
    name: 'all_1h',
    grain: 2,
    grainMs: HOUR,
    cell: 'toStartOfHour(timestamp)',
    dims: ALL_DIMS,
    measures: ALL_MEASURES,
  },
  {
    name: 'all_1d',
    grain: 3,
    grainMs: DAY,
    cell: 'toStartOfDay(timestamp)',
    dims: ALL_DIMS,
    measures: ALL_MEASURES,
  },
  {
    name: 'platforms_1d',
    grain: 4,
    grainMs: DAY,
    cell: 'toStartOfDay(timestamp)',
    dims: ['scope', 'source', 'browser', 'os', 'user_id', 'user_name', 'project_id', 'task_id', 'job_id'],
    measures: ALL_MEASURES,
    onlyScopes: ['load:cvat'],
  },
  {
    name: 'trail_1h',
    grain: 5,
    grainMs: HOUR,
    cell: 'toStartOfHour(timestamp)',
    dims: [...ALL_DIMS, 'obj_name', 'obj_id', 'obj_val', 'request_id'],
    measures: ALL_MEASURES,
    onlyScopes: TRAIL_ROLLUP_SCOPES,
  },
  {
    name: 'users_1h',
    grain: 6,
    grainMs: HOUR,
    cell: 'toStartOfHour(timestamp)',
    dims: ['user_id', 'user_name'],
    measures: ALL_MEASURES,
  },
]

/** The dimensions of the rollups table, in its sort key's order (after grain, org_id, t). */
export const ROLLUP_DIMS: readonly Dim[] = [
  ...ALL_DIMS,
  'browser',
  'os',
  'obj_name',
  'obj_id',
  'obj_val',
  'request_id',
]

/** Each dimension's type in a rollup, its expression over `events`, and its value where not kept. */
export const DIM_COLUMNS: Record<
  Dim,
  { readonly type: string; readonly expr: string; readonly none: string }
> = {
  org_id: { type: 'Nullable(UInt64)', expr: 'org_id', none: 'NULL' },
  org_slug: { type: 'LowCardinality(Nullable(String))', expr: 'org_slug', none: 'NULL' },
  project_id: { type: 'Nullable(UInt64)', expr: 'project_id', none: 'NULL' },
  task_id: { type: 'Nullable(UInt64)', expr: 'task_id', none: 'NULL' },
  job_id: { type: 'Nullable(UInt64)', expr: 'job_id', none: 'NULL' },
  user_id: { type: 'Nullable(UInt64)', expr: 'user_id', none: 'NULL' },
  user_name: { type: 'LowCardinality(Nullable(String))', expr: 'user_name', none: 'NULL' },
  scope: { type: 'LowCardinality(String)', expr: 'scope', none: "''" },
  source: { type: 'LowCardinality(String)', expr: 'source', none: "''" },
  browser: {
    type: 'LowCardinality(String)',
    expr: "JSONExtractString(ifNull(payload, ''), 'platform', 'name')",
    none: "''",
  },
  os: {
    type: 'LowCardinality(String)',
    expr: "JSONExtractString(ifNull(payload, ''), 'platform', 'os')",
    none: "''",
  },
  obj_name: { type: 'LowCardinality(Nullable(String))', expr: 'obj_name', none: 'NULL' },
  obj_id: { type: 'Nullable(UInt64)', expr: 'obj_id', none: 'NULL' },
  obj_val: { type: 'Nullable(String)', expr: 'obj_val', none: 'NULL' },
  request_id: {
    type: 'String',
    expr: "JSONExtractString(ifNull(payload, ''), 'request', 'id')",
    none: "''",
  },
}

/** Each measure's stored type and its aggregate over `events`. */
export const MEASURE_COLUMNS: Record<Measure, { readonly type: string; readonly expr: string }> = {
  n: { type: 'SimpleAggregateFunction(sum, UInt64)', expr: 'count()' },
  dur_sum: { type: 'SimpleAggregateFunction(sum, UInt64)', expr: 'sum(duration)' },
  dur_min: { type: 'SimpleAggregateFunction(min, UInt32)', expr: 'min(duration)' },
  dur_max: { type: 'SimpleAggregateFunction(max, UInt32)', expr: 'max(duration)' },
  first_ts: { type: "SimpleAggregateFunction(min, DateTime64(3, 'UTC'))", expr: 'min(timestamp)' },
  last_ts: { type: "SimpleAggregateFunction(max, DateTime64(3, 'UTC'))", expr: 'max(timestamp)' },
  // The objects a save stands for, the repeats of an undo: CVAT's `count`, absent counted as 0.
  cnt: { type: 'SimpleAggregateFunction(sum, UInt64)', expr: 'sum(ifNull(count, 0))' },
}

/** The columns of `events` the rollups' expressions read. */
const ROLLUP_SOURCE_COLUMNS = [
  'timestamp',
  'duration',
  'org_id',
  'org_slug',
  'project_id',
  'task_id',
  'job_id',
  'user_id',
  'user_name',
  'scope',
  'source',
  'payload',
  'obj_name',
  'obj_id',
  'obj_val',
  'count',
]

/** Cells are DateTime (1970 to 2106): events outside are left to the raw table (choose.ts). */
const IN_CELL_RANGE =
  "timestamp >= toDateTime64(0, 3, 'UTC') AND timestamp < toDateTime64(4294967296, 3, 'UTC')"

/** SQL string literals of some of our own constants (scopes), comma-separated. */
export const quoted = (values: readonly string[]) =>
  values.map((v) => `'${v.replace(/'/g, "\\'")}'`).join(', ')

/**
 * The SELECT that aggregates events into the rows of every rollup (the view's, and the
 * backfill's): each event once per rollup that keeps it (ARRAY JOIN over the grains), its cell
 * and dimensions as that rollup keeps them.
 */
export function rollupSelect(db: string, where: string): string {
  const grains = (keeps: (r: RollupDef) => boolean) =>
    `[${ROLLUPS.filter(keeps)
      .map((r) => r.grain)
      .join(', ')}]`
  const general = grains((r) => !r.onlyScopes)
  const withScoped = ROLLUPS.filter((r) => r.onlyScopes).reduce(
    (expr, r) => `if(scope IN (${quoted(r.onlyScopes ?? [])}), arrayConcat(${expr}, [${r.grain}]), ${expr})`,
    general,
  )
  const cell = `multiIf(${ROLLUPS.slice(0, -1)
    .map((r) => `grain = ${r.grain}, ${r.cell}`)
    .join(', ')}, ${ROLLUPS.at(-1)?.cell ?? 'timestamp'})`
  const dim = (d: Dim) => {
    const keeping = ROLLUPS.filter((r) => d === 'org_id' || r.dims.includes(d)).map((r) => r.grain)
    return keeping.length === ROLLUPS.length
      ? `${DIM_COLUMNS[d].expr} AS ${d}`
      : `if(grain IN (${keeping.join(', ')}), ${DIM_COLUMNS[d].expr}, ${DIM_COLUMNS[d].none}) AS ${d}`
  }
  const dims: Dim[] = ['org_id', ...ROLLUP_DIMS]
  // The grains in a subquery: the outer aliases (scope for the rows that keep it, '' for the
  // others) would otherwise shadow the columns the grains are chosen by. The subquery reads only
  // the columns the rollups are made of (the payload for platforms and requests, not the ids' neighbours).
  return `SELECT grain, toDateTime(${cell}, 'UTC') AS t, ${dims.map(dim).join(', ')},
            ${(Object.keys(MEASURE_COLUMNS) as Measure[]).map((m) => `${MEASURE_COLUMNS[m].expr} AS ${m}`).join(', ')}
          FROM (SELECT ${ROLLUP_SOURCE_COLUMNS.join(', ')}, arrayJoin(${withScoped}) AS grain
                FROM ${db}.events WHERE ${where} AND ${IN_CELL_RANGE})
          GROUP BY grain, t, ${dims.join(', ')}`
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
  name: 'events_exceptions_v2',
  onlyScopes: [EXCEPTION_SCOPE],
  since: 2,
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
  ['exception_group', 'String CODEC(ZSTD(1))'],
]

/** The SELECT that copies events into a copy table (its view's, and the backfill's). */
export function copySelect(copy: CopyDef, db: string, where: string): string {
  const scopes = quoted(copy.onlyScopes)
  return `SELECT ${COPY_COLUMNS.map(([c]) => c).join(', ')}
          FROM ${db}.events
          WHERE ${where} AND scope IN (${scopes})`
}

/**
 * Each job's trail, sorted by job: the events of TRAIL_SCOPES that name a job, with only what a
 * job's flow reads (store/job-flow-read.ts). A flow needs the job's whole history up to the end of
 * the range; the trail rollup is sorted by time, so reading 200 jobs' histories there reads every
 * hour since the first job's start, where this reads the granules of those jobs (bench/RESULTS.md,
 * queries-productivity: the job flow). Its changes and working-time events are kept one row each,
 * with their field values and request ids (the request orders ties). The saves, imports and model
 * runs only start a job: of those, the passes and the backfill keep each person's first on the job
 * (jobTrailPassSelect), which is the first of any set of people a filter may name: at 10M
 * synthetic events, 275k rows where keeping every save took 531k (bench:queries' data line).
 */
export const JOB_TRAIL = {
  name: 'job_trail_v5',
  since: 6,
  onlyScopes: TRAIL_SCOPES,
} as const

const CHANGE = `scope = '${JOB_UPDATE_SCOPE}'`

/** Its columns: name, type, and the expression over `events` that fills it. */
export const JOB_TRAIL_COLUMNS: readonly (readonly [string, string, string])[] = [
  ['org_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))', 'org_id'],
  ['job_id', 'UInt64 CODEC(T64, ZSTD(1))', 'assumeNotNull(job_id)'],
  ['timestamp', "DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1))", 'timestamp'],
  ['scope', 'LowCardinality(String) CODEC(ZSTD(1))', 'scope'],
  ['task_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))', 'task_id'],
  ['project_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))', 'project_id'],
  ['user_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))', 'user_id'],
  ['user_name', 'LowCardinality(Nullable(String)) CODEC(ZSTD(1))', 'user_name'],
  ['duration', 'UInt32 CODEC(T64, ZSTD(1))', 'duration'],
  ['obj_name', 'LowCardinality(Nullable(String)) CODEC(ZSTD(1))', `if(${CHANGE}, obj_name, NULL)`],
  ['obj_id', 'Nullable(UInt64) CODEC(T64, ZSTD(1))', `if(${CHANGE}, obj_id, NULL)`],
  ['obj_val', 'Nullable(String) CODEC(ZSTD(1))', `if(${CHANGE}, obj_val, NULL)`],
  [
    'request_id',
    'String CODEC(ZSTD(1))',
    `if(scope IN ('${JOB_UPDATE_SCOPE}', '${WORKING_TIME_SCOPE}'), ${DIM_COLUMNS.request_id.expr}, '')`,
  ],
]

/** The columns of `events` the job trail's expressions read. */
const JOB_TRAIL_SOURCE_COLUMNS = [
  ...JOB_TRAIL_COLUMNS.filter(([c]) => c !== 'request_id').map(([c]) => c),
  'payload',
]

/**
 * The SELECT that fills the job trail from `events` (its view's, its passes' and its backfill's).
 * The events are chosen in a subquery: the outer aliases (a job_id that is never NULL) would
 * otherwise stand for the columns in the conditions.
 */
export function jobTrailSelect(db: string, where: string): string {
  return `SELECT ${JOB_TRAIL_COLUMNS.map(([c, , expr]) => `${expr} AS ${c}`).join(', ')}
          FROM (SELECT ${JOB_TRAIL_SOURCE_COLUMNS.join(', ')} FROM ${db}.events
                WHERE ${where} AND scope IN (${quoted(JOB_TRAIL.onlyScopes)}) AND job_id IS NOT NULL)`
}

/**
 * The trail's events that only start a job (all but its changes and working time), as a condition
 * on `scope`: the same over the trail (whose marker row's scope is none of them) and over `events`.
 */
const STARTS = `scope IN (${quoted(TRAIL_SCOPES.filter((s) => s !== JOB_UPDATE_SCOPE && s !== WORKING_TIME_SCOPE))})`

/**
 * A person on a job, as a key without NULLs (a NULL told apart from any value): `IN` never
 * matches a NULL, and a save may name no organization or no user name.
 */
const PERSON_ON_JOB = [
  'ifNull(org_id, 0)',
  'isNull(org_id)',
  'job_id',
  'ifNull(user_id, 0)',
  'isNull(user_id)',
  "ifNull(user_name, '')",
  'isNull(user_name)',
]

/**
 * What a pass or a backfill chunk adds to the job trail (jobTrailSelect's rows matching `where`):
 * every change and working-time event, and of the others, each person's first on the job: a row
 * that is the earliest (time, then scope) of its person and job among the rows taken in and those
 * the trail holds already. An earlier one arriving later is kept too, so the trail's earliest for
 * each person is theirs, in any order of arrival. (The view of a cluster keeps every row: the
 * same flows, from a larger table.)
 */
export function jobTrailPassSelect(db: string, where: string): string {
  const rows = `(${jobTrailSelect(db, where)})`
  const key = PERSON_ON_JOB.map((k, i) => `${k} AS k${i}`).join(', ')
  const keyNames = PERSON_ON_JOB.map((_, i) => `k${i}`).join(', ')
  const person = ['org_id', 'job_id', 'user_id', 'user_name', 'timestamp', 'scope'].join(', ')
  return `SELECT ${JOB_TRAIL_COLUMNS.map(([c]) => c).join(', ')} FROM ${rows}
          WHERE NOT (${STARTS})
            OR (${PERSON_ON_JOB.join(', ')}, timestamp, scope) IN (
              SELECT ${keyNames}, earliest.1, earliest.2 FROM (
                SELECT ${key}, min((timestamp, scope)) AS earliest
                FROM (SELECT ${person} FROM ${rows} WHERE ${STARTS}
                      UNION ALL
                      SELECT ${person} FROM ${db}.${JOB_TRAIL.name}
                      WHERE ${STARTS}
                        AND job_id IN (SELECT job_id FROM ${rows} WHERE ${STARTS}))
                GROUP BY ${keyNames}))`
}

/** Every table the engine derives from events: what the feed and the backfill fill and readiness tracks. */
export interface DerivedTable {
  readonly name: string
  readonly since: number
  /** The rows of the events matching `where`, in this table's shape (its `columns`, in order). */
  select(db: string, where: string): string
  /** Its columns as `select` gives them (the inserts' column list). */
  readonly columns: readonly string[]
  /** A total order of those rows, so a retried backfill chunk cuts the same blocks. */
  readonly order: string
  /**
   * The row that says how far the feed has counted (feed.ts): a SELECT of `columns` then `blk`,
   * whose other values no read ever matches (a grain or scope no rollup or filter has, a time in
   * 2100) and which no TTL removes.
   */
  markerRow(blk: string): string
  /** Where that row is: reads take `max(blk)` there. */
  readonly markerWhere: string
  /** Whether the table's merges keep one marker (an aggregating table); else the feed deletes old ones. */
  readonly markersCollapse: boolean
  /**
   * For a table whose `select` reads more than the events taken in (the job trail looks up the
   * first saves it holds): the events that make it do so (a condition over `events`), and the
   * SELECT a pass takes instead when its blocks hold none of them: the same rows, without the
   * lookup (a pass of client batches, which hold no saves).
   */
  readonly lookups?: {
    readonly when: string
    plainSelect(db: string, where: string): string
  }
}

/** The time of the marker rows: after any cell (choose.ts reads cells only up to now). */
const MARKER_TIME = 4_102_444_800 // 2100-01-01

/** A value of `type` for a marker row: NULL, empty, zero, or the marker's time. */
function markerValue(type: string): string {
  const base = type.replace(/\s+CODEC\(.*$/, '').trim()
  const inner = /^SimpleAggregateFunction\(\w+,\s*(.*)\)$/.exec(base)?.[1] ?? base
  let value = '0'
  if (/Nullable/.test(inner)) value = 'NULL'
  else if (/String/.test(inner)) value = "''"
  else if (/^UUID/.test(inner)) value = "toUUID('00000000-0000-0000-0000-000000000000')"
  else if (/^DateTime/.test(inner)) value = `${MARKER_TIME}`
  return `CAST(${value}, '${inner.replace(/'/g, "\\'")}')`
}

/** The rollups table's columns, in the order of its sort key and rollupSelect. */
export const ROLLUP_COLUMNS: readonly (readonly [string, string])[] = [
  ['grain', 'UInt8'],
  ['t', "DateTime('UTC')"],
  ...(['org_id', ...ROLLUP_DIMS] as const).map((d) => [d, DIM_COLUMNS[d].type] as const),
  ...(Object.keys(MEASURE_COLUMNS) as Measure[]).map((m) => [m, MEASURE_COLUMNS[m].type] as const),
]

export const DERIVED_TABLES: readonly DerivedTable[] = [
  {
    name: ROLLUP_TABLE,
    since: ROLLUPS_SINCE,
    select: (db: string, where: string) => rollupSelect(db, where),
    columns: ROLLUP_COLUMNS.map(([c]) => c),
    order: ['grain', 't', 'org_id', ...ROLLUP_DIMS].join(', '),
    // Grain 0: no rollup's.
    markerRow: (blk) =>
      `SELECT ${ROLLUP_COLUMNS.map(([c, type]) => `${c === 'grain' ? 'toUInt8(0)' : markerValue(type)} AS ${c}`).join(', ')}, toUInt64(${blk}) AS blk`,
    markerWhere: 'grain = 0',
    markersCollapse: true,
  },
  {
    name: EXCEPTIONS_COPY.name,
    since: EXCEPTIONS_COPY.since,
    select: (db: string, where: string) => copySelect(EXCEPTIONS_COPY, db, where),
    columns: COPY_COLUMNS.map(([c]) => c),
    order: 'org_id, timestamp, event_id',
    // Scope '': no copy's and no filter's.
    markerRow: (blk) =>
      `SELECT ${COPY_COLUMNS.map(([c, type]) => `${markerValue(type)} AS ${c}`).join(', ')}, toUInt64(${blk}) AS blk`,
    markerWhere: `org_id IS NULL AND timestamp = toDateTime64(${MARKER_TIME}, 3, 'UTC') AND scope = ''`,
    markersCollapse: false,
  },
  {
    name: JOB_TRAIL.name,
    since: JOB_TRAIL.since,
    select: jobTrailPassSelect,
    lookups: {
      // By scope alone: one column of the new blocks to read (a save without a job only costs a lookup).
      when: STARTS,
      plainSelect: jobTrailSelect,
    },
    columns: JOB_TRAIL_COLUMNS.map(([c]) => c),
    order: JOB_TRAIL_COLUMNS.map(([c]) => c).join(', '),
    // Scope '': no trail's and no filter's.
    markerRow: (blk) =>
      `SELECT ${JOB_TRAIL_COLUMNS.map(([c, type]) => `${markerValue(type)} AS ${c}`).join(', ')}, toUInt64(${blk}) AS blk`,
    // By the sort key (org_id, job_id first): a read of one granule, where `scope = ''` alone
    // read the scope of every row (5M at 100M events) in every job flow and every pass.
    markerWhere: "org_id IS NULL AND job_id = 0 AND scope = ''",
    markersCollapse: false,
  },
]

/** The newest generation any derived table counts from: the default of `events.rollup_gen`. */
export const ROLLUP_GENERATION = Math.max(...DERIVED_TABLES.map((d) => d.since))
