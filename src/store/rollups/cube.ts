import type { AuthorizedFilter } from '../../domain/filter.js'
import { eventConditions } from '../filter-sql.js'
import {
  COPY_COLUMNS,
  DERIVED_TABLES,
  DIM_COLUMNS,
  JOB_TRAIL,
  JOB_TRAIL_COLUMNS,
  jobTrailSelect,
  quoted,
  ROLLUP_TABLE,
  type CopyDef,
  type Dim,
  type Measure,
  type RollupDef,
} from './catalog.js'
import { chooseSegments, rawTable, type Segment } from './choose.js'
import { uncountedSql } from './feed.js'

/**
 * The columns every source offers under one name, so an aggregation is written once over
 * "the cube" and runs the same on rollup rows and raw events: `t_ms` (the cell's start, or the
 * event's time), the dimensions, and per row `n` events, `dur_sum/min/max` of their durations,
 * `first_ms`/`last_ms` their first and last times. A raw event is a row with n = 1.
 */
export type CubeColumn =
  Dim | 't_ms' | 'n' | 'dur_sum' | 'dur_min' | 'dur_max' | 'first_ms' | 'last_ms' | 'cnt'

export interface CubeRequest {
  readonly filter: AuthorizedFilter
  readonly columns: readonly CubeColumn[]
  /** Extra conditions over dimensions, the same SQL on every source (ids of a loader, a scope set). */
  readonly where?: readonly { readonly dims: readonly Dim[]; readonly sql: string }[]
  /** Time series: rollups whose cell does not divide it are not used. */
  readonly intervalMs?: number
  /**
   * Prefix of this source's parameter names, so that one statement may read two sources (the
   * filter's and the segments' parameters would otherwise collide). @default ''
   */
  readonly paramPrefix?: string
}

/** A FROM clause over the chosen sources, with its parameters and the plan (for tests and logs). */
export interface CubeSource {
  readonly sql: string
  readonly params: Record<string, unknown>
  readonly segments: readonly Segment[]
}

const MEASURE_OF: Partial<Record<CubeColumn, Measure>> = {
  n: 'n',
  dur_sum: 'dur_sum',
  dur_min: 'dur_min',
  dur_max: 'dur_max',
  first_ms: 'first_ts',
  last_ms: 'last_ts',
  cnt: 'cnt',
}

const RAW: Record<Exclude<CubeColumn, Dim>, string> = {
  t_ms: 'toUnixTimestamp64Milli(timestamp)',
  n: 'toUInt64(1)',
  dur_sum: 'toUInt64(duration)',
  dur_min: 'duration',
  dur_max: 'duration',
  first_ms: 'toUnixTimestamp64Milli(timestamp)',
  last_ms: 'toUnixTimestamp64Milli(timestamp)',
  cnt: 'toUInt64(ifNull(count, 0))',
}

const ROLLUP: Record<Exclude<CubeColumn, Dim>, string> = {
  t_ms: 'toInt64(toUnixTimestamp(t)) * 1000',
  n: 'n',
  dur_sum: 'dur_sum',
  dur_min: 'dur_min',
  dur_max: 'dur_max',
  first_ms: 'toUnixTimestamp64Milli(first_ts)',
  last_ms: 'toUnixTimestamp64Milli(last_ts)',
  cnt: 'cnt',
}

const isDim = (c: CubeColumn): c is Dim => c in DIM_COLUMNS

/** What the reads use: a FROM clause for a request, over the rollups ready now. */
export interface Cube {
  source(request: CubeRequest): CubeSource
  /**
   * A FROM clause holding every event of the filter, whole: a copy when one can answer (with the
   * rows its feed has not copied yet), else `events`.
   */
  rawSource(filter: AuthorizedFilter): string
  /**
   * A FROM clause of every job's trail (catalog.ts: JOB_TRAIL), sorted by job, with the events its
   * feed has not copied yet; null while its backfill runs (reads take the trail rollup then).
   */
  jobTrail(): string | null
}

/** How the derived tables are fed, as reads must know it: `pass` adds the gap (feed.ts). */
export type CubeFeed = 'pass' | 'view'

const derived = (name: string) => {
  const table = DERIVED_TABLES.find((d) => d.name === name)
  if (!table) throw new Error(`no derived table ${name}`)
  return table
}

/**
 * The FROM clause of `rawTable`'s choice: `events`, or a copy; fed by passes, a copy is read
 * with the events of its scopes it has not copied yet (feed.ts: uncountedSql).
 */
export function rawSource(
  db: string,
  filter: AuthorizedFilter,
  copies: readonly CopyDef[],
  feed: CubeFeed,
): string {
  const table = rawTable(filter, copies)
  const copy = copies.find((c) => c.name === table)
  if (!copy || feed === 'view') return `${db}.${table}`
  const columns = [...COPY_COLUMNS.map(([c]) => c), 'request_id'].join(', ')
  const scopes = quoted(copy.onlyScopes)
  return `(SELECT ${columns} FROM ${db}.${copy.name} WHERE scope IN (${scopes})
    UNION ALL SELECT ${columns} FROM ${db}.events WHERE scope IN (${scopes}) AND ${uncountedSql(db, derived(copy.name))})`
}

/** The FROM clause of the job trail: its table, and fed by passes, the events it has not copied yet. */
export function jobTrailSource(db: string, feed: CubeFeed): string {
  if (feed === 'view') return `${db}.${JOB_TRAIL.name}`
  const columns = JOB_TRAIL_COLUMNS.map(([c]) => c).join(', ')
  return `(SELECT ${columns} FROM ${db}.${JOB_TRAIL.name} WHERE scope IN (${quoted(JOB_TRAIL.onlyScopes)})
    UNION ALL ${jobTrailSelect(db, uncountedSql(db, derived(JOB_TRAIL.name)))})`
}

/**
 * Builds `(SELECT … FROM rollup … UNION ALL SELECT … FROM events …)` for `request` over the
 * rollups in `available` (chooseSegments decides which part of the range each answers). The
 * filter's dimension conditions are the same SQL on every source; each segment adds its bounds.
 */
export function cubeSource(
  db: string,
  request: CubeRequest,
  available: readonly RollupDef[],
  copies: readonly CopyDef[] = [],
  feed: CubeFeed = 'view',
): CubeSource {
  const raw = rawSource(db, request.filter, copies, feed)
  const extraDims = (request.where ?? []).flatMap((w) => w.dims)
  const segments = chooseSegments(
    {
      filter: request.filter,
      dims: [...request.columns.filter(isDim), ...extraDims],
      measures: request.columns.flatMap((c) => MEASURE_OF[c] ?? []),
      ...(request.intervalMs === undefined ? {} : { intervalMs: request.intervalMs }),
    },
    available,
  )
  const { from: _from, to: _to, ...dimsOnly } = request.filter
  const prefix = request.paramPrefix ?? ''
  const dims = eventConditions(dimsOnly, `${prefix}f`)
  const params: Record<string, unknown> = { ...dims.params }
  const extra = (request.where ?? []).map((w) => `(${w.sql})`)
  const rawColumns = request.columns.map((c) =>
    isDim(c) ? `${DIM_COLUMNS[c].expr} AS ${c}` : `${RAW[c]} AS ${c}`,
  )
  /** `[from, to)` of one segment over `column`, its bounds named `p` in the parameters. */
  const range = (segment: Segment, p: string, column: 'timestamp' | 't'): string => {
    const bound = (value: number | undefined, name: string, op: string) => {
      if (value === undefined) return []
      params[`${p}_${name}`] = column === 't' ? value / 1000 : value
      return [
        column === 't'
          ? `t ${op} toDateTime({${p}_${name}:Int64}, 'UTC')`
          : `timestamp ${op} fromUnixTimestamp64Milli({${p}_${name}:Int64}, 'UTC')`,
      ]
    }
    const bounds = [...bound(segment.from, 'from', '>='), ...bound(segment.to, 'to', '<')]
    return bounds.length > 0 ? `(${bounds.join(' AND ')})` : '1'
  }
  const anyOf = (ranges: readonly string[]) =>
    ranges.length === 1 ? (ranges[0] as string) : `(${ranges.join(' OR ')})`
  const where = (conditions: readonly string[]) => [dims.sql, ...conditions, ...extra].join(' AND ')
  // One SELECT per kind of source, each over all its segments at once (the ranges ORed, which the
  // engine's index analysis takes apart again): every SELECT of a UNION costs a few milliseconds
  // whatever it reads, and a range split into hours and days would otherwise be up to eight.
  const rawSegments = segments.filter((segment) => segment.rollup === null)
  const cellSegments = segments.filter((segment) => segment.rollup !== null)
  const selects: string[] = []
  if (rawSegments.length > 0) {
    const ranges = rawSegments.map((segment, i) => range(segment, `${prefix}s${i}`, 'timestamp'))
    selects.push(`SELECT ${rawColumns.join(', ')} FROM ${raw} WHERE ${where([anyOf(ranges)])}`)
  }
  if (cellSegments.length > 0) {
    const cells = cellSegments.map(
      (segment, i) => `(grain = ${segment.rollup?.grain} AND ${range(segment, `${prefix}c${i}`, 't')})`,
    )
    const columns = request.columns.map((c) => (isDim(c) ? c : `${ROLLUP[c]} AS ${c}`))
    selects.push(`SELECT ${columns.join(', ')} FROM ${db}.${ROLLUP_TABLE} WHERE ${where([anyOf(cells)])}`)
    // Fed by passes: the events of the same cells that no pass has counted yet, raw.
    if (feed === 'pass') {
      const ranges = cellSegments.map((segment, i) => range(segment, `${prefix}g${i}`, 'timestamp'))
      const gap = uncountedSql(db, derived(ROLLUP_TABLE))
      selects.push(`SELECT ${rawColumns.join(', ')} FROM ${db}.events WHERE ${where([anyOf(ranges), gap])}`)
    }
  }
  return { sql: `(${selects.join('\n  UNION ALL ')})`, params, segments }
}
