import type { AuthorizedFilter } from '../domain/filter.js'
import {
  IDLE_CUTOFFS_S,
  IDLE_GAP_EDGES_S,
  type IdleGapRow,
  type ProductivityGroup,
  type ProductivityKeys,
} from '../domain/productivity.js'
import { FRAME_CHANGE_SCOPE, HEARTBEAT_SCOPE } from '../domain/scopes.js'
import type { Engine } from './engine.js'
import { eventConditions } from './filter-sql.js'
import { keySql, keysOf, nameTimeOf, type KeyRow } from './productivity-keys.js'

/**
 * Working time recomputed from every client event and heartbeat, by CVAT's rule
 * (docs/cvat-compatibility.md#working-time) with another idle cutoff, per person across batches:
 * a person's events (within an organization) in time order, each gap since the end of the activity before it counted when
 * shorter than the cutoff, each `change:frame` extending the activity by its duration, the time
 * credited to the job, task and project of the event before. At 100 s and on batches that name
 * their previous event (as CVAT's UI does), this is the stored `send:working_time`.
 *
 * A gap before the range's first event is measured from the person's last event in the hour
 * before (the longest cutoff); heartbeats are read from rows up to an hour either side (a batch's
 * heartbeats ride on its rows, src/ingest/heartbeats.ts).
 */

/** Events this long before the range set where activity ended when the range starts. */
export const LOOKBACK_MS = 3_600_000
/** A batch's heartbeats ride on its rows: rows this far outside the range are read for them. */
const CARRY_MS = 3_600_000

export interface ActivityRequest {
  readonly filter: AuthorizedFilter
  readonly from: number
  readonly to: number
  readonly groups: readonly ProductivityGroup[]
  readonly maxGroups: number
}

interface Timeline {
  /** The subquery: one row per activity event, with `gap`, `ext`, `has_prev` and the context ids. */
  readonly sql: string
  readonly params: Record<string, unknown>
  /** Conditions on the credited events: in the range, in the filter's jobs. */
  readonly where: string
}

function timeline(db: string, request: Omit<ActivityRequest, 'groups' | 'maxGroups'>): Timeline {
  const { filter, from, to } = request
  const people = eventConditions(
    {
      ...(filter.orgIds ? { orgIds: filter.orgIds } : {}),
      ...(filter.userIds ? { userIds: filter.userIds } : {}),
      ...(filter.userNames ? { userNames: filter.userNames } : {}),
    } as AuthorizedFilter,
    'p',
  )
  // Which events count: the filter's scopes, sources, shape types and groups narrow them.
  const kinds = eventConditions(
    {
      ...(filter.scopes ? { scopes: filter.scopes } : {}),
      ...(filter.sources ? { sources: filter.sources } : {}),
      ...(filter.objNames ? { objNames: filter.objNames } : {}),
      ...(filter.exceptionGroups ? { exceptionGroups: filter.exceptionGroups } : {}),
    } as AuthorizedFilter,
    'k',
  )
  const admits = (list: readonly string[] | undefined, value: string) =>
    !list || list.length === 0 || list.includes(value)
  const heartbeats =
    admits(filter.scopes, HEARTBEAT_SCOPE) &&
    admits(filter.sources, 'client') &&
    !(filter.objNames?.length ?? 0) &&
    !(filter.exceptionGroups?.length ?? 0)
  const row = `(source = 'client' AND ${kinds.sql})`
  // (offset from the row's time, duration that counts, is a heartbeat)
  const events = `arrayConcat(
      if(${row}, [(toInt64(0), toInt64(if(scope = '${FRAME_CHANGE_SCOPE}', duration, 0)), 0)], []),
      ${heartbeats ? 'arrayMap(o -> (toInt64(o), toInt64(0), 1), heartbeats)' : '[]'})`
  // The credited events' context: the job, task and project of the event before.
  const where = ['ts >= {a_from:Int64}', 'ts <= {a_to:Int64}']
  const params: Record<string, unknown> = {
    ...people.params,
    ...kinds.params,
    a_read_from: from - LOOKBACK_MS - CARRY_MS,
    a_read_to: to + CARRY_MS,
    a_look_from: from - LOOKBACK_MS,
    a_from: from,
    a_to: to,
  }
  for (const [key, column] of [
    ['projectIds', 'ctx_project_id'],
    ['taskIds', 'ctx_task_id'],
    ['jobIds', 'ctx_job_id'],
  ] as const) {
    const ids = filter[key]
    if (!ids || ids.length === 0) continue
    where.push(`${column} IN {a_${key}:Array(UInt64)}`)
    params[`a_${key}`] = ids.map((id) => BigInt(id))
  }
  if (filter.hasJob !== undefined) where.push(`ctx_job_id IS ${filter.hasJob ? 'NOT ' : ''}NULL`)
  // Events of one millisecond in the order they were sent: ingest's event ids count up within a
  // millisecond (src/ingest/event-id.ts); a row's heartbeats after it.
  const order = 'PARTITION BY org_id, user_id ORDER BY ts, event_id, hb'
  const sql = `(
    SELECT org_id, user_id, user_name, ts,
      if(rn = 1, project_id, lag_project) AS ctx_project_id,
      if(rn = 1, task_id, lag_task) AS ctx_task_id,
      if(rn = 1, job_id, lag_job) AS ctx_job_id,
      -- A heartbeat kept twice (src/ingest/client-batch.ts) repeats the one before it: no gap of its own.
      rn > 1 AND NOT (hb = 1 AND lag_hb = 1 AND lag_ts = ts) AS has_prev,
      if(rn = 1, 0, greatest(ts - prev_end, 0)) AS gap,
      greatest(end_ms - if(rn = 1, ts, greatest(ts, prev_end)), 0) AS ext
    FROM (
      SELECT org_id, user_id, user_name, ts, end_ms, hb, event_id, project_id, task_id, job_id,
        row_number() OVER w AS rn,
        lagInFrame(ts) OVER w AS lag_ts,
        lagInFrame(hb) OVER w AS lag_hb,
        max(end_ms) OVER prior AS prev_end,
        lagInFrame(project_id) OVER w AS lag_project,
        lagInFrame(task_id) OVER w AS lag_task,
        lagInFrame(job_id) OVER w AS lag_job
      FROM (
        SELECT org_id, user_id, user_name, project_id, task_id, job_id, event_id,
          toUnixTimestamp64Milli(timestamp) + e.1 AS ts, ts + e.2 AS end_ms, e.3 AS hb
        FROM ${db}.events ARRAY JOIN ${events} AS e
        WHERE ${people.sql}
          AND timestamp >= fromUnixTimestamp64Milli({a_read_from:Int64}, 'UTC')
          AND timestamp <= fromUnixTimestamp64Milli({a_read_to:Int64}, 'UTC')
          AND (${row}${heartbeats ? ' OR notEmpty(heartbeats)' : ''})
      )
      WHERE ts >= {a_look_from:Int64} AND ts <= {a_to:Int64}
      WINDOW w AS (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
             prior AS (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
    )
  )`
  return { sql, params, where: where.join(' AND ') }
}

/** Working time per group at the cutoff `idleMs`, in milliseconds. */
export async function recomputedWorkingTime(
  engine: Engine,
  request: ActivityRequest & { readonly idleMs: number },
): Promise<{ rows: { keys: ProductivityKeys; ms: number; nameAt: number }[]; overflow: boolean }> {
  const keys = keySql(request.groups, 'activity')
  const source = timeline(engine.database, request)
  const rows = await engine.rows<KeyRow & { ms: string }>({
    name: 'productivity.recomputed_working_time',
    sql: `SELECT ${[...keys.select, ''].join(', ')} sum(if(gap < {a_idle:Int64}, gap, 0) + ext) AS ms
          FROM ${source.sql}
          WHERE ${source.where}
          ${keys.groupBy.length > 0 ? `GROUP BY ${keys.groupBy.join(', ')}` : 'HAVING count() > 0'}
          LIMIT {limit:UInt32}`,
    params: { ...source.params, a_idle: request.idleMs, limit: request.maxGroups + 1 },
  })
  return {
    overflow: rows.length > request.maxGroups,
    rows: rows
      .slice(0, request.maxGroups)
      .map((r) => ({ keys: keysOf(r), ms: Number(r.ms), nameAt: nameTimeOf(r) })),
  }
}

/**
 * The gaps between a person's consecutive client events per group, as a histogram (edges
 * IDLE_GAP_EDGES_S), and the working time at each of IDLE_CUTOFFS_S: where the time CVAT's
 * 100 s rule drops went. A gap is the time from the end of the activity before (a
 * `change:frame` lasts its duration) to the next event; events that overlap make gaps of 0.
 */
export async function idleGaps(
  engine: Engine,
  request: ActivityRequest,
): Promise<{ rows: IdleGapRow[]; overflow: boolean }> {
  const keys = keySql(request.groups, 'activity')
  const source = timeline(engine.database, request)
  const edges = IDLE_GAP_EDGES_S.map((s) => s * 1000)
  const buckets = edges.map((lower, i) => {
    const upper = edges[i + 1]
    const inBucket = `has_prev AND gap >= ${lower}${upper === undefined ? '' : ` AND gap < ${upper}`}`
    return `countIf(${inBucket}) AS gaps_${i}, sumIf(gap, ${inBucket}) AS ms_${i}`
  })
  const cutoffs = IDLE_CUTOFFS_S.map(
    (s, i) => `sum(ext) + sumIf(gap, has_prev AND gap < ${s * 1000}) AS at_${i}`,
  )
  const rows = await engine.rows<KeyRow & Record<string, string>>({
    name: 'productivity.idle_gaps',
    sql: `SELECT ${[...keys.select, ...buckets, ...cutoffs].join(', ')}
          FROM ${source.sql}
          WHERE ${source.where}
          ${keys.groupBy.length > 0 ? `GROUP BY ${keys.groupBy.join(', ')}` : 'HAVING count() > 0'}
          LIMIT {limit:UInt32}`,
    params: { ...source.params, limit: request.maxGroups + 1 },
  })
  return {
    overflow: rows.length > request.maxGroups,
    rows: rows.slice(0, request.maxGroups).map((r) => ({
      ...keysOf(r),
      buckets: IDLE_GAP_EDGES_S.map((fromSeconds, i) => ({
        fromSeconds,
        toSeconds: IDLE_GAP_EDGES_S[i + 1] ?? null,
        gaps: Number(r[`gaps_${i}`]),
        seconds: Number(r[`ms_${i}`]) / 1000,
      })),
      workingMsAt: IDLE_CUTOFFS_S.map((idleSeconds, i) => ({ idleSeconds, ms: Number(r[`at_${i}`]) })),
    })),
  }
}
