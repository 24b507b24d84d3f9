import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Socket } from 'node:net'
import type { AlertPayload } from '../../src/alerts/notification.js'

/** One POST a receiver got. */
export interface ReceivedHook {
  readonly headers: IncomingHttpHeaders
  readonly body: string
  readonly payload: AlertPayload
  /** The status it was answered with (null: left unanswered). */
  readonly answered: number | null
}

/**
 * A webhook receiver on a free port of 127.0.0.1, as a team would run one: it records every POST
 * and answers as told (a status, no answer at all, or a closed port).
 */
export interface WebhookReceiver {
  readonly url: string
  readonly received: readonly ReceivedHook[]
  /** Answers every later request with this status (and a Location, for redirects). @default 200 */
  answer(status: number, location?: string): void
  /** Leaves later requests unanswered until `release()`. */
  hang(): void
  release(): void
  /** Closes the port (connections refused) until `up()`. */
  down(): Promise<void>
  up(): Promise<void>
  /** Resolves with the `count`-th request (1-based) once it has arrived: no sleeping. */
  nth(count: number): Promise<ReceivedHook>
  close(): Promise<void>
}

export async function startWebhookReceiver(path = '/hook'): Promise<WebhookReceiver> {
  const received: ReceivedHook[] = []
  const waiters: { count: number; resolve: (hook: ReceivedHook) => void }[] = []
  const held: ServerResponse[] = []
  const sockets = new Set<Socket>()
  let status = 200
  let location: string | undefined
  let hanging = false
  let server: Server | undefined
  let port = 0

  const listen = async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        const hook: ReceivedHook = {
          headers: req.headers,
          body,
          payload: JSON.parse(body) as AlertPayload,
          answered: hanging ? null : status,
        }
        received.push(hook)
        for (const waiter of waiters.filter((w) => w.count === received.length)) waiter.resolve(hook)
        if (hanging) {
          held.push(res)
          return
        }
        res.writeHead(status, location ? { Location: location } : {})
        res.end('ok')
      })
    })
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject)
      server?.listen(port, '127.0.0.1', resolve)
    })
    port = (server.address() as AddressInfo).port
  }
  const stop = async () => {
    if (!server) return
    const closing = new Promise<void>((resolve) => server?.close(() => resolve()))
    for (const socket of sockets) socket.destroy()
    await closing
    server = undefined
  }
  await listen()

  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answer(next, to) {
      status = next
      location = to
    },
    hang() {
      hanging = true
    },
    release() {
      hanging = false
      for (const res of held.splice(0)) res.writeHead(200).end('late')
    },
    down: stop,
    up: listen,
    nth(count) {
      const hook = received[count - 1]
      if (hook) return Promise.resolve(hook)
      return new Promise((resolve) => waiters.push({ count, resolve }))
    },
    async close() {
      for (const res of held.splice(0)) res.destroy()
      await stop()
    },
  }
}

/**
 * Checks `X-Signature-256` as a receiver of CVAT's webhooks does: HMAC-SHA256 of the raw body with
 * the shared secret, hex, after `sha256=`, compared in constant time.
 */
export function signatureIsValid(hook: Pick<ReceivedHook, 'headers' | 'body'>, secret: string): boolean {
  const header = hook.headers['x-signature-256']
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false
  const expected = createHmac('sha256', secret).update(hook.body).digest()
  const given = Buffer.from(header.slice('sha256='.length), 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
