import { AppError, badInput } from '../errors.js'
import { parseTimestamp, timeOffsetProblem } from '../ingest/timestamps.js'
import type { EventFilter } from '../domain/filter.js'
import { parseId } from '../domain/ids.js'
import { checkFilename } from './filename.js'
import { EXPORT_FORMATS, isExportFormat } from './formats.js'
import type { ExportRequest } from './record.js'

/** The query parameters of CVAT's export flow (docs/cvat-compatibility.md#export-flow), checked. */
export interface CvatExportParams {
  readonly request: ExportRequest
  /** `query_id` (or `rq_id`): the export to poll or download; null starts one. */
  readonly id: string | null
  readonly action: 'download' | null
}

/** CVAT's filter parameters and the columns they constrain. */
const ID_PARAMS = [
  ['org_id', 'orgIds'],
  ['project_id', 'projectIds'],
  ['task_id', 'taskIds'],
  ['job_id', 'jobIds'],
  ['user_id', 'userIds'],
] as const

/**
 * The sources CVAT's export writes (cvat/apps/events/export.py): rows of other sources (events a
 * host application sent us under another name) stay out of the REST flow's file, as in CVAT.
 */
export const CVAT_EXPORT_SOURCES: readonly string[] = ['client', 'server']

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Reads CVAT's parameters: `org_id, project_id, task_id, job_id, user_id` (one id each, or the
 * parameter repeated), `from` and `to` (ISO-8601), `filename`, `action` (`download`), the export's
 * id (`idParam`), and ours: `format` (`csv`, `jsonl`) and `include_exceptions` (`true`/`false`).
 * Each bad value is BAD_USER_INPUT (400) naming its parameter in `field`; a request to export to
 * cloud storage (`cloud_storage_id`, `location=cloud_storage`) is a CloudStorageRefused. Unknown parameters are ignored, as CVAT does. The filter keeps CVAT's
 * sources only (CVAT_EXPORT_SOURCES).
 */
export function readCvatParams(
  params: URLSearchParams,
  idParam: 'query_id' | 'rq_id' = 'query_id',
): CvatExportParams {
  refuseCloudStorage(params)
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = { sources: CVAT_EXPORT_SOURCES }
  for (const [param, key] of ID_PARAMS) {
    const values = params.getAll(param).filter((v) => v !== '')
    if (values.length > 0) filter[key] = values.map((value) => readId(param, value))
  }
  const from = readTime(params, 'from')
  const to = readTime(params, 'to')
  if (from !== undefined && to !== undefined && from > to) {
    throw badInput(`from: ${params.get('from')} is after to: ${params.get('to')}`, { field: 'from' })
  }
  if (from !== undefined) filter.from = from
  if (to !== undefined) filter.to = to

  const action = params.get('action') || null
  if (action !== null && action !== 'download') {
    throw badInput(`action: '${action}' is not an action; the only one is 'download'`, { field: 'action' })
  }
  const id = params.get(idParam) || null
  if (id !== null && !UUID.test(id)) throw badInput(`${idParam}: '${id}' is not a UUID`, { field: idParam })
  const format = params.get('format') || 'csv'
  if (!isExportFormat(format)) {
    throw badInput(`format: '${format}' is not one of ${EXPORT_FORMATS.join(', ')}`, { field: 'format' })
  }
  const filename = params.get('filename') || null
  return {
    request: {
      filter,
      format,
      includeExceptions: readBool(params, 'include_exceptions'),
      filename: filename === null ? null : checkFilename(filename),
    },
    id: id?.toLowerCase() ?? null,
    action,
  }
}

/**
 * A request to export to cloud storage, refused by both flows (400). CVAT's own text, which its old
 * flow answers (`GET /api/events`); its newer flow (`POST /api/events/export`) writes to the
 * bucket, which this service, having no cloud storage, cannot (see the list of differences). REST
 * answers it in CVAT's shape: a JSON list of the message, as DRF renders a ValidationError.
 */
export class CloudStorageRefused extends AppError {
  constructor(field: 'cloud_storage_id' | 'location') {
    super('BAD_USER_INPUT', 400, CLOUD_STORAGE_MESSAGE, { field })
  }
}

export const CLOUD_STORAGE_MESSAGE = 'This endpoint does not support exporting events to cloud storage'

/** `location=local` (CVAT's other location) is the default; cloud storage is refused. */
function refuseCloudStorage(params: URLSearchParams): void {
  if (params.get('cloud_storage_id')) throw new CloudStorageRefused('cloud_storage_id')
  const location = params.get('location')
  if (location === 'cloud_storage') throw new CloudStorageRefused('location')
  if (location && location !== 'local') {
    throw badInput(`location: '${location}' is not a location; the only one is 'local'`, {
      field: 'location',
    })
  }
}

function readId(param: string, value: string): string {
  const id = parseId(value)
  if (id === undefined) throw badInput(`${param}: '${value}' is not a valid id`, { field: param })
  return id
}

function readTime(params: URLSearchParams, param: 'from' | 'to'): number | undefined {
  const value = params.get(param)
  if (value === null || value === '') return undefined
  // A '+' of an offset left unencoded in a URL arrives as a space: "…T16:00:00 02:00".
  const text = value.replace(/(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$/, '$1+$2')
  const ms = parseTimestamp(/^\d{12,}$/.test(text) ? Number(text) : text)
  if (ms === undefined) {
    const offset = timeOffsetProblem(text)
    const why = offset ? `: ${offset}` : ' (e.g. 2024-05-22T16:00:00Z)'
    throw badInput(`${param}: '${value}' is not an ISO-8601 time${why}`, { field: param })
  }
  return ms
}

function readBool(params: URLSearchParams, param: string): boolean {
  const value = params.get(param)?.toLowerCase()
  if (value === undefined || value === '') return false
  if (['1', 'true', 'yes'].includes(value)) return true
  if (['0', 'false', 'no'].includes(value)) return false
  throw badInput(`${param}: '${value}' is neither true nor false`, { field: param })
}
