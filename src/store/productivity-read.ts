import type { AuthorizedFilter } from '../domain/filter.js'
import { withScopes } from '../domain/filter.js'
import type { ProductivityGroup, ProductivityKeys, ProductivityRow } from '../domain/productivity.js'
import type { Engine } from './engine.js'
import { keyOf, keySql, keysOf, nameTimeOf, peopleOf, type KeyRow } from './productivity-keys.js'
import { recomputedWorkingTime } from './productivity-activity.js'
import type { Cube } from './rollups/cube.js'
import {
  FUNCTION_SCOPE,
  IMPORT_SCOPE,
  OBJECT_SCOPES,
  REDO_SCOPE,
  UNDO_SCOPE,
  WORKING_TIME_SCOPE,
} from '../domain/scopes.js'
/** How far before and after the range an import's or model run's own event is looked for. */
export const REQUEST_MARGIN_MS = 86_400_000
const HOUR_MS = 3_600_000

/**
 * The range an import's or model run's own event is looked for in: the margin either side, widened
 * to whole hours. Whole hours are the trail rollup's cells, so the lookup reads no partial hour
 * from the raw table (two statements' worth of a leaderboard's time for an hour more of margin).
 * `to` is inclusive, as a filter's: the last millisecond of its hour.
 */
export function requestLookupRange(from: number, to: number): { from: number; to: number } {
  return {
    from: Math.floor((from - REQUEST_MARGIN_MS) / HOUR_MS) * HOUR_MS,
    to: Math.ceil((to + REQUEST_MARGIN_MS) / HOUR_MS) * HOUR_MS - 1,
  }
}

export interface ProductivityRequest {
  readonly filter: AuthorizedFilter
  readonly from: number
  readonly to: number
  readonly groups: readonly ProductivityGroup[]
  /** null: CVAT's stored working time; else recomputed at this idle cutoff. */
  readonly idleMs: number | null
  /** Most groups a query may return; more sets `overflow`. */
  readonly maxGroups: number
}

export interface ProductivityAnswer {
  readonly rows: ProductivityRow[]
  /** More groups than `maxGroups`: the answer is incomplete. */
  readonly overflow: boolean
}

type Sums = Omit<ProductivityRow, keyof ProductivityKeys>
type MutableRow = { -readonly [K in keyof ProductivityRow]: ProductivityRow[K] }

/**
 * A group's row with nothing counted yet, as one literal: V8 builds `{ ...keys, ...zeros }` for
 * 16 properties on a slow path (about 10 µs a row, 30 ms for an admin's month by user and day).
 */
function newRow(keys: ProductivityKeys): MutableRow {
  return {
    userId: keys.userId,
    userName: keys.userName,
    projectId: keys.projectId,
    taskId: keys.taskId,
    jobId: keys.jobId,
    shapeType: keys.shapeType,
    periodMs: keys.periodMs,
    objectsCreated: 0,
    objectsUpdated: 0,
    objectsDeleted: 0,
    manualObjectsCreated: 0,
    importedObjectsCreated: 0,
    automaticObjectsCreated: 0,
    workingMs: 0,
    undo: 0,
    redo: 0,
  }
}

/**
 * Productivity per group: objects (each save's request told apart by whether an import or a model
 * run made it), working time (CVAT's stored, or recomputed) and undo/redo, merged by group. Rows
 * of every group with anything in it, unordered.
 */
export async function productivity(
  engine: Engine,
  cube: Cube,
  request: ProductivityRequest,
): Promise<ProductivityAnswer> {
  const { filter, groups, maxGroups } = request
  const [counted, recomputed] = await Promise.all([
    counts(engine, cube, request),
    request.idleMs === null
      ? Promise.resolve(null)
      : recomputedWorkingTime(engine, {
          filter,
          from: request.from,
          to: request.to,
          groups,
          idleMs: request.idleMs,
          maxGroups,
        }),
  ])
  // Rows are accumulated in place: an admin's month by user and day is thousands of groups, and
  // copying a row per merge cost more than the statements.
  const rows = new Map<string, { row: MutableRow; nameAt: number }>()
  const merge = (keys: ProductivityKeys, sums: Partial<Sums>, nameAt: number) => {
    const key = keyOf(keys)
    let entry = rows.get(key)
    if (!entry) {
      entry = { row: newRow(keys), nameAt }
      rows.set(key, entry)
    } else if (entry.row.userName === null || nameAt > entry.nameAt) {
      entry.row.userName = keys.userName ?? entry.row.userName
      entry.nameAt = nameAt
    }
    const { row } = entry
    row.objectsCreated += sums.objectsCreated ?? 0
    row.objectsUpdated += sums.objectsUpdated ?? 0
    row.objectsDeleted += sums.objectsDeleted ?? 0
    row.manualObjectsCreated += sums.manualObjectsCreated ?? 0
    row.importedObjectsCreated += sums.importedObjectsCreated ?? 0
    row.automaticObjectsCreated += sums.automaticObjectsCreated ?? 0
    row.workingMs += sums.workingMs ?? 0
    row.undo += sums.undo ?? 0
    row.redo += sums.redo ?? 0
  }
  for (const r of counted.rows) merge(r.keys, r.sums, r.nameAt)
  for (const r of recomputed?.rows ?? []) merge(r.keys, { workingMs: r.ms }, r.nameAt)
  return {
    rows: [...rows.values()].map((entry) => entry.row),
    overflow: counted.overflow || (recomputed?.overflow ?? false),
  }
}

interface Part<T> {
  readonly rows: { keys: ProductivityKeys; sums: T; nameAt: number }[]
  readonly overflow: boolean
}

interface CountRow extends KeyRow {
  created: string
  updated: string
  deleted: string
  imported: string
  automatic: string
  ms: string
  undo: string
  redo: string
}

/**
 * Objects, CVAT's working time (at the default cutoff) and undo/redo per group, in one read of
 * the trail rollup, which holds all of those scopes by hour: each part of the range (the partial
 * hours at its edges, the rows not passed yet) is read once for every figure. A created object is
 * imported or automatic when its request also logged `import:dataset` or `call:function` (CVAT
 * logs the objects an import or a model run creates under that request's id); those requests are
 * looked for a day either side of the range, among the events of the same people, whatever jobs
 * or scopes the filter names.
 */
async function counts(
  engine: Engine,
  cube: Cube,
  request: ProductivityRequest,
): Promise<Part<Partial<Sums>>> {
  const { filter, groups } = request
  const keys = keySql(groups, 'trail')
  const scopes = [
    ...OBJECT_SCOPES,
    // At another cutoff the working time is recomputed: the stored one is not read.
    ...(request.idleMs === null ? [WORKING_TIME_SCOPE] : []),
    UNDO_SCOPE,
    REDO_SCOPE,
  ]
  const events = cube.source({
    filter: withScopes(filter, scopes),
    columns: [
      ...new Set([
        ...keys.columns,
        'scope' as const,
        'request_id' as const,
        'cnt' as const,
        'dur_sum' as const,
      ]),
    ],
    paramPrefix: 'o_',
  })
  const requests = cube.source({
    filter: withScopes(peopleOf(filter, requestLookupRange(request.from, request.to)), [
      IMPORT_SCOPE,
      FUNCTION_SCOPE,
    ]),
    columns: ['scope', 'request_id'],
    paramPrefix: 'r_',
  })
  const rows = await engine.rows<CountRow>({
    name: 'productivity.counts',
    sql: `SELECT ${[...keys.select, ''].join(', ')}
            sumIf(cnt, startsWith(scope, 'create:')) AS created,
            sumIf(cnt, startsWith(scope, 'update:')) AS updated,
            sumIf(cnt, startsWith(scope, 'delete:')) AS deleted,
            sumIf(cnt, startsWith(scope, 'create:') AND kind = 1) AS imported,
            sumIf(cnt, startsWith(scope, 'create:') AND kind = 2) AS automatic,
            sumIf(dur_sum, scope = '${WORKING_TIME_SCOPE}') AS ms,
            sumIf(cnt, scope = '${UNDO_SCOPE}') AS undo,
            sumIf(cnt, scope = '${REDO_SCOPE}') AS redo
          FROM ${events.sql} AS o
          LEFT JOIN (
            SELECT request_id, if(countIf(scope = '${IMPORT_SCOPE}') > 0, 1, 2) AS kind
            FROM ${requests.sql} WHERE request_id != '' GROUP BY request_id
          ) AS k USING (request_id)
          ${groupClause(keys.groupBy)}
          LIMIT {limit:UInt32}`,
    params: { ...events.params, ...requests.params, limit: request.maxGroups + 1 },
  })
  return {
    rows: rows.map((r) => {
      const created = Number(r.created)
      const imported = Number(r.imported)
      const automatic = Number(r.automatic)
      return {
        keys: keysOf(r),
        nameAt: nameTimeOf(r),
        sums: {
          objectsCreated: created,
          objectsUpdated: Number(r.updated),
          objectsDeleted: Number(r.deleted),
          manualObjectsCreated: created - imported - automatic,
          importedObjectsCreated: imported,
          automaticObjectsCreated: automatic,
          // 0 at another cutoff: no working-time events are read then (recomputed instead).
          workingMs: Number(r.ms),
          undo: Number(r.undo),
          redo: Number(r.redo),
        },
      }
    }),
    overflow: rows.length > request.maxGroups,
  }
}

/** GROUP BY the keys; without keys, one row of totals only when there is something to total. */
export function groupClause(groupBy: readonly string[]): string {
  return groupBy.length > 0 ? `GROUP BY ${groupBy.join(', ')}` : 'HAVING count() > 0'
}
