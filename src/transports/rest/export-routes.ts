import { Readable } from 'node:stream'
import type { Access } from '../../auth/principal.js'
import { badInput, notFound } from '../../errors.js'
import { CloudStorageRefused, readCvatParams } from '../../export/cvat-params.js'
import { contentDisposition, defaultFilename } from '../../export/filename.js'
import type { ExportView } from '../../export/record.js'
import { cvatRequestRoutes } from './cvat-requests.js'
import { json } from './responses.js'
import type { ExportService } from '../../export/service.js'
import type { Route, RouteContext } from './route.js'

/** CVAT's export flows over the export service (the routes below, in their order). */
export function exportRoutes(exports: ExportService): Route[] {
  /**
   * `GET /api/events`: CVAT's export flow (docs/cvat-compatibility.md#export-flow), to the status code.
   * - without `query_id`: starts the export (or joins the caller's identical one) → 202 `{"query_id"}`
   * - with `query_id`: 202 while it runs, 201 (empty) when the file is ready, 500 `{message}` if it failed
   * - with `query_id` and `action=download`: 200, the file as an attachment
   * Another user's export, or one that expired, is 404.
   */
  const exportEvents: Route = {
    method: 'GET',
    path: '/api/events',
    async handle(ctx) {
      const access = await ctx.access()
      const params = readCvatParams(ctx.url.searchParams, 'query_id')
      if (params.id === null) {
        const started = await exports.start(access, params.request)
        return json(202, { query_id: started.id })
      }
      const view = await exports.get(access, params.id)
      switch (view.status) {
        case 'queued':
        case 'running':
          return json(202, { query_id: view.id })
        case 'failed':
          return failed(view)
        case 'expired':
          throw notFound(`export ${view.id} expired; its file was deleted`)
        case 'done':
          if (params.action === 'download')
            return sendFile(exports, ctx, access, view.id, params.request.filename)
          return new Response(null, { status: 201, statusText: 'Created' })
      }
    },
  }

  /** `POST /api/events/export`: CVAT's newer flow; the same parameters → 202 `{"rq_id"}`. */
  const startExport: Route = {
    method: 'POST',
    path: '/api/events/export',
    async handle(ctx) {
      const access = await ctx.access()
      const params = readCvatParams(ctx.url.searchParams, 'rq_id')
      const started = await exports.start(access, params.request)
      return json(202, { rq_id: started.id })
    },
  }

  /** `GET /api/events/download?rq_id=…[&filename=…]`: the file of a finished export (`result_url`). */
  const downloadExport: Route = {
    method: 'GET',
    path: '/api/events/download',
    async handle(ctx) {
      const access = await ctx.access()
      const params = readCvatParams(ctx.url.searchParams, 'rq_id')
      if (params.id === null) {
        throw badInput('rq_id: required, the id POST /api/events/export answered', { field: 'rq_id' })
      }
      const view = await exports.get(access, params.id)
      if (view.status === 'failed') return failed(view)
      return sendFile(exports, ctx, access, view.id, params.request.filename)
    },
  }

  return [...[exportEvents, startExport, downloadExport].map(refusingAsCvat), ...cvatRequestRoutes(exports)]
}

/** A route whose refusal to export to cloud storage is answered in CVAT's shape (a JSON list of the message). */
function refusingAsCvat(route: Route): Route {
  return {
    ...route,
    async handle(ctx) {
      try {
        return await route.handle(ctx)
      } catch (error) {
        if (error instanceof CloudStorageRefused) return json(400, [error.message])
        throw error
      }
    },
  }
}

async function sendFile(
  exports: ExportService,
  ctx: RouteContext,
  access: Access,
  id: string,
  filename: string | null,
): Promise<Response> {
  const file = await exports.download(access, id)
  const name = filename ?? file.view.filename ?? defaultFilename(file.view.format, Date.now())
  const headers = {
    'Content-Type': file.contentType,
    'Content-Length': String(file.size),
    'Content-Disposition': contentDisposition(name),
    'Cache-Control': 'no-store',
  }
  if (ctx.request.method === 'HEAD') {
    file.body.destroy()
    return new Response(null, { status: 200, statusText: 'OK', headers })
  }
  return new Response(Readable.toWeb(file.body) as ReadableStream<Uint8Array>, {
    status: 200,
    statusText: 'OK',
    headers,
  })
}

/** CVAT answers a failed export with 500 and the error. */
function failed(view: ExportView): Response {
  return json(500, { message: view.error ?? 'the export failed', code: 'EXPORT_FAILED', query_id: view.id })
}
