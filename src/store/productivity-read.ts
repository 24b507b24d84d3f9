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
 * Productivity per group: objects from the trail rollup (each save's request told apart by
 * whether an import or a model run made it), working time (CVAT's stored, or recomputed) and
 * undo/redo from the cube, merged by group. Rows of every group with anything in it, unordered.
 */
export async function productivity(
  engine: Engine,
  cube: Cube,
  request: ProductivityRequest,
): Promise<ProductivityAnswer> {
  const { filter, groups, maxGroups } = request
  const [counts, recomputed] = await Promise.all([
    storedAndObjectCounts(engine, cube, request),
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
  // Rows are accumulated in place: an admin's month by user and day is thousands of groups from
  // each part, and copying a row per merge cost more than both statements.
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
  for (const r of counts.rows) merge(r.keys, r.sums, r.nameAt)
  for (const r of recomputed?.rows ?? []) merge(r.keys, { workingMs: r.ms }, r.nameAt)
  return {
    rows: [...rows.values()].map((entry) => entry.row),
    overflow: counts.overflow || (recomputed?.overflow ?? false),
  }
}

interface Part<T> {
  readonly rows: { keys: ProductivityKeys; sums: T; nameAt: number }[]
  readonly overflow: boolean
}

interface CountRow extends KeyRow {
  /** Which SELECT the row comes from: `o`bjects or `s`tored counts. */
  part: 'o' | 's'
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
 * Objects, CVAT's working time and undo/redo per group, in one statement: its two SELECTs run side
 * by side in the engine, where two statements would take turns on a reader (engine.ts) and each
 * pay a call's fixed cost (about 17 ms of an admin's leaderboard at 10M events).
 */
async function storedAndObjectCounts(
  engine: Engine,
  cube: Cube,
  request: ProductivityRequest,
): Promise<Part<Partial<Sums>>> {
  const objects = objectCountsSql(cube, request)
  const stored = storedCountsSql(cube, request.filter, request.groups, request.idleMs === null)
  const rows = await engine.rows<CountRow>({
    name: 'productivity.counts',
    sql: `SELECT * FROM (${objects.sql})
          UNION ALL SELECT * FROM (${stored.sql})`,
    params: { ...objects.params, ...stored.params, limit: request.maxGroups + 1 },
  })
  const counted = { o: 0, s: 0 }
  return {
    rows: rows.map((r) => {
      counted[r.part] += 1
      const keys = keysOf(r)
      const nameAt = nameTimeOf(r)
      if (r.part === 's') {
        return {
          keys,
          nameAt,
          sums: {
            // 0 at another cutoff: the SELECT then reads no working-time events (recomputed instead).
            workingMs: Number(r.ms),
            undo: Number(r.undo),
            redo: Number(r.redo),
          },
        }
      }
      const created = Number(r.created)
      const imported = Number(r.imported)
      const automatic = Number(r.automatic)
      return {
        keys,
        nameAt,
        sums: {
          objectsCreated: created,
          objectsUpdated: Number(r.updated),
          objectsDeleted: Number(r.deleted),
          manualObjectsCreated: created - imported - automatic,
          importedObjectsCreated: imported,
          automaticObjectsCreated: automatic,
        },
      }
    }),
    overflow: counted.o > request.maxGroups || counted.s > request.maxGroups,
  }
}

/** The same columns from both SELECTs (UNION ALL matches them by place): what one has not, 0. */
const NONE = 'toUInt64(0)'

/**
 * Objects per group from the trail rollup (one row per save request, scope and shape type). A
 * created object is imported or automatic when its request also logged `import:dataset` or
 * `call:function` (CVAT logs the objects an import or a model run creates under that request's
 * id); those requests are looked for a day either side of the range, among the events of the
 * same people, whatever jobs or scopes the filter names.
 */
function objectCountsSql(cube: Cube, request: ProductivityRequest): { sql: string; params: Params } {
  const { filter, groups } = request
  const keys = keySql(groups, 'objects')
  const objects = cube.source({
    filter: withScopes(filter, OBJECT_SCOPES),
    columns: [...new Set([...keys.columns, 'scope' as const, 'request_id' as const, 'cnt' as const])],
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
  return {
    sql: `SELECT 'o' AS part, ${[...keys.select, ''].join(', ')}
            sumIf(cnt, startsWith(scope, 'create:')) AS created,
            sumIf(cnt, startsWith(scope, 'update:')) AS updated,
            sumIf(cnt, startsWith(scope, 'delete:')) AS deleted,
            sumIf(cnt, startsWith(scope, 'create:') AND kind = 1) AS imported,
            sumIf(cnt, startsWith(scope, 'create:') AND kind = 2) AS automatic,
            ${NONE} AS ms, ${NONE} AS undo, ${NONE} AS redo
          FROM ${objects.sql} AS o
          LEFT JOIN (
            SELECT request_id, if(countIf(scope = '${IMPORT_SCOPE}') > 0, 1, 2) AS kind
            FROM ${requests.sql} WHERE request_id != '' GROUP BY request_id
          ) AS k USING (request_id)
          ${groupClause(keys.groupBy)}
          LIMIT {limit:UInt32}`,
    params: { ...objects.params, ...requests.params },
  }
}

/** CVAT's working time (when `withWorkingTime`) and undo/redo per group, from the cube. */
function storedCountsSql(
  cube: Cube,
  filter: AuthorizedFilter,
  groups: readonly ProductivityGroup[],
  withWorkingTime: boolean,
): { sql: string; params: Params } {
  const keys = keySql(groups, 'cube')
  const scopes = [...(withWorkingTime ? [WORKING_TIME_SCOPE] : []), UNDO_SCOPE, REDO_SCOPE]
  const from = cube.source({
    filter: withScopes(filter, scopes),
    columns: [...new Set([...keys.columns, 'scope' as const, 'dur_sum' as const, 'cnt' as const])],
    paramPrefix: 's_',
  })
  return {
    sql: `SELECT 's' AS part, ${[...keys.select, ''].join(', ')}
            ${NONE} AS created, ${NONE} AS updated, ${NONE} AS deleted, ${NONE} AS imported,
            ${NONE} AS automatic,
            sumIf(dur_sum, scope = '${WORKING_TIME_SCOPE}') AS ms,
            sumIf(cnt, scope = '${UNDO_SCOPE}') AS undo,
            sumIf(cnt, scope = '${REDO_SCOPE}') AS redo
          FROM ${from.sql}
          ${groupClause(keys.groupBy)}
          LIMIT {limit:UInt32}`,
    params: from.params,
  }
}

type Params = Record<string, unknown>

/** GROUP BY the keys; without keys, one row of totals only when there is something to total. */
export function groupClause(groupBy: readonly string[]): string {
  return groupBy.length > 0 ? `GROUP BY ${groupBy.join(', ')}` : 'HAVING count() > 0'
}
