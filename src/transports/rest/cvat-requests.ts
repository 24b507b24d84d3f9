import { badInput, notFound } from '../../errors.js'
import { exportDownloadPath } from '../../export/filename.js'
import type { ExportView } from '../../export/record.js'
import type { ExportService } from '../../export/service.js'
import { publicUrl } from '../../pipeline/forwarded-prefix.js'
import { json } from './responses.js'
import type { Route } from './route.js'

/**
 * CVAT's requests API (cvat/apps/redis_handler: `RequestViewSet`, `RequestSerializer`) over this
 * service's exports, the only background requests it has: `GET /api/requests/{rq_id}` and the
 * caller's list, `GET /api/requests`, in CVAT's page (`{count, next, previous, results}`,
 * `page` and `page_size`, CVAT's filters and `sort`).
 */
export function cvatRequestRoutes(exports: ExportService): Route[] {
  const list: Route = {
    method: 'GET',
    path: '/api/requests',
    async handle(ctx) {
      const access = await ctx.access()
      const query = readListQuery(ctx.url.searchParams)
      const all = (await exports.list(access)).map((view) => cvatRequest(view, ctx.request))
      const kept = all.filter((r) => query.filters.every(([field, value]) => matches(r, field, value)))
      kept.sort(query.order)
      const size = query.pageSize ?? Math.max(1, kept.length)
      const pages = Math.max(1, Math.ceil(kept.length / size))
      const page = query.page === 'last' ? pages : query.page
      // DRF's PageNumberPagination: a page past the last (or not a number) is 404 "Invalid page."
      if (page === undefined || page > pages) return json(404, { detail: 'Invalid page.' })
      const link = (n: number) => {
        const url = new URL(ctx.url)
        if (n === 1) url.searchParams.delete('page')
        else url.searchParams.set('page', String(n))
        return publicUrl(ctx.request, `${url.pathname}${url.search}`)
      }
      return json(200, {
        count: kept.length,
        next: page < pages ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results: kept.slice((page - 1) * size, page * size),
      })
    },
  }

  /**
   * `GET /api/requests/{rq_id}`: the export's status in the shape of CVAT's requests API
   * (`status`: queued, started, finished, failed), with `result_url` once finished.
   */
  const status: Route = {
    method: 'GET',
    path: '/api/requests/{rq_id}',
    async handle(ctx) {
      const access = await ctx.access()
      const id = ctx.params.rq_id ?? ''
      const view = await exports.get(access, id)
      if (view.status === 'expired') throw notFound(`request ${view.id} expired; its file was deleted`)
      return json(200, cvatRequest(view, ctx.request))
    },
  }

  return [list, status]
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

const CVAT_STATUS = {
  queued: 'queued',
  running: 'started',
  done: 'finished',
  failed: 'failed',
  expired: 'failed',
} as const

/** One request as CVAT's RequestSerializer renders it, for an export (plus our rows and bytes written). */
export type CvatRequest = ReturnType<typeof cvatRequest>

/**
 * An export as CVAT renders a request: `operation` as CVAT's events export has it (`export:events`,
 * target `events`, no project, task or job: CVAT records none for events), with our format; the
 * request id is the export's id (what POST /api/events/export answered as `rq_id`).
 */
export function cvatRequest(view: ExportView, request: Request) {
  return {
    status: CVAT_STATUS[view.status],
    message: view.error ?? '',
    id: view.id,
    operation: {
      type: 'export:events',
      target: 'events',
      project_id: null,
      task_id: null,
      job_id: null,
      format: view.format.toUpperCase(),
      lightweight: null,
    },
    progress: view.status === 'done' ? 1 : view.rowsPlanned ? Math.min(1, view.rows / view.rowsPlanned) : 0,
    created_date: iso(view.createdAt),
    started_date: iso(view.startedAt),
    finished_date: iso(view.finishedAt),
    expiry_date: iso(view.expiresAt),
    owner: { id: Number(view.owner.userId), username: view.owner.username },
    result_url: view.status === 'done' ? publicUrl(request, exportDownloadPath(view.id)) : null,
    result_id: null,
    rows_written: view.rows,
    bytes_written: view.bytes,
  }
}

/** CVAT's simple filters of the list, and where each reads a request (`action`: the type's first half). */
const FILTERS: Readonly<Record<string, (r: CvatRequest) => string | number | null>> = {
  status: (r) => r.status,
  action: (r) => r.operation.type.split(':')[0] ?? null,
  target: (r) => r.operation.target,
  subresource: () => null,
  format: (r) => r.operation.format,
  project_id: (r) => r.operation.project_id,
  task_id: (r) => r.operation.task_id,
  job_id: (r) => r.operation.job_id,
}

/** CVAT's orderings (`sort`, `-` for descending); CVAT's default is newest first. */
const ORDERINGS: Readonly<Record<string, (r: CvatRequest) => string>> = {
  created_date: (r) => r.created_date ?? '',
  status: (r) => r.status,
  action: (r) => r.operation.type,
}

/** CVAT's page size when none is asked for (its REST_FRAMEWORK PAGE_SIZE). */
const PAGE_SIZE = 10

interface ListQuery {
  readonly filters: [string, string][]
  readonly order: (a: CvatRequest, b: CvatRequest) => number
  /** undefined: not a page number (404, as DRF). */
  readonly page: number | 'last' | undefined
  /** undefined: all of them (`page_size=all`). */
  readonly pageSize: number | undefined
}

/**
 * The list's parameters as CVAT reads them: `page` (a number, or `last`), `page_size` (a number,
 * or `all`; anything else is the default, as CVAT's CustomPagination), `sort` (comma-separated
 * fields), and CVAT's simple filters. Other parameters (`org`, the organization context) are not
 * filters here: a user's requests are listed whatever organization they are working in.
 */
function readListQuery(params: URLSearchParams): ListQuery {
  const pageText = params.get('page')
  const page = pageText === null || pageText === '' ? 1 : pageText === 'last' ? 'last' : Number(pageText)
  const sizeText = params.get('page_size')
  const size = sizeText === null ? NaN : Number(sizeText)
  const filters = Object.keys(FILTERS).flatMap((field): [string, string][] => {
    const value = params.get(field)
    return value === null || value === '' ? [] : [[field, value]]
  })
  return {
    filters,
    order: readSort(params.get('sort') || '-created_date'),
    page: page === 'last' || (Number.isSafeInteger(page) && page >= 1) ? page : undefined,
    pageSize: sizeText === 'all' ? undefined : Number.isSafeInteger(size) && size > 0 ? size : PAGE_SIZE,
  }
}

function readSort(text: string): ListQuery['order'] {
  const keys = text.split(',').map((part) => {
    const field = part.trim().replace(/^-/, '')
    const by = ORDERINGS[field]
    if (!by) {
      throw badInput(`sort: '${field}' is not one of ${Object.keys(ORDERINGS).join(', ')}`, { field: 'sort' })
    }
    return { by, sign: part.trim().startsWith('-') ? -1 : 1 }
  })
  return (a, b) => {
    for (const { by, sign } of keys) {
      const [x, y] = [by(a), by(b)]
      if (x !== y) return sign * (x < y ? -1 : 1)
    }
    return 0
  }
}

function matches(r: CvatRequest, field: string, value: string): boolean {
  const actual = FILTERS[field]?.(r)
  return actual !== null && actual !== undefined && String(actual) === value
}
