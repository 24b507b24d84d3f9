import { expect } from 'vitest'
import type { EventFilter } from '../../src/domain/filter.js'
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
} from '../../src/domain/scopes.js'
import type { Statement } from '../../src/store/index.js'

/**
 * Which source must serve an aggregation — a rollup, or the raw table — worked out from the
 * rollups' facts as the catalog states them (src/store/rollups/catalog.ts), written out here and
 * never asked of the chooser (src/store/rollups/choose.ts): a test that asks the code what the
 * code should do cannot fail. `catalogFacts` in the equality test checks that these facts are
 * still the catalog's.
 */

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** What one rollup is: its `grain` in the rollups table, its cell, what it keeps, the scopes it holds. */
export interface RollupFacts {
  readonly grain: number
  readonly cellMs: number
  /** Columns it keeps (org_id always). Every rollup keeps every measure, so measures never decide. */
  readonly dims: readonly string[]
  /** It holds only events of these scopes: it answers only filters that keep to them. */
  readonly onlyScopes?: readonly string[]
}

const EVERY_DIM = ['org_id', 'org_slug', 'project_id', 'task_id', 'job_id', 'user_id', 'user_name']
const GENERAL = [...EVERY_DIM, 'scope', 'source']

export const ROLLUP_FACTS: readonly RollupFacts[] = [
  // users_5m: users only, every 5 minutes.
  { grain: 1, cellMs: 5 * MINUTE, dims: ['org_id', 'user_id', 'user_name'] },
  // all_1h and all_1d: every dimension but objects and platforms.
  { grain: 2, cellMs: HOUR, dims: GENERAL },
  { grain: 3, cellMs: DAY, dims: GENERAL },
  // platforms_1d: the browsers and systems of `load:cvat` events (no org slug).
  {
    grain: 4,
    cellMs: DAY,
    dims: [...GENERAL.filter((d) => d !== 'org_slug'), 'browser', 'os'],
    onlyScopes: ['load:cvat'],
  },
  // trail_1h: productivity's server events, with their objects and requests, and undo/redo.
  {
    grain: 5,
    cellMs: HOUR,
    dims: [...GENERAL, 'obj_name', 'obj_id', 'obj_val', 'request_id'],
    onlyScopes: [
      ...OBJECT_SCOPES,
      IMPORT_SCOPE,
      FUNCTION_SCOPE,
      JOB_CREATE_SCOPE,
      JOB_UPDATE_SCOPE,
      WORKING_TIME_SCOPE,
      UNDO_SCOPE,
      REDO_SCOPE,
    ],
  },
  // users_1h: users only, every hour.
  { grain: 6, cellMs: HOUR, dims: ['org_id', 'user_id', 'user_name'] },
]

/** The rollups table of this generation. */
const ROLLUPS_TABLE = 'rollups_v4'

/** The scopes the exceptions' copy holds: a raw read of only these reads the copy, not `events`. */
const COPY_SCOPES = [EXCEPTION_SCOPE]

/** Cells are DateTime (seconds, 1970 to 2106): events outside them are only in the raw table. */
const CELLS_FROM = 0
const CELLS_TO = 2 ** 32 * 1000

/** The column each filter field constrains; null: a field no rollup keeps. */
const FILTER_DIM: Record<keyof Omit<EventFilter, 'from' | 'to'>, string | null> = {
  orgIds: 'org_id',
  projectIds: 'project_id',
  taskIds: 'task_id',
  jobIds: 'job_id',
  userIds: 'user_id',
  userNames: 'user_name',
  scopes: 'scope',
  sources: 'source',
  objNames: 'obj_name',
  hasJob: 'job_id',
  exceptionGroups: null,
  requestIds: null,
}

/** What an aggregation reads beyond its filter. */
/** The columns `filterOptions` lists values of (every variable of the dashboards). */
export const FILTER_OPTION_DIMS = [
  'user_id',
  'user_name',
  'org_id',
  'org_slug',
  'project_id',
  'task_id',
  'job_id',
  'scope',
  'source',
]

export interface Needs {
  /** Columns it groups by, counts distinct or picks from (besides the filter's). */
  readonly dims: readonly string[]
  /** A time series' interval: only rollups whose cell divides it can answer. */
  readonly intervalMs?: number
  /** Scopes the aggregation keeps to by itself (platforms: `load:cvat`), narrowing the filter's. */
  readonly scopes?: readonly string[]
}

/** The scopes an aggregation reads: the filter's, narrowed by its own (none left: a scope no event has). */
function scopesRead(filter: EventFilter, needs: Needs): readonly string[] {
  if (!needs.scopes) return filter.scopes ?? []
  const kept = filter.scopes?.length ? needs.scopes.filter((s) => filter.scopes?.includes(s)) : needs.scopes
  return kept.length > 0 ? kept : ['(none)']
}

/** Whether the filter constrains `field` (a non-empty list, or a boolean). */
const constrains = (filter: EventFilter, field: keyof EventFilter) => {
  const value = filter[field]
  return Array.isArray(value) ? value.length > 0 : value !== undefined
}

/** The rollups that hold everything the aggregation reads under the filter (whatever the range). */
export function answering(filter: EventFilter, needs: Needs): RollupFacts[] {
  const fields = (Object.keys(FILTER_DIM) as (keyof typeof FILTER_DIM)[]).filter((f) => constrains(filter, f))
  const scopes = scopesRead(filter, needs)
  return ROLLUP_FACTS.filter((rollup) => {
    const filterDims = fields.map((f) => FILTER_DIM[f])
    if (needs.scopes) filterDims.push('scope')
    if (!filterDims.every((d) => d !== null && rollup.dims.includes(d))) return false
    if (!needs.dims.every((d) => rollup.dims.includes(d))) return false
    if (needs.intervalMs !== undefined && needs.intervalMs % rollup.cellMs !== 0) return false
    const only = rollup.onlyScopes
    return !only || (scopes.length > 0 && scopes.every((s) => only.includes(s)))
  })
}

/**
 * The grains that must be read for the range (ms, `to` inclusive; absent: unbounded): the
 * coarsest rollup that can answer takes the whole cells of its own in the range, finer ones the
 * whole cells of theirs in what is left at the edges, and the raw table the rest. At equal cells,
 * a rollup of some scopes (fewer rows) goes first, then the one of fewer columns.
 */
export function expectedGrains(filter: EventFilter, range: { from?: number; to?: number }, needs: Needs) {
  const usable = answering(filter, needs).sort(
    (a, b) =>
      b.cellMs - a.cellMs ||
      Number(Boolean(b.onlyScopes)) - Number(Boolean(a.onlyScopes)) ||
      a.dims.length - b.dims.length,
  )
  // A range that runs past the last cell's start holds that cell whole: it cannot hold later events.
  const open = (range.to ?? Infinity) + 1 >= CELLS_TO
  let left: [number, number][] = [
    [Math.max(range.from ?? -Infinity, CELLS_FROM), Math.min((range.to ?? Infinity) + 1, CELLS_TO)],
  ]
  const read = new Set<number>()
  for (const rollup of usable) {
    left = left.flatMap(([from, to]): [number, number][] => {
      const start = Math.ceil(from / rollup.cellMs) * rollup.cellMs
      const last = open && to === CELLS_TO
      const end = (last ? Math.ceil : Math.floor)(to / rollup.cellMs) * rollup.cellMs
      if (start >= end) return [[from, to]]
      read.add(rollup.grain)
      return (
        [
          [from, start],
          [end, to],
        ] as [number, number][]
      ).filter(([a, b]) => a < b)
    })
  }
  return [...read].sort()
}

/** The grains of the rollups table a statement reads (the feed's marker, grain 0, left out). */
export function grainsRead(sql: string, db = 'default'): number[] {
  if (!sql.includes(`FROM ${db}.${ROLLUPS_TABLE} WHERE `)) return []
  // Cube sources read every segment of the rollups in one SELECT: `(grain = g AND (t >= …))` ORed.
  const grains = [...sql.matchAll(/\(grain = (\d+) AND /g)].map((m) => Number(m[1])).filter((g) => g > 0)
  return [...new Set(grains)].sort()
}

/** Whether a statement reads, beside the rollups, the events no pass has counted yet. */
export const readsUncounted = (sql: string, db = 'default') =>
  sql.includes(`AND _block_number > (SELECT max(blk) FROM ${db}.${ROLLUPS_TABLE} WHERE grain = 0)`)

export interface SourceCheck {
  /** The statement that answers (its name). */
  readonly name: string
  readonly needs: Needs
  /** The database. @default 'default' */
  readonly db?: string
  /** How the rollups are fed: by passes, reads add the rows no pass has counted. @default 'pass' */
  readonly feed?: 'pass' | 'view'
}

/**
 * Asserts that the statement `check.name` among `sql` (those of one call) read exactly the grains
 * the facts say for this filter and range: the rollups where one can answer, with the rows no pass
 * has counted yet beside them; otherwise the raw table alone (the exceptions' copy for its scopes).
 * Returns the grains read.
 */
export function expectServed(
  sql: readonly Statement[],
  check: SourceCheck,
  filter: EventFilter,
  range: { from?: number; to?: number },
): number[] {
  const db = check.db ?? 'default'
  const statement = sql.find((s) => s.name === check.name)
  if (!statement) throw new Error(`no statement ${check.name} among ${sql.map((s) => s.name).join(', ')}`)
  const expected = expectedGrains(filter, range, check.needs)
  const read = grainsRead(statement.sql, db)
  const context = JSON.stringify({ statement: check.name, filter, range, needs: check.needs })
  expect(read, context).toEqual(expected)
  if (expected.length > 0) {
    if ((check.feed ?? 'pass') === 'pass') expect(readsUncounted(statement.sql, db), context).toBe(true)
  } else {
    const scopes = scopesRead(filter, check.needs)
    const copy = scopes.length > 0 && scopes.every((s) => COPY_SCOPES.includes(s))
    expect(statement.sql, context).toContain(`FROM ${db}.${copy ? 'events_exceptions_v2' : 'events'} WHERE`)
  }
  return read
}
