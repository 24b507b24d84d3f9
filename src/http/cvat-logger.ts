import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServerAdapter } from '@whatwg-node/server'
import { ingestRequestOf } from '../context.js'
import { badInput } from '../errors.js'
import type { Ingest } from '../ingest/service.js'
import type { FaultReporter } from '../faults.js'
import { parseJson, readBody } from './body.js'
import { useClientAddress } from './client-address.js'
import { closeGracefully } from './graceful-close.js'
import { rejectionError } from './rejection.js'
import { useRequestId } from './request-id.js'
import { requestInfoOf } from './request-info.js'
import { failureResponse, json } from './responses.js'

export interface CvatLoggerOptions {
  readonly ingest: Ingest
  /** MAX_BODY_BYTES. */
  readonly maxBodyBytes: number
  readonly report: FaultReporter
}

/**
 * A listener that speaks what CVAT's server logger sends to Vector: `POST /` with a JSON array of
 * events (objects, or JSON strings of them), answered 200. Pointing CVAT's
 * DJANGO_LOG_SERVER_HOST/PORT here replaces Vector. It has no authentication of its own (CVAT's
 * logger sends none), which is why it is off by default and binds to loopback unless told otherwise.
 * Requests are described, bodies read and errors answered as on the API.
 */
export function createCvatLoggerHandler(options: CvatLoggerOptions) {
  return createServerAdapter(
    async (request: Request): Promise<Response> => {
      const info = requestInfoOf(request)
      try {
        if (request.method !== 'POST')
          return json(405, { message: 'only POST is accepted' }, { Allow: 'POST' })
        const items = loggerItems(parseJson(await readBody(request, options.maxBodyBytes)))
        const result = await options.ingest.serverEvents(items, null, ingestRequestOf(info))
        if (!result.ok) throw rejectionError(result)
        return json(200, {})
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
  const server = createServer((req, res) => void handler(req, res))
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

/** A JSON array (or one object) of events; elements may be JSON text, as some log transports send. */
function loggerItems(parsed: unknown): unknown[] {
  if (parsed === null || typeof parsed !== 'object') {
    throw badInput('the body must be a JSON array of events', {
      errors: [{ field: 'body', message: 'not an array' }],
    })
  }
  const items: unknown[] = Array.isArray(parsed) ? parsed : [parsed]
  return items.map((item): unknown => {
    if (typeof item !== 'string') return item
    try {
      return JSON.parse(item)
    } catch {
      return item
    }
  })
}
