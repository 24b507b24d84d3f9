import type { Engine } from './engine.js'
import { bucketStarts } from '../domain/time-buckets.js'
import type { AuthorizedFilter, TimeRange } from '../domain/filter.js'
import type { Cube } from './rollups/cube.js'
import { ENTITY_COLUMN, type EntityKind } from './working-time-read.js'

/** One bucket of a series: events and distinct users from `startMs` for the series' interval. */
export interface TimeBucket {
  readonly startMs: number
  readonly count: number
  readonly users: number
}

/** One entity's series (a user on the per-user chart, or a job, task or project of the loaders). */
export interface EntitySeries {
  /** null: the events without that id (e.g. the time spent outside any job). */
  readonly id: string | null
  /** The user's latest name, for user series. */
  readonly name: string | null
  /** Every bucket's start, shared by the series of one answer; `counts` and `users` per bucket. */
  readonly starts: readonly number[]
  readonly counts: readonly number[]
  readonly users: readonly number[]
  readonly buckets: TimeBucket[]
}

interface BucketRow {
  bucket_ms: string
  events: string
  users: string
}

const BUCKET = 'intDiv(t_ms, {interval:Int64}) * {interval:Int64}'

/**
 * Events and distinct users per interval over the filter's range, every bucket present (empty
 * ones as zeros), so a chart needs no filling of its own.
 */
export async function activityOverTime(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  range: TimeRange,
  intervalMs: number,
): Promise<TimeBucket[]> {
  const from = cube.source({ filter, columns: ['t_ms', 'user_id', 'n'], intervalMs })
  const rows = await engine.rows<BucketRow>({
    name: 'analytics.activity',
    sql: `SELECT ${BUCKET} AS bucket_ms, sum(n) AS events, uniqExact(user_id) AS users
          FROM ${from.sql}
          GROUP BY bucket_ms ORDER BY bucket_ms`,
    params: { ...from.params, interval: intervalMs },
  })
  return fillBuckets(bucketStarts(range, intervalMs), rows)
}

/**
 * The same per entity: one gap-filled series for each user (or job, task, project) active in the
 * range, or for each of `ids` (one query for all of them: the entity loaders batch here). One row
 * per entity, its points in an array: a month of 10-minute buckets for a hundred users is 400k
 * rows otherwise, and their parsing costs more than the query.
 */
export async function activityByEntity(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  range: TimeRange,
  intervalMs: number,
  kind: EntityKind,
  ids?: readonly string[],
): Promise<EntitySeries[]> {
  const column = ENTITY_COLUMN[kind]
  const byUser = kind === 'user'
  const from = cube.source({
    filter,
    columns: [
      't_ms',
      column,
      'n',
      ...(byUser ? (['user_name', 'last_ms'] as const) : (['user_id'] as const)),
    ],
    where: ids ? [{ dims: [column], sql: `${column} IN {ids:Array(UInt64)}` }] : [],
    intervalMs,
  })
  // Per user, its name is a dimension (one per bucket unless renamed in it), the name shown the
  // one at its latest event in the range, and its distinct users 1. Other entities count users.
  const inner = byUser
    ? `SELECT ${BUCKET} AS bucket_ms, ${column} AS entity_id, user_name, sum(n) AS events,
         if(isNull(entity_id), 0, 1) AS users, max(last_ms) AS last
       FROM ${from.sql} GROUP BY bucket_ms, entity_id, user_name`
    : `SELECT ${BUCKET} AS bucket_ms, ${column} AS entity_id, sum(n) AS events, uniqExact(user_id) AS users
       FROM ${from.sql} GROUP BY bucket_ms, entity_id`
  // Each entity's points as three arrays of numbers (bucket start, events, users): one array
  // or string per point costs the parse and the collector more than the query (an admin's month
  // of user activity is 24k points).
  const rows = await engine.rows<EntityRow>({
    name: `analytics.activity_by_${kind}`,
    sql: `SELECT entity_id, ${byUser ? 'argMax(user_name, last)' : 'NULL'} AS entity_name,
            groupArray(toFloat64(bucket_ms)) AS at, groupArray(toFloat64(events)) AS counts,
            groupArray(toFloat64(users)) AS users
          FROM (${inner})
          GROUP BY entity_id ORDER BY entity_id`,
    params: { ...from.params, interval: intervalMs, ...(ids ? { ids: ids.map((id) => BigInt(id)) } : {}) },
  })
  const starts = bucketStarts(range, intervalMs)
  return rows.map((row) => denseSeries(row, starts, intervalMs))
}

interface EntityRow {
  entity_id: string | null
  entity_name: string | null
  at: number[]
  counts: number[]
  users: number[]
}

/**
 * An entity's series over every bucket of `starts` (zeros where no row; rows of one bucket, a
 * user renamed in it, add up), as arrays of numbers: its `buckets` objects are built only for
 * the fields that list them.
 */
function denseSeries(row: EntityRow, starts: readonly number[], intervalMs: number): EntitySeries {
  const counts = new Array<number>(starts.length).fill(0)
  const users = new Array<number>(starts.length).fill(0)
  const first = starts[0] ?? 0
  for (let p = 0; p < row.at.length; p++) {
    const i = Math.round(((row.at[p] as number) - first) / intervalMs)
    if (i < 0 || i >= starts.length) continue
    counts[i] = (counts[i] as number) + (row.counts[p] as number)
    users[i] = Math.max(users[i] as number, row.users[p] as number)
  }
  let buckets: TimeBucket[] | undefined
  return {
    id: row.entity_id,
    name: row.entity_name,
    starts,
    counts,
    users,
    get buckets() {
      return (buckets ??= starts.map((startMs, i) => ({
        startMs,
        count: counts[i] as number,
        users: users[i] as number,
      })))
    },
  }
}

/** Every bucket of the range, zeros where no row; rows of one bucket (a user renamed in it) add up. */
export function fillBuckets(
  starts: readonly number[],
  rows: readonly { bucket_ms: string; events: string; users: string | number }[],
): TimeBucket[] {
  const found = new Map<number, { count: number; users: number }>()
  for (const row of rows) {
    const at = Number(row.bucket_ms)
    const seen = found.get(at)
    found.set(at, {
      count: (seen?.count ?? 0) + Number(row.events),
      users: Math.max(seen?.users ?? 0, Number(row.users)),
    })
  }
  return starts.map((startMs) => ({
    startMs,
    count: found.get(startMs)?.count ?? 0,
    users: found.get(startMs)?.users ?? 0,
  }))
}
