import { stringify } from 'csv-stringify/sync'
import { authorize } from '../../auth/policy.js'
import { badInput, responseTooLarge } from '../../errors.js'
import { readCvatParams } from '../../export/cvat-params.js'
import { contentDisposition } from '../../export/filename.js'
import { withRange } from '../../domain/aggregation-input.js'
import type { AuthorizedFilter } from '../../domain/filter.js'
import type { JobFlow } from '../../domain/job-flow.js'
import {
  objectsPerHour,
  PRODUCTIVITY_GROUPS,
  reworkRatio,
  workingHours,
  type ProductivityGroup,
} from '../../domain/productivity.js'
import {
  checkGroups,
  checkOverflow,
  idleCutoffMs,
  MAX_PRODUCTIVITY_GROUPS,
} from '../../domain/productivity-input.js'
import { sortProductivityRows } from '../../domain/productivity-order.js'
import { MS_PER_HOUR } from '../../domain/units.js'
import type { Store } from '../../store/index.js'
import type { RouteContext, Route } from './route.js'

/** More jobs than this is a question for an export, not a spreadsheet. */
export const JOB_FLOW_CSV_MAX_JOBS = 10_000

/** Hours and ratios as spreadsheets want them: 3 decimals; empty when there is none. */
const decimals = (value: number | null) => (value === null ? '' : value.toFixed(3))
const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString())

/** The export's filters, read as for `GET /api/events`, within the caller's view; without `from`, the week before `to`. */
async function readFilter(
  ctx: RouteContext,
): Promise<{ filter: AuthorizedFilter; from: number; to: number }> {
  const access = await ctx.access()
  const { filter, range } = withRange(
    readCvatParams(ctx.url.searchParams).request.filter,
    ctx.info.receivedAtMs,
  )
  return { filter: authorize(access, filter), ...range }
}

/** Rows written out at a time, and measured against the answer's limit. */
const CHUNK_ROWS = 1_000

/**
 * The CSV of `records` (a header row, CRLF line ends), written out before it is sent, a thousand
 * rows at a time: RESPONSE_TOO_LARGE (400) as soon as it passes `maxBytes`
 * (GRAPHQL_MAX_RESPONSE_BYTES), as the working-time CSV.
 */
function csvResponse(
  records: readonly Record<string, unknown>[],
  columns: readonly string[],
  name: string,
  receivedAtMs: number,
  maxBytes: number,
): Response {
  const chunks: string[] = []
  let bytes = 0
  for (let start = 0; start === 0 || start < records.length; start += CHUNK_ROWS) {
    const chunk = stringify(records.slice(start, start + CHUNK_ROWS), {
      header: start === 0,
      columns: [...columns],
      record_delimiter: 'windows',
    })
    bytes += Buffer.byteLength(chunk)
    if (bytes > maxBytes)
      throw responseTooLarge(maxBytes, 'narrow the range or the filters, or group by fewer keys')
    chunks.push(chunk)
  }
  const stamp = new Date(receivedAtMs).toISOString().slice(0, 19).replace(/[-T:]/g, '_')
  // At most maxBytes: sent as one body.
  return new Response(chunks.join(''), {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': contentDisposition(`${name}_${stamp}.csv`),
      'Cache-Control': 'no-store',
    },
  })
}

/**
 * `GET /api/productivity.csv`: `Query.productivity` as a spreadsheet. The export's filters
 * (`org_id, project_id, task_id, job_id, user_id, from, to`), `group_by` (any of `user, project,
 * task, job, shape_type, day, week`, comma-separated or repeated; default `user`), `idle_seconds`
 * (10–3600, default 100: CVAT's stored working time); the access rules of every read. One row per
 * group in the API's order, every group (up to MAX_PRODUCTIVITY_GROUPS).
 */
export function productivityCsvRoute(store: Store, maxResponseBytes: number): Route {
  return {
    method: 'GET',
    path: '/api/productivity.csv',
    async handle(ctx) {
      const params = ctx.url.searchParams
      const groups = checkGroups(readGroupBy(params), 'group_by')
      const idleMs = idleCutoffMs(readIdleSeconds(params), 'idle_seconds')
      const { filter, from, to } = await readFilter(ctx)
      const answer = await store.productivity.rows({
        filter,
        from,
        to,
        groups,
        idleMs,
        maxGroups: MAX_PRODUCTIVITY_GROUPS,
      })
      checkOverflow(answer.overflow, 'group_by')
      const keyColumns = groups.flatMap((g) =>
        g === 'user'
          ? ['user_id', 'user_name']
          : g === 'shape_type'
            ? ['shape_type']
            : g === 'day' || g === 'week'
              ? [g]
              : [`${g}_id`],
      )
      const columns = [
        ...keyColumns,
        'objects_created',
        'objects_updated',
        'objects_deleted',
        'manual_objects_created',
        'imported_objects_created',
        'automatic_objects_created',
        'working_hours',
        'objects_per_hour',
        'undo',
        'redo',
        'rework_ratio',
      ]
      const records = sortProductivityRows(answer.rows, groups).map((row) => {
        const period = row.periodMs === null ? '' : iso(row.periodMs).slice(0, 10)
        return {
          user_id: row.userId,
          user_name: row.userName,
          project_id: row.projectId,
          task_id: row.taskId,
          job_id: row.jobId,
          shape_type: row.shapeType,
          day: period,
          week: period,
          objects_created: row.objectsCreated,
          objects_updated: row.objectsUpdated,
          objects_deleted: row.objectsDeleted,
          manual_objects_created: row.manualObjectsCreated,
          imported_objects_created: row.importedObjectsCreated,
          automatic_objects_created: row.automaticObjectsCreated,
          working_hours: decimals(workingHours(row)),
          objects_per_hour: decimals(objectsPerHour(row)),
          undo: row.undo,
          redo: row.redo,
          rework_ratio: decimals(reworkRatio(row)),
        }
      })
      return csvResponse(records, columns, 'productivity', ctx.info.receivedAtMs, maxResponseBytes)
    },
  }
}

/**
 * `GET /api/job-flow.csv`: `Query.jobFlow` as a spreadsheet: the jobs whose stage, state or
 * assignee changed in the range (the export's filters), most recently changed first, one row each
 * with its stage hours, rejections, acceptance and working time per stage (up to JOB_FLOW_CSV_MAX_JOBS).
 */
export function jobFlowCsvRoute(store: Store, maxResponseBytes: number): Route {
  return {
    method: 'GET',
    path: '/api/job-flow.csv',
    async handle(ctx) {
      const { filter, to } = await readFilter(ctx)
      const flows = await store.productivity.jobFlows(filter, to, JOB_FLOW_CSV_MAX_JOBS + 1)
      if (flows.length > JOB_FLOW_CSV_MAX_JOBS) {
        throw badInput(`more than ${JOB_FLOW_CSV_MAX_JOBS} jobs; narrow the range or the filters`, {
          field: 'from',
        })
      }
      return csvResponse(
        flows.map(jobFlowRecord),
        JOB_FLOW_COLUMNS,
        'job_flow',
        ctx.info.receivedAtMs,
        maxResponseBytes,
      )
    },
  }
}

const JOB_FLOW_COLUMNS = [
  'job_id',
  'task_id',
  'project_id',
  'stage',
  'state',
  'assignee_id',
  'hours_annotation',
  'hours_validation',
  'hours_acceptance',
  'hours_in_progress',
  'rejections',
  'first_validation_at',
  'accepted_at',
  'cycle_hours',
  'working_hours_annotation',
  'working_hours_validation',
  'working_hours_acceptance',
]

function jobFlowRecord(f: JobFlow): Record<string, string | number | null> {
  const hours = (ms: number | null) => decimals(ms === null ? null : ms / MS_PER_HOUR)
  return {
    job_id: f.jobId,
    task_id: f.taskId,
    project_id: f.projectId,
    stage: f.stage,
    state: f.state,
    assignee_id: f.assigneeId,
    hours_annotation: hours(f.msIn.annotation),
    hours_validation: hours(f.msIn.validation),
    hours_acceptance: hours(f.msIn.acceptance),
    hours_in_progress: hours(f.inProgressMs),
    rejections: f.rejections,
    first_validation_at: iso(f.firstValidationMs),
    accepted_at: iso(f.acceptedMs),
    cycle_hours: hours(f.cycleMs),
    working_hours_annotation: hours(f.workingMsIn.annotation),
    working_hours_validation: hours(f.workingMsIn.validation),
    working_hours_acceptance: hours(f.workingMsIn.acceptance),
  }
}

function readGroupBy(params: URLSearchParams): ProductivityGroup[] {
  const asked = params
    .getAll('group_by')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '')
  if (asked.length === 0) return ['user']
  for (const value of asked) {
    if (!(PRODUCTIVITY_GROUPS as readonly string[]).includes(value)) {
      throw badInput(`group_by: '${value}' is not one of ${PRODUCTIVITY_GROUPS.join(', ')}`, {
        field: 'group_by',
      })
    }
  }
  return asked as ProductivityGroup[]
}

function readIdleSeconds(params: URLSearchParams): number {
  const text = params.get('idle_seconds')
  if (text === null || text === '') return 100
  if (!/^\d+$/.test(text)) {
    throw badInput(`idle_seconds: '${text}' is not a whole number of seconds`, { field: 'idle_seconds' })
  }
  return Number(text)
}
