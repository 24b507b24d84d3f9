import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AppError, toAppError } from '../errors.js'
import type { Services } from '../services.js'

/**
 * A listener that speaks what CVAT's server logger sends to Vector: `POST /` with a JSON array of
 * events (objects, or JSON strings of them), answered 200. Pointing CVAT's
 * DJANGO_LOG_SERVER_HOST/PORT here replaces Vector. It has no authentication of its own (CVAT's
 * logger sends none), which is why it is off by default and binds to loopback unless told otherwise.
 */
export async function startCvatLoggerListener(
  services: Services,
  host: string,
  port: number,
): Promise<{ port: number; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    void handle(services, req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, resolve)
  })
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function handle(services: Services, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID()
  const answer = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'X-Request-Id': requestId })
    res.end(JSON.stringify(body))
  }
  try {
    if (req.method !== 'POST') return answer(405, { message: 'only POST is accepted' })
    const raw = await readAll(req, services.config.maxBodyBytes)
    const items = parseLoggerBody(raw)
    await services.ingest.serverEvents(items, null, {
      requestId,
      userAgent: req.headers['user-agent'] ?? null,
      remoteAddr: req.socket.remoteAddress ?? null,
      receivedAtMs: Date.now(),
    })
    answer(200, {})
  } catch (error) {
    const mapped = toAppError(error)
    if (mapped instanceof AppError) {
      const { code: _c, http: _h, ...details } = mapped.extensions as Record<string, unknown>
      return answer(mapped.status, { message: mapped.message, code: mapped.code, ...details })
    }
    services.log.error('cvat logger listener failed', { requestId, error })
    answer(500, { message: 'internal error' })
  }
}

function readAll(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBytes) {
        reject(new AppError('PAYLOAD_TOO_LARGE', 413, `the request body is larger than ${maxBytes} bytes`))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** A JSON array (or one object) of events; elements may be JSON text, as some log transports send. */
function parseLoggerBody(raw: Buffer): unknown[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(raw.toString('utf8'))
  } catch {
    throw new AppError('BAD_USER_INPUT', 400, 'the body is not valid JSON', {
      errors: [{ field: 'body', message: 'not valid JSON' }],
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
