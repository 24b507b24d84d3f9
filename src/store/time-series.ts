import type { Engine } from './engine.js'
import { bucketStarts } from '../domain/time-buckets.js'
import type { AuthorizedFilter, TimeRange } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'
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
  readonly buckets: TimeBucket[]
}

interface BucketRow {
  bucket_ms: string
  n: string
  users: string
  entity_id?: string | null
  entity_name?: string | null
}

const BUCKET = 'intDiv(toUnixTimestamp64Milli(timestamp), {interval:UInt64}) * {interval:UInt64}'

/**
 * Events and distinct users per interval over the filter's range, every bucket present (empty
 * ones as zeros), so a chart needs no filling of its own.
 */
export async function activityOverTime(
  engine: Engine,
  filter: AuthorizedFilter,
  range: TimeRange,
  intervalMs: number,
): Promise<TimeBucket[]> {
  const where = eventConditions(filter)
  const rows = await engine.rows<BucketRow>({
    name: 'analytics.activity',
    sql: `SELECT ${BUCKET} AS bucket_ms, count() AS n, uniqExact(user_id) AS users
          FROM ${engine.database}.events WHERE ${where.sql}
          GROUP BY bucket_ms ORDER BY bucket_ms`,
    params: { ...where.params, interval: intervalMs },
  })
  return fillBuckets(bucketStarts(range, intervalMs), rows)
}

/**
 * The same per entity: one gap-filled series for each user (or job, task, project) active in the
 * range, or for each of `ids` (one query for all of them: the entity loaders batch here).
 */
export async function activityByEntity(
  engine: Engine,
  filter: AuthorizedFilter,
  range: TimeRange,
  intervalMs: number,
  kind: EntityKind,
  ids?: readonly string[],
): Promise<EntitySeries[]> {
  const where = eventConditions(filter)
  const column = ENTITY_COLUMN[kind]
  const name = kind === 'user' ? 'argMax(user_name, timestamp)' : 'NULL'
  const rows = await engine.rows<BucketRow>({
    name: `analytics.activity_by_${kind}`,
    sql: `SELECT ${BUCKET} AS bucket_ms, ${column} AS entity_id, ${name} AS entity_name, count() AS n, uniqExact(user_id) AS users
          FROM ${engine.database}.events WHERE ${where.sql} ${ids ? `AND ${column} IN {ids:Array(UInt64)}` : ''}
          GROUP BY bucket_ms, ${column} ORDER BY ${column}, bucket_ms`,
    params: { ...where.params, interval: intervalMs, ...(ids ? { ids: ids.map((id) => BigInt(id)) } : {}) },
  })
  const starts = bucketStarts(range, intervalMs)
  const byEntity = new Map<string, { id: string | null; name: string | null; rows: BucketRow[] }>()
  for (const row of rows) {
    const key = row.entity_id ?? ''
    const series = byEntity.get(key) ?? { id: row.entity_id ?? null, name: row.entity_name ?? null, rows: [] }
    series.rows.push(row)
    if (row.entity_name) series.name = row.entity_name
    byEntity.set(key, series)
  }
  return [...byEntity.values()].map((s) => ({ id: s.id, name: s.name, buckets: fillBuckets(starts, s.rows) }))
}

/** Buckets at each start: the counted ones from `rows`, zeros for the rest. */
export function fillBuckets(
  starts: readonly number[],
  rows: readonly Pick<BucketRow, 'bucket_ms' | 'n' | 'users'>[],
): TimeBucket[] {
  const found = new Map(rows.map((r) => [Number(r.bucket_ms), r]))
  return starts.map((startMs) => {
    const row = found.get(startMs)
    return { startMs, count: row ? Number(row.n) : 0, users: row ? Number(row.users) : 0 }
  })
}
