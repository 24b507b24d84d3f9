import { bodyKind, parseJson, parseNdjson, readBody } from './body.js'
import { json } from './responses.js'
import { accessOf, requestContextOf, type Route } from './route.js'

/** 201 when the events are in the store, 202 when they wait on the spool for it to come back. */
const statusOf = (outcome: 'stored' | 'spooled') => (outcome === 'stored' ? 201 : 202)

/**
 * `POST /api/events`: a CVAT client batch (spec §3), answered as CVAT does with the validated batch.
 * `Prefer: return=minimal` (RFC 7240) answers `{"stored": n}` instead, sparing both sides the echo.
 */
export const clientEventsRoute: Route = {
  method: 'POST',
  path: '/api/events',
  async handle(ctx) {
    const access = await accessOf(ctx)
    bodyKind(ctx.request, ['json'])
    const body = parseJson(await readBody(ctx.request, ctx.services.config.maxBodyBytes))
    const minimal = /\breturn=minimal\b/i.test(ctx.request.headers.get('prefer') ?? '')
    const result = await ctx.services.ingest.clientBatch(body, access, requestContextOf(ctx), {
      echo: !minimal,
    })
    if (result.echo) return json(statusOf(result.outcome), result.echo)
    return json(
      statusOf(result.outcome),
      { [result.outcome]: result.written },
      { 'Preference-Applied': 'return=minimal' },
    )
  },
}

/** `POST /api/events/server`: full event rows from the host application, a JSON array or NDJSON. */
export const serverEventsRoute: Route = {
  method: 'POST',
  path: '/api/events/server',
  async handle(ctx) {
    const access = await accessOf(ctx)
    const kind = bodyKind(ctx.request, ['json', 'ndjson'])
    const raw = await readBody(ctx.request, ctx.services.config.maxBodyBytes)
    const parsed = kind === 'json' ? parseJson(raw) : parseNdjson(raw)
    const items = Array.isArray(parsed) ? parsed : [parsed]
    const result = await ctx.services.ingest.serverEvents(items, access, requestContextOf(ctx))
    return json(statusOf(result.outcome), { [result.outcome]: result.written })
  },
}
