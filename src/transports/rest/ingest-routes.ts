import { ingestRequestOf } from '../../ingest/request-context.js'
import type { WriteOutcome } from '../../ingest/writer.js'
import type { Ingest } from '../../ingest/service.js'
import type { RequestRate } from '../../auth/rate-limits.js'
import { bodyKind, parseJson, parseNdjson, readBody } from './body.js'
import { rejectionError } from './rejection.js'
import { json, jsonText } from './responses.js'
import type { Route } from './route.js'

export interface IngestRouteOptions {
  readonly ingest: Ingest
  /** MAX_BODY_BYTES. */
  readonly maxBodyBytes: number
  /** GRAPHQL_MAX_RESPONSE_BYTES: an echo larger than this is answered in the minimal form. */
  readonly maxResponseBytes: number
  /** RATE_LIMIT_INGEST, per principal. */
  readonly rate: RequestRate
}

/** 201 when the events are in the store, 202 when they wait on the spool for it to come back. */
const statusOf = (outcome: WriteOutcome) => (outcome === 'stored' ? 201 : 202)

/**
 * `POST /api/events`: a CVAT client batch (docs/cvat-compatibility.md#client-batches), answered
 * as CVAT does with the validated batch.
 * `Prefer: return=minimal` (RFC 7240) answers `{"stored": n}` instead, sparing both sides the echo;
 * so does an echo larger than GRAPHQL_MAX_RESPONSE_BYTES (the events are stored: refusing the
 * answer would make the client send them again).
 * `POST /api/events/server`: full event rows from the host application, a JSON array or NDJSON.
 */
export function ingestRoutes({ ingest, maxBodyBytes, maxResponseBytes, rate }: IngestRouteOptions): Route[] {
  const clientEvents: Route = {
    method: 'POST',
    path: '/api/events',
    async handle(ctx) {
      const access = await ctx.access()
      await rate.consume(access)
      bodyKind(ctx.request, ['json'])
      const body = parseJson(await readBody(ctx.request, maxBodyBytes))
      const minimal = /\breturn=minimal\b/i.test(ctx.request.headers.get('prefer') ?? '')
      const result = await ingest.clientBatch(body, access, ingestRequestOf(ctx.info), { echo: !minimal })
      if (!result.ok) throw rejectionError(result)
      if (result.echo) {
        const echo = JSON.stringify(result.echo)
        if (Buffer.byteLength(echo) <= maxResponseBytes) return jsonText(statusOf(result.outcome), echo)
      }
      return json(
        statusOf(result.outcome),
        { [result.outcome]: result.written },
        minimal ? { 'Preference-Applied': 'return=minimal' } : {},
      )
    },
  }

  const serverEvents: Route = {
    method: 'POST',
    path: '/api/events/server',
    async handle(ctx) {
      const access = await ctx.access()
      await rate.consume(access)
      const kind = bodyKind(ctx.request, ['json', 'ndjson'])
      const raw = await readBody(ctx.request, maxBodyBytes)
      const parsed = kind === 'json' ? parseJson(raw) : parseNdjson(raw)
      const items = Array.isArray(parsed) ? parsed : [parsed]
      const result = await ingest.serverEvents(items, access, ingestRequestOf(ctx.info))
      if (!result.ok) throw rejectionError(result)
      return json(statusOf(result.outcome), { [result.outcome]: result.written })
    },
  }

  return [clientEvents, serverEvents]
}
