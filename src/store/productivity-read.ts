import type { AuthorizedFilter } from '../domain/filter.js'
import { withScopes } from '../domain/filter.js'
import type { ProductivityGroup, ProductivityKeys, ProductivityRow } from '../domain/productivity.js'
import type { Engine } from './engine.js'
import { keyOf, keySql, keysOf, peopleOf, type KeyRow } from './productivity-keys.js'
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
  const [objects, stored, recomputed] = await Promise.all([
    objectCounts(engine, cube, request),
    storedCounts(engine, cube, filter, groups, request.idleMs === null, maxGroups),
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
  const rows = new Map<string, MutableRow>()
  const merge = (keys: ProductivityKeys, sums: Partial<Sums>) => {
    const key = keyOf(keys)
    let row = rows.get(key)
    if (!row) {
      row = newRow(keys)
      rows.set(key, row)
    } else if (row.userName === null) {
      row.userName = keys.userName
    }
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
  for (const r of objects.rows) merge(r.keys, r.sums)
  for (const r of stored.rows) merge(r.keys, r.sums)
  for (const r of recomputed?.rows ?? []) merge(r.keys, { workingMs: r.ms })
  return {
    rows: [...rows.values()],
    overflow: objects.overflow || stored.overflow || (recomputed?.overflow ?? false),
  }
}

interface Part<T> {
  readonly rows: { keys: ProductivityKeys; sums: T }[]
  readonly overflow: boolean
}

interface ObjectRow extends KeyRow {
  created: string
  updated: string
  deleted: string
  imported: string
  automatic: string
}

/**
 * Objects per group from the trail rollup (one row per save request, scope and shape type). A
 * created object is imported or automatic when its request also logged `import:dataset` or
 * `call:function` (CVAT logs the objects an import or a model run creates under that request's
 * id); those requests are looked for a day either side of the range, among the events of the
 * same people, whatever jobs or scopes the filter names.
 */
async function objectCounts(
  engine: Engine,
  cube: Cube,
  request: ProductivityRequest,
): Promise<Part<Partial<Sums>>> {
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
  const rows = await engine.rows<ObjectRow>({
    name: 'productivity.objects',
    sql: `SELECT ${[...keys.select, ''].join(', ')}
            sumIf(cnt, startsWith(scope, 'create:')) AS created,
            sumIf(cnt, startsWith(scope, 'update:')) AS updated,
            sumIf(cnt, startsWith(scope, 'delete:')) AS deleted,
            sumIf(cnt, startsWith(scope, 'create:') AND kind = 1) AS imported,
            sumIf(cnt, startsWith(scope, 'create:') AND kind = 2) AS automatic
          FROM ${objects.sql} AS o
          LEFT JOIN (
            SELECT request_id, if(countIf(scope = '${IMPORT_SCOPE}') > 0, 1, 2) AS kind
            FROM ${requests.sql} WHERE request_id != '' GROUP BY request_id
          ) AS k USING (request_id)
          ${groupClause(keys.groupBy)}
          LIMIT {limit:UInt32}`,
    params: { ...objects.params, ...requests.params, limit: request.maxGroups + 1 },
  })
  return {
    overflow: rows.length > request.maxGroups,
    rows: rows.map((r) => {
      const created = Number(r.created)
      const imported = Number(r.imported)
      const automatic = Number(r.automatic)
      return {
        keys: keysOf(r),
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
  }
}

interface StoredRow extends KeyRow {
  ms: string
  undo: string
  redo: string
}

/** CVAT's working time (when `withWorkingTime`) and undo/redo per group, from the cube. */
async function storedCounts(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  groups: readonly ProductivityGroup[],
  withWorkingTime: boolean,
  maxGroups: number,
): Promise<Part<Partial<Sums>>> {
  const keys = keySql(groups, 'cube')
  const scopes = [...(withWorkingTime ? [WORKING_TIME_SCOPE] : []), UNDO_SCOPE, REDO_SCOPE]
  const from = cube.source({
    filter: withScopes(filter, scopes),
    columns: [...new Set([...keys.columns, 'scope' as const, 'dur_sum' as const, 'cnt' as const])],
  })
  const rows = await engine.rows<StoredRow>({
    name: 'productivity.working_time',
    sql: `SELECT ${[...keys.select, ''].join(', ')}
            sumIf(dur_sum, scope = '${WORKING_TIME_SCOPE}') AS ms,
            sumIf(cnt, scope = '${UNDO_SCOPE}') AS undo,
            sumIf(cnt, scope = '${REDO_SCOPE}') AS redo
          FROM ${from.sql}
          ${groupClause(keys.groupBy)}
          LIMIT {limit:UInt32}`,
    params: { ...from.params, limit: maxGroups + 1 },
  })
  return {
    overflow: rows.length > maxGroups,
    rows: rows.map((r) => ({
      keys: keysOf(r),
      sums: {
        ...(withWorkingTime ? { workingMs: Number(r.ms) } : {}),
        undo: Number(r.undo),
        redo: Number(r.redo),
      },
    })),
  }
}

/** GROUP BY the keys; without keys, one row of totals only when there is something to total. */
export function groupClause(groupBy: readonly string[]): string {
  return groupBy.length > 0 ? `GROUP BY ${groupBy.join(', ')}` : 'HAVING count() > 0'
}
