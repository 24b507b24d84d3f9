import type { AuthorizedFilter } from '../domain/filter.js'
import { withScopes } from '../domain/filter.js'
import { JOB_UPDATE_SCOPE, WORKING_TIME_SCOPE } from '../domain/scopes.js'
import {
  buildJobFlow,
  FLOW_FIELDS,
  type FlowField,
  type JobFlow,
  type JobFlowEvent,
} from '../domain/job-flow.js'
import type { Engine } from './engine.js'
import { eventConditions } from './filter-sql.js'
import { peopleOf } from './productivity-keys.js'
import { TRAIL_SCOPES } from './rollups/catalog.js'
import type { Cube } from './rollups/cube.js'

/**
 * A flow's jobs lie scattered over the job trail (100 jobs at 10M events: ~200 ranges of granules,
 * ~90k rows of its 530k), fewer rows than the engine gives a second thread by default (163,840),
 * so `jobFlow(first: 100)` read on one. Only a scratch replay of the statement measured the gain
 * (stop 38's closing note); the dashboard's 200 jobs already read on two, and its panel in
 * bench:queries did not move.
 */
const SCATTERED_READ =
  'merge_tree_min_rows_for_concurrent_read = 4096, merge_tree_min_bytes_for_concurrent_read = 65536'

const FIELDS_SQL = `obj_name IN (${FLOW_FIELDS.map((f) => `'${f}'`).join(', ')})`

/**
 * The jobs whose stage, state or assignee changed in the filter's range (`update:job`), the most
 * recently changed first, each with its flow (domain/job-flow.ts) built from all of its events up
 * to `to`: a job's stage hours and cycle time need its history, not only the range.
 */
export async function jobFlows(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  toMs: number,
  limit: number,
): Promise<JobFlow[]> {
  const jobs = await engine.rows<{ job_id: string }>({
    name: 'productivity.job_flow_jobs',
    ...changedJobs(cube, withScopes(filter, [JOB_UPDATE_SCOPE]), limit),
  })
  const flows = await jobFlowsOf(
    engine,
    cube,
    filter,
    jobs.map((j) => j.job_id),
    toMs,
  )
  return jobs.flatMap((j) => flows.get(j.job_id) ?? [])
}

/**
 * The statement of the `limit` jobs changed last under `filter` (its scopes `update:job`). From
 * the job trail, which holds every job change with the columns a filter names, unless the filter
 * names what the trail does not keep (sources, exception groups) or the trail is being backfilled:
 * the trail rollup is sorted by time, and its hours hold every productivity event (an admin's
 * month at 10M events: 24 ms from the job trail, 43 from the trail rollup).
 */
function changedJobs(
  cube: Cube,
  filter: AuthorizedFilter,
  limit: number,
): { sql: string; params: Record<string, unknown> } {
  const trail = cube.jobTrail()
  if (trail !== null && !filter.sources?.length && !filter.exceptionGroups?.length) {
    const conditions = eventConditions(filter)
    return {
      sql: `SELECT job_id, max(toUnixTimestamp64Milli(timestamp)) AS latest FROM ${trail}
            WHERE ${conditions.sql} AND ${FIELDS_SQL}
            GROUP BY job_id ORDER BY latest DESC, job_id LIMIT {limit:UInt32}`,
      params: { ...conditions.params, limit },
    }
  }
  const changed = cube.source({
    filter,
    columns: ['job_id', 'obj_name', 'last_ms'],
    where: [
      { dims: ['obj_name'], sql: FIELDS_SQL },
      { dims: ['job_id'], sql: 'job_id IS NOT NULL' },
    ],
  })
  return {
    sql: `SELECT job_id, max(last_ms) AS latest FROM ${changed.sql}
          GROUP BY job_id ORDER BY latest DESC, job_id LIMIT {limit:UInt32}`,
    params: { ...changed.params, limit },
  }
}

interface TrailRow {
  job_id: string
  task_id: string | null
  project_id: string | null
  scope: string
  obj_name: string | null
  obj_id: string | null
  obj_val: string | null
  user_id: string | null
  request_id: string
  first_ms: string
  dur_sum: string
}

/**
 * The flows of the given jobs, from every event of theirs up to `toMs` that the filter's people
 * (the policy's organization and users) may see. Jobs without events are absent.
 */
export async function jobFlowsOf(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  jobIds: readonly string[],
  toMs: number,
): Promise<Map<string, JobFlow>> {
  if (jobIds.length === 0) return new Map()
  const history = historySource(cube, filter, toMs)
  // A flow needs each field change, the job's first event (its start, and its task and project),
  // and its working time per stage: the working-time events between two field changes fall in one
  // stage, so each such run is summed here into one row at its last event's place. The other
  // events (the saves, most of a job's trail) only start the job. `pos` is a row's place in the
  // job's history (its time, then its request and scope, as the flow takes them); `seg` the field
  // changes up to it.
  const rows = await engine.rows<TrailRow>({
    name: 'productivity.job_flow_events',
    sql: `SELECT e_job AS job_id, any(e_task) AS task_id, any(e_project) AS project_id,
            any(e_scope) AS scope, any(e_obj_name) AS obj_name, any(e_obj_id) AS obj_id,
            any(e_obj_val) AS obj_val, any(e_user) AS user_id, any(e_request) AS request_id,
            max(e_first_ms) AS first_ms, sum(e_dur) AS dur_sum
          FROM (
            SELECT job_id AS e_job, task_id AS e_task, project_id AS e_project, scope AS e_scope,
              obj_name AS e_obj_name, obj_id AS e_obj_id, obj_val AS e_obj_val, user_id AS e_user,
              request_id AS e_request, first_ms AS e_first_ms, dur_sum AS e_dur,
              row_number() OVER w AS pos,
              countIf(scope = '${JOB_UPDATE_SCOPE}') OVER w AS seg
            FROM ${history.sql}
            WHERE scope != '${JOB_UPDATE_SCOPE}' OR ${FIELDS_SQL}
            WINDOW w AS (PARTITION BY job_id ORDER BY first_ms, request_id, scope
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
          )
          WHERE pos = 1 OR e_scope IN ('${JOB_UPDATE_SCOPE}', '${WORKING_TIME_SCOPE}')
          GROUP BY e_job,
            if(pos > 1 AND e_scope = '${WORKING_TIME_SCOPE}', -toInt64(seg) - 1, toInt64(pos)) AS run
          ORDER BY e_job, max(pos)
          SETTINGS ${SCATTERED_READ}`,
    params: { ...history.params, jobs: jobIds.map((id) => BigInt(id)) },
  })
  const byJob = new Map<
    string,
    { ids: { taskId: string | null; projectId: string | null }; events: JobFlowEvent[] }
  >()
  for (const r of rows) {
    let job = byJob.get(r.job_id)
    if (!job) {
      job = { ids: { taskId: r.task_id, projectId: r.project_id }, events: [] }
      byJob.set(r.job_id, job)
    }
    job.events.push(toEvent(r))
  }
  return new Map(
    [...byJob].map(([jobId, { ids, events }]) => [jobId, buildJobFlow({ jobId, ...ids }, events, toMs)]),
  )
}

const HISTORY_COLUMNS = [
  'job_id',
  'task_id',
  'project_id',
  'scope',
  'obj_name',
  'obj_id',
  'obj_val',
  'user_id',
  'request_id',
  'first_ms',
  'dur_sum',
] as const

const JOBS = 'job_id IN {jobs:Array(UInt64)}'

/**
 * The events of the jobs (`{jobs}`) up to `toMs` that the filter's people may see, one row each
 * with HISTORY_COLUMNS: from the job trail, sorted by job, once it is complete; until then from
 * the trail rollup, which is sorted by time and so read from its first hour.
 */
function historySource(
  cube: Cube,
  filter: AuthorizedFilter,
  toMs: number,
): { sql: string; params: Record<string, unknown> } {
  const people = withScopes(peopleOf(filter, { to: toMs }), TRAIL_SCOPES)
  const trail = cube.jobTrail()
  if (trail === null) {
    return cube.source({ filter: people, columns: HISTORY_COLUMNS, where: [{ dims: ['job_id'], sql: JOBS }] })
  }
  const conditions = eventConditions(people)
  return {
    sql: `(SELECT job_id, task_id, project_id, scope, obj_name, obj_id, obj_val, user_id, request_id,
             toUnixTimestamp64Milli(timestamp) AS first_ms, toUInt64(duration) AS dur_sum
           FROM ${trail} WHERE ${conditions.sql} AND ${JOBS})`,
    params: conditions.params,
  }
}

/**
 * One event of a job's history. Every event is one literal of the same properties, in one order:
 * V8 builds `{ ...base, kind, … }` on a slow path (about 7 ms of a 200-job flow's 4,700 events).
 */
function toEvent(r: TrailRow): JobFlowEvent {
  const field = r.scope === JOB_UPDATE_SCOPE
  const working = r.scope === WORKING_TIME_SCOPE
  return {
    atMs: Number(r.first_ms),
    kind: field ? 'field' : working ? 'working_time' : 'other',
    field: field ? (r.obj_name as FlowField) : undefined,
    value: field ? r.obj_val : undefined,
    valueId: field ? r.obj_id : undefined,
    ms: working ? Number(r.dur_sum) : undefined,
    userId: r.user_id,
    requestId: r.request_id,
  }
}
