import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import type { Cube } from './rollups/cube.js'
import { WORKING_TIME_SCOPE } from '../domain/scopes.js'

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
export const ENTITY_COLUMN: Record<WorkingTimeDimension, 'user_id' | 'project_id' | 'task_id' | 'job_id'> = {
  user: 'user_id',
  project: 'project_id',
  task: 'task_id',
  job: 'job_id',
}

// Only the rows both sums read: the working-time events and the client's own events.
const RELEVANT = {
  dims: ['scope', 'source'] as const,
  sql: `scope = '${WORKING_TIME_SCOPE}' OR source = 'client'`,
}
const SUMS = `sumIf(dur_sum, scope = '${WORKING_TIME_SCOPE}') AS ms, sumIf(n, source = 'client') AS actions`

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
  cube: Cube,
  filter: AuthorizedFilter,
  dimensions: readonly WorkingTimeDimension[],
  limit: number,
): Promise<WorkingTimeRow[]> {
  const columns = WORKING_TIME_DIMENSIONS.filter((d) => dimensions.includes(d)).map((d) => ENTITY_COLUMN[d])
  const byUser = columns.includes('user_id')
  const from = cube.source({
    filter,
    columns: [
      ...columns,
      'scope',
      'source',
      'n',
      'dur_sum',
      ...(byUser ? (['user_name', 'last_ms'] as const) : []),
    ],
    where: [RELEVANT],
  })
  const select = [
    ...columns,
    ...(byUser ? ['argMax(user_name, last_ms) AS latest_user_name'] : []),
    SUMS,
  ].join(', ')
  const groupBy = columns.length > 0 ? `GROUP BY ${columns.join(', ')}` : ''
  const rows = await engine.rows<Row>({
    name: 'analytics.working_time',
    sql: `SELECT ${select} FROM ${from.sql}
          ${groupBy} ORDER BY ms DESC, actions DESC${columns.map((c) => `, ${c}`).join('')} LIMIT {limit:UInt32}`,
    params: { ...from.params, limit },
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
  cube: Cube,
  filter: AuthorizedFilter,
  kind: EntityKind,
  ids: readonly string[],
): Promise<Map<string, { ms: number; actions: number }>> {
  const column = ENTITY_COLUMN[kind]
  const from = cube.source({
    filter,
    columns: [column, 'scope', 'source', 'n', 'dur_sum'],
    where: [{ dims: [column], sql: `${column} IN {ids:Array(UInt64)}` }, RELEVANT],
  })
  const rows = await engine.rows<{ id: string; ms: string; actions: string }>({
    name: `analytics.working_time_by_${kind}`,
    sql: `SELECT ${column} AS id, ${SUMS} FROM ${from.sql} GROUP BY ${column}`,
    params: { ...from.params, ids: ids.map((id) => BigInt(id)) },
  })
  return new Map(rows.map((r) => [r.id, { ms: Number(r.ms), actions: Number(r.actions) }]))
}
