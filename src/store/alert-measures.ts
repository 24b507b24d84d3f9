import type { AuthorizedFilter } from '../domain/filter.js'
import type { Engine } from './engine.js'
import { eventConditions } from './filter-sql.js'
import type { Cube } from './rollups/cube.js'

/**
 * What alert rules measure (src/alerts/evaluate.ts), each read from the rollups where they hold
 * what it needs: counts of events from the cube (whole rollup cells inside the window, the raw
 * table at its edges), the last activity of jobs from the hourly rollup (it keeps jobs and last
 * times), and what no rollup keeps (exception groups, job states, the quarantine) from the raw
 * tables, narrowed by the same sort keys the dashboards use.
 */

/** Events matching the filter, within its `from` and `to` (both inclusive). */
export async function countAlertEvents(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
): Promise<number> {
  const from = cube.source({ filter, columns: ['n'] })
  const [row] = await engine.rows<{ n: string }>({
    name: 'alerts.count_events',
    sql: `SELECT sum(n) AS n FROM ${from.sql}`,
    params: from.params,
  })
  return Number(row?.n ?? 0)
}

/** An exception group whose first occurrence (within the filter) is recent. */
export interface NewExceptionGroup {
  readonly groupId: string
  readonly firstSeenMs: number
  readonly count: number
  /** The message of its first occurrence ('' without one). */
  readonly message: string
}

/**
 * Exception groups first seen within the filter's [from, to]: groups with occurrences in that
 * window and none matching the filter before it. `filter` keeps to send:exception (the caller
 * narrows it), so the exceptions' own table (a copy, once backfilled) answers.
 */
export async function newExceptionGroups(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  limit: number,
): Promise<NewExceptionGroup[]> {
  const table = cube.rawSource(filter)
  const { from, to, ...dims } = filter
  if (from === undefined || to === undefined)
    throw new Error('newExceptionGroups reads a window: from and to')
  const window = eventConditions(filter, 'w')
  const before = eventConditions({ ...dims, to }, 'a')
  const rows = await engine.rows<{ group_id: string; first_ms: string; n: string; message: string }>({
    name: 'alerts.new_exception_groups',
    sql: `SELECT exception_group AS group_id, toUnixTimestamp64Milli(min(timestamp)) AS first_ms, count() AS n,
            JSONExtractString(ifNull(argMin(payload, timestamp), ''), 'message') AS message
          FROM ${table}
          WHERE ${before.sql} AND exception_group IN (
            SELECT DISTINCT exception_group FROM ${table} WHERE ${window.sql} AND exception_group != '')
          GROUP BY exception_group
          HAVING first_ms >= {from:Int64}
          ORDER BY first_ms, group_id LIMIT {limit:UInt32}`,
    params: { ...window.params, ...before.params, from, limit },
  })
  return rows.map((r) => ({
    groupId: r.group_id,
    firstSeenMs: Number(r.first_ms),
    count: Number(r.n),
    message: r.message,
  }))
}

/** A job in progress without activity. */
export interface IdleJob {
  readonly jobId: string
  readonly taskId: string | null
  readonly projectId: string | null
  /** Its last event matching the filter, or when it was set in progress if later. */
  readonly lastActivityMs: number
}

/**
 * Jobs whose latest state (the `update:job` event of field `state`, CVAT's `obj_val`) since
 * `sinceMs` is 'in progress' and whose last activity is before `quietSinceMs`. The filter's
 * organization, project, task and job ids choose the jobs; all of it (users, scopes, sources…)
 * says which events are activity. Times up to `toMs` (inclusive).
 */
export async function idleJobs(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  times: { readonly sinceMs: number; readonly quietSinceMs: number; readonly toMs: number },
  limit: number,
): Promise<IdleJob[]> {
  // The jobs' own ids keep the policy's organization; a rule is evaluated with its organization's
  // view (src/alerts/evaluate.ts), where the policy adds no user constraint to drop here.
  const jobs = eventConditions(
    {
      orgIds: filter.orgIds,
      projectIds: filter.projectIds,
      taskIds: filter.taskIds,
      jobIds: filter.jobIds,
      from: times.sinceMs,
      to: times.toMs,
    } as AuthorizedFilter,
    'j',
  )
  const activity = cube.source({
    filter: { ...filter, from: times.sinceMs, to: times.toMs, hasJob: true },
    columns: ['job_id', 'last_ms'],
  })
  const rows = await engine.rows<{
    job_id: string
    task_id: string | null
    project_id: string | null
    last_ms: string
  }>({
    name: 'alerts.idle_jobs',
    // Aliases unlike the columns the conditions read (an alias would stand for its column there).
    sql: `SELECT toString(s.job_id) AS job_id, toString(s.job_task) AS task_id, toString(s.job_project) AS project_id,
            greatest(s.changed_ms, a.last_ms) AS last_ms
          FROM (
            SELECT job_id, argMax(obj_val, timestamp) AS state, toUnixTimestamp64Milli(max(timestamp)) AS changed_ms,
              any(task_id) AS job_task, any(project_id) AS job_project
            FROM ${engine.database}.events
            WHERE ${jobs.sql} AND scope = 'update:job' AND obj_name = 'state' AND job_id IS NOT NULL
            GROUP BY job_id
            HAVING state = 'in progress'
          ) AS s
          LEFT JOIN (
            SELECT job_id, max(last_ms) AS last_ms FROM ${activity.sql} GROUP BY job_id
          ) AS a ON a.job_id = s.job_id
          WHERE last_ms < {quiet:Int64}
          ORDER BY last_ms, job_id LIMIT {limit:UInt32}`,
    params: { ...jobs.params, ...activity.params, quiet: times.quietSinceMs, limit },
  })
  return rows.map((r) => ({
    jobId: r.job_id,
    taskId: r.task_id,
    projectId: r.project_id,
    lastActivityMs: Number(r.last_ms),
  }))
}

/** Events the CVAT-logger listener set aside in [fromMs, toMs]. */
export async function countQuarantined(engine: Engine, fromMs: number, toMs: number): Promise<number> {
  const [row] = await engine.rows<{ n: string }>({
    name: 'alerts.count_quarantined',
    sql: `SELECT count() AS n FROM ${engine.database}.events_quarantine
          WHERE received_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
            AND received_at <= fromUnixTimestamp64Milli({to:Int64}, 'UTC')`,
    params: { from: fromMs, to: toMs },
  })
  return Number(row?.n ?? 0)
}
