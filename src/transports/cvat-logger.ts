import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServerAdapter } from '@whatwg-node/server'
import { badInput } from '../errors.js'
import type { FaultReporter } from '../observability/faults.js'
import type { LoggerBody, LoggerIngest } from '../ingest/logger-ingest.js'
import { parseJson, readBody } from './rest/body.js'
import { useClientAddress } from '../pipeline/client-address.js'
import { closeGracefully } from './graceful-close.js'
import { useRequestId } from '../pipeline/request-id.js'
import { requestInfoOf } from './request-info.js'
import { nodeListener } from './safety-net.js'
import { failureResponse, json } from './rest/responses.js'

export interface CvatLoggerOptions {
  readonly ingest: LoggerIngest
  /** MAX_BODY_BYTES; the listener takes at least what CVAT's transport may send (see below). */
  readonly maxBodyBytes: number
  readonly report: FaultReporter
}

/**
 * The most CVAT's transport puts in one request: python-logstash-async's `HttpTransport` splits
 * its queue into batches of at most `max_content_length` bytes (100 MiB unless configured, and
 * CVAT does not configure it) and drops single events larger than that. A smaller limit here
 * would refuse a batch CVAT can only re-send, forever (a `create:shapes` of a large import
 * carries every shape in its payload).
 */
export const CVAT_TRANSPORT_MAX_BYTES = 100 * 1024 * 1024

/**
 * A listener that speaks what CVAT's server logger sends to Vector: `POST /` with a JSON array of
 * flat events (python-logstash-async's `HttpTransport`, `Content-Type: application/json`, not
 * compressed), answered 200 whenever the body is a JSON array, whatever its events hold: events
 * that cannot be stored as they are go to the quarantine instead (LoggerIngest). A body that is
 * not JSON, or not an array (or one object) of events, is 400: CVAT never sends one. Pointing
 * CVAT's DJANGO_LOG_SERVER_HOST/PORT here replaces Vector. It has no authentication of its own
 * (CVAT's logger sends none), which is why it is off by default and binds to loopback unless told
 * otherwise. Requests are described, bodies read and errors answered as on the API.
 */
export function createCvatLoggerHandler(options: CvatLoggerOptions) {
  const maxBytes = Math.max(options.maxBodyBytes, CVAT_TRANSPORT_MAX_BYTES)
  return createServerAdapter(
    async (request: Request): Promise<Response> => {
      const info = requestInfoOf(request)
      try {
        if (request.method !== 'POST')
          return json(405, { message: 'only POST is accepted' }, { Allow: 'POST' })
        const result = await options.ingest.batch(loggerBody(await readBody(request, maxBytes)), {
          requestId: info.requestId,
          receivedAtMs: info.receivedAtMs,
        })
        return json(200, { stored: result.stored, quarantined: result.quarantined })
      } catch (error) {
        return failureResponse(error, options.report, { where: 'cvat-logger', requestId: info.requestId })
      }
    },
    { plugins: [useRequestId(), useClientAddress(false)] },
  )
}

/** Listens for CVAT's logger on `host:port` (0 picks a free port). */
export async function startCvatLoggerListener(
  options: CvatLoggerOptions,
  host: string,
  port: number,
): Promise<{ port: number; stop: (deadline?: number) => Promise<void> }> {
  const handler = createCvatLoggerHandler(options)
  const server = createServer(nodeListener(handler, options.report, 'cvat-logger'))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  return {
    port: (server.address() as AddressInfo).port,
    /** Stops accepting; batches in flight are answered until `deadline` (epoch ms; default: now). */
    stop: (deadline = Date.now()) => closeGracefully(server, deadline),
  }
}

/** The events of a body: a JSON array of them (what CVAT sends), or one event object. */
function loggerBody(bytes: Buffer): LoggerBody {
  const parsed = parseJson(bytes)
  if (Array.isArray(parsed)) return { bytes, items: parsed, isArray: true }
  if (parsed !== null && typeof parsed === 'object') return { bytes, items: [parsed], isArray: false }
  throw badInput('the body must be a JSON array of events (objects)', {
    errors: [{ field: 'body', message: 'not an array of objects' }],
  })
}
