import { stringify } from 'csv-stringify/sync'
import { authorize } from '../../auth/policy.js'
import { badInput, responseTooLarge } from '../../errors.js'
import { readCvatParams } from '../../export/cvat-params.js'
import { contentDisposition } from '../../export/filename.js'
import { withRange } from '../../domain/aggregation-input.js'
import { MS_PER_HOUR } from '../../domain/units.js'
import { WORKING_TIME_DIMENSIONS, type Store, type WorkingTimeDimension } from '../../store/index.js'
import type { Route } from './route.js'

/** More groups than this is a question for an export, not a spreadsheet. */
export const WORKING_TIME_CSV_MAX_ROWS = 1_000_000

/** Rows written out at a time, and measured against the answer's limit. */
const CHUNK_ROWS = 1_000

const TOO_LARGE_HINT = 'narrow the range or the filters, or group by fewer columns'

const ID_COLUMN: Record<WorkingTimeDimension, 'user_id' | 'project_id' | 'task_id' | 'job_id'> = {
  user: 'user_id',
  project: 'project_id',
  task: 'task_id',
  job: 'job_id',
}

/**
 * `GET /api/working-time.csv`: working time as a spreadsheet, for payroll and reviews. The export's
 * filters (`org_id, project_id, task_id, job_id, user_id, from, to`; without `from`, the week before
 * `to`), `group_by` (any of `user, project, task, job`, comma-separated or repeated; default all
 * four), the same access rules as every read. One row per group, largest first: the group's ids
 * (and the user's name), hours, milliseconds and actions (client events). The CSV is written out
 * before it is sent, a thousand rows at a time, and is RESPONSE_TOO_LARGE (400) as soon as it
 * passes `maxResponseBytes` (GRAPHQL_MAX_RESPONSE_BYTES).
 */
export function workingTimeCsvRoute(store: Store, maxResponseBytes: number): Route {
  return {
    method: 'GET',
    path: '/api/working-time.csv',
    async handle(ctx) {
      const access = await ctx.access()
      const params = ctx.url.searchParams
      const groupBy = readGroupBy(params)
      const { filter } = withRange(readCvatParams(params).request.filter, ctx.info.receivedAtMs)
      const rows = await store.analytics.workingTime(
        authorize(access, filter),
        groupBy,
        WORKING_TIME_CSV_MAX_ROWS + 1,
      )
      if (rows.length > WORKING_TIME_CSV_MAX_ROWS) {
        throw badInput(
          `more than ${WORKING_TIME_CSV_MAX_ROWS} groups; narrow the range or the filters, or group by fewer columns`,
          { field: 'group_by' },
        )
      }
      const columns = [
        ...groupBy.flatMap((d) => (d === 'user' ? ['user_id', 'user_name'] : [ID_COLUMN[d]])),
        'hours',
        'working_time_ms',
        'actions',
      ]
      const chunks: string[] = []
      let bytes = 0
      for (let start = 0; start === 0 || start < rows.length; start += CHUNK_ROWS) {
        const records = rows.slice(start, start + CHUNK_ROWS).map((row) => ({
          user_id: row.userId,
          user_name: row.userName,
          project_id: row.projectId,
          task_id: row.taskId,
          job_id: row.jobId,
          hours: (row.ms / MS_PER_HOUR).toFixed(4),
          working_time_ms: row.ms,
          actions: row.actions,
        }))
        const chunk = stringify(records, { header: start === 0, columns, record_delimiter: 'windows' })
        bytes += Buffer.byteLength(chunk)
        if (bytes > maxResponseBytes) throw responseTooLarge(maxResponseBytes, TOO_LARGE_HINT)
        chunks.push(chunk)
      }
      const stamp = new Date(ctx.info.receivedAtMs).toISOString().slice(0, 19).replace(/[-T:]/g, '_')
      // At most maxResponseBytes: sent as one body.
      return new Response(chunks.join(''), {
        status: 200,
        headers: {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': contentDisposition(`working_time_${stamp}.csv`),
          'Cache-Control': 'no-store',
        },
      })
    },
  }
}

function readGroupBy(params: URLSearchParams): WorkingTimeDimension[] {
  const asked = params
    .getAll('group_by')
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '')
  if (asked.length === 0) return [...WORKING_TIME_DIMENSIONS]
  for (const value of asked) {
    if (!(WORKING_TIME_DIMENSIONS as readonly string[]).includes(value)) {
      throw badInput(`group_by: '${value}' is not one of ${WORKING_TIME_DIMENSIONS.join(', ')}`, {
        field: 'group_by',
      })
    }
  }
  return WORKING_TIME_DIMENSIONS.filter((d) => asked.includes(d))
}
