import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'

export const WORKING_TIME_DIMENSIONS = ['user', 'project', 'task', 'job'] as const
export type WorkingTimeDimension = (typeof WORKING_TIME_DIMENSIONS)[number]

/** Working time and actions of one group; ids are null when not grouped by them or absent. */
export interface WorkingTimeRow {
  readonly userId: string | null
  readonly userName: string | null
  readonly projectId: string | null
  readonly taskId: string | null
  readonly jobId: string | null
  /** Sum of the `send:working_time` durations: CVAT's working time, in milliseconds. */
  readonly ms: number
  /** Client events in the group: what the person did (CVAT's panel counted batches instead). */
  readonly actions: number
}

/** The column that holds each kind of entity's id. */
export const ENTITY_COLUMN: Record<WorkingTimeDimension, string> = {
  user: 'user_id',
  project: 'project_id',
  task: 'task_id',
  job: 'job_id',
}

// Only the rows both sums read: the working-time events and the client's own events.
const RELEVANT = "(scope = 'send:working_time' OR source = 'client')"
const SUMS = "sumIf(duration, scope = 'send:working_time') AS ms, countIf(source = 'client') AS actions"

interface Row {
  user_id?: string | null
  latest_user_name?: string | null
  project_id?: string | null
  task_id?: string | null
  job_id?: string | null
  ms: string
  actions: string
}

/**
 * Working time grouped by any of user, project, task and job (the Management dashboard's table).
 * Groups without a job (or task, project) are kept as their own rows, not dropped.
 */
export async function workingTimeBreakdown(
  engine: Engine,
  filter: AuthorizedFilter,
  dimensions: readonly WorkingTimeDimension[],
  limit: number,
): Promise<WorkingTimeRow[]> {
  const where = eventConditions(filter)
  const columns = WORKING_TIME_DIMENSIONS.filter((d) => dimensions.includes(d)).map((d) => ENTITY_COLUMN[d])
  const select = [
    ...columns,
    ...(columns.includes('user_id') ? ['argMax(user_name, timestamp) AS latest_user_name'] : []),
    SUMS,
  ].join(', ')
  const groupBy = columns.length > 0 ? `GROUP BY ${columns.join(', ')}` : ''
  const rows = await engine.rows<Row>({
    name: 'analytics.working_time',
    sql: `SELECT ${select} FROM ${engine.database}.events
          WHERE ${where.sql} AND ${RELEVANT}
          ${groupBy} ORDER BY ms DESC, actions DESC${columns.map((c) => `, ${c}`).join('')} LIMIT {limit:UInt32}`,
    params: { ...where.params, limit },
  })
  return rows
    .map((r) => ({
      userId: r.user_id ?? null,
      userName: r.latest_user_name ?? null,
      projectId: r.project_id ?? null,
      taskId: r.task_id ?? null,
      jobId: r.job_id ?? null,
      ms: Number(r.ms),
      actions: Number(r.actions),
    }))
    .filter((r) => columns.length > 0 || r.ms > 0 || r.actions > 0)
}

export type EntityKind = WorkingTimeDimension

/** Working time and actions for many entities of one kind in one query (the loaders batch here). */
export async function workingTimeTotals(
  engine: Engine,
  filter: AuthorizedFilter,
  kind: EntityKind,
  ids: readonly string[],
): Promise<Map<string, { ms: number; actions: number }>> {
  const where = eventConditions(filter)
  const column = ENTITY_COLUMN[kind]
  const rows = await engine.rows<{ id: string; ms: string; actions: string }>({
    name: `analytics.working_time_by_${kind}`,
    sql: `SELECT ${column} AS id, ${SUMS} FROM ${engine.database}.events
          WHERE ${where.sql} AND ${column} IN {ids:Array(UInt64)} AND ${RELEVANT}
          GROUP BY ${column}`,
    params: { ...where.params, ids: ids.map((id) => BigInt(id)) },
  })
  return new Map(rows.map((r) => [r.id, { ms: Number(r.ms), actions: Number(r.actions) }]))
}
