import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql'
import { CloseCode, type OperationResult } from 'graphql-ws'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Authenticator } from '../auth/access.js'
import { accessOf, type Context } from '../context.js'
import type { RequestInfo } from '../domain/request-info.js'
import { originAllowed } from '../auth/csrf.js'
import type { FaultReporter } from '../observability/faults.js'
import type { Logger } from '../observability/logger.js'
import type { RequestRate } from '../auth/rate-limits.js'
import type { Yoga } from '../pipeline/yoga.js'
import type { LiveChannel } from '../live/subscriber.js'
import { operationInfo, webSocketRequestInfo } from './websocket-request-info.js'
import { webSocketContext } from './websocket-operation.js'

export interface WebSocketOptions {
  readonly yoga: Yoga
  readonly auth: Authenticator
  /** Where sockets are accepted: the GraphQL endpoint. */
  readonly path: string
  readonly trustProxy: boolean
  /** Ping interval; a client silent for as long is cut off; 0: no pings (LIVE_KEEPALIVE_MS). */
  readonly keepAliveMs: number
  /** Origins besides the service's own whose pages may open sockets (CORS_ORIGINS). */
  readonly allowedOrigins: readonly string[]
  readonly report: FaultReporter
  readonly log: Logger
  /** GraphQL operations per principal per minute (RATE_LIMIT_GRAPHQL), as over HTTP. */
  readonly rate?: RequestRate
}

/** The GraphQL WebSocket endpoint on the API's own HTTP server. */
export interface WebSocketEndpoint {
  /** Open sockets. */
  readonly size: number
  /** Stops accepting sockets and closes the open ones with 1001 (subscriptions end first: see the hub). */
  close(): Promise<void>
}

/** What graphql-ws's onSubscribe returns: yoga's own execute and subscribe travel as the root value. */
interface EnvelopedRoots {
  readonly execute: (args: ExecutionArgs) => OperationResult
  readonly subscribe: (args: ExecutionArgs) => OperationResult
}

/** yoga's pipeline for one operation (`getEnveloped`), typed as used here. */
interface Enveloped extends EnvelopedRoots {
  readonly schema: GraphQLSchema
  readonly parse: (source: string) => DocumentNode
  readonly validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[]
  readonly contextFactory: () => unknown
}

/**
 * GraphQL over WebSocket (graphql-ws's protocol, its `useServer` over `ws`) on the `/graphql`
 * path of the API's server. Each operation runs through yoga's own pipeline (`getEnveloped`:
 * the same plugins, limits, error masking and context factory as HTTP), its context built from a
 * RequestInfo of the upgrade request and connectionParams. Credentials are checked when the
 * client initialises the connection: refused ones close the socket with 4401 (unauthenticated)
 * or 4403 (forbidden) and the reason. Pages of other origins than the service's own and
 * CORS_ORIGINS may not open sockets (a browser would send them its cached credentials).
 */
export function attachWebSockets(server: Server, options: WebSocketOptions): WebSocketEndpoint {
  const { yoga, auth, report, log } = options
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 })
  const connections = new WeakMap<WebSocket, RequestInfo>()

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname !== options.path)
      return refuseUpgrade(socket, 404, `no WebSocket endpoint at ${url.pathname}`)
    if (!socketOriginAllowed(request, options.allowedOrigins)) {
      return refuseUpgrade(
        socket,
        403,
        `origin ${request.headers.origin} may not open sockets (CORS_ORIGINS)`,
      )
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request))
  }
  server.on('upgrade', onUpgrade)

  /** Closes a socket whose credentials were refused, with graphql-ws's code for the reason. */
  const refuse = (socket: WebSocket, error: unknown, requestId: string) => {
    const code = (error as { code?: unknown }).code
    const message = error instanceof Error ? error.message : String(error)
    if (code === 'UNAUTHENTICATED') socket.close(CloseCode.Unauthorized, closeReason(message))
    else if (code === 'FORBIDDEN') socket.close(CloseCode.Forbidden, closeReason(message))
    else {
      report(error, { where: 'websocket', requestId })
      socket.close(CloseCode.InternalServerError, 'internal error')
    }
  }

  const server_ = useServer<
    Record<string, unknown> | undefined,
    { socket: WebSocket; request: IncomingMessage }
  >(
    {
      onConnect: async (ctx) => {
        const info = webSocketRequestInfo(ctx.extra.request, ctx.connectionParams, options.trustProxy)
        try {
          await accessOf(auth, info)
        } catch (error) {
          refuse(ctx.extra.socket, error, info.requestId)
          return false
        }
        connections.set(ctx.extra.socket, info)
        return true
      },
      onSubscribe: async (ctx, _id, payload) => {
        const { socket } = ctx.extra
        const connection = connections.get(socket)
        if (!connection) return [new GraphQLError('the connection is not initialised')]
        const info = operationInfo(connection)
        const channel: LiveChannel = {
          transport: 'websocket',
          close: (code, reason) => socket.close(code, closeReason(reason)),
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped(
          webSocketContext({ info, channel }),
        ) as Enveloped
        let document: DocumentNode
        try {
          document = parse(payload.query)
        } catch (error) {
          if (error instanceof GraphQLError) return [error]
          throw error
        }
        const errors = validate(schema, document)
        if (errors.length > 0) return [...errors]
        let contextValue: unknown
        try {
          contextValue = await contextFactory()
        } catch (error) {
          // Credentials withdrawn since the connection opened: the socket goes, as at connect.
          refuse(socket, error, info.requestId)
          return [new GraphQLError('the connection is closed')]
        }
        try {
          await options.rate?.consume((contextValue as Context).access)
        } catch (error) {
          if (error instanceof GraphQLError) return [error] // 429 TOO_MANY_REQUESTS, with Retry-After
          throw error
        }
        const rootValue: EnvelopedRoots = { execute, subscribe }
        return {
          schema,
          document,
          operationName: payload.operationName ?? null,
          variableValues: payload.variables ?? null,
          contextValue,
          rootValue,
        }
      },
      execute: (args) => (args.rootValue as EnvelopedRoots).execute(args),
      subscribe: (args) => (args.rootValue as EnvelopedRoots).subscribe(args),
    },
    wss,
    options.keepAliveMs > 0 ? options.keepAliveMs : Infinity,
  )

  return {
    get size() {
      return wss.clients.size
    },
    async close() {
      server.off('upgrade', onUpgrade)
      const open = [...wss.clients]
      await server_.dispose() // closes each socket with 1001 and the server
      // Give clients a moment to answer the close handshake, then cut the rest off.
      const closed = open.map(
        (s) =>
          new Promise<void>((resolve) =>
            s.readyState === s.CLOSED ? resolve() : s.once('close', () => resolve()),
          ),
      )
      const timer = new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())
      await Promise.race([Promise.all(closed), timer])
      for (const socket of open) if (socket.readyState !== socket.CLOSED) socket.terminate()
      log.debug('websocket endpoint closed', { sockets: open.length })
    },
  }
}

/** A page's socket is allowed from the service's own origin, CORS_ORIGINS, or without an Origin (not a browser). */
function socketOriginAllowed(request: IncomingMessage, allowed: readonly string[]): boolean {
  const origin = request.headers.origin
  return origin === undefined || originAllowed(origin, request.headers.host ?? '', allowed)
}

function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const text = status === 404 ? 'Not Found' : 'Forbidden'
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
  )
}

/** A close reason within the 123 bytes a close frame allows, cut at a character boundary. */
export function closeReason(text: string): string {
  let reason = text
  while (Buffer.byteLength(reason) > 123) reason = reason.slice(0, -1)
  return reason
}
