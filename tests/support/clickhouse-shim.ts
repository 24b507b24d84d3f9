import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Session } from 'chdb'

/**
 * How the endpoint fails on demand:
 * - `refuse`: the port is closed (refused connections, reset sockets), as a server that is down
 * - `hang`: requests are read and then left unanswered until `restore()`, which runs them after
 *   all, as a server that stalls and then catches up: an insert the client gave up on lands late
 * - `fail`: every request is answered 5xx, by ClickHouse itself (`clickhouse`: an overloaded
 *   server's TOO_MANY_SIMULTANEOUS_QUERIES) or by a proxy in front of it (`proxy`: 503 HTML)
 */
export type OutageKind = 'refuse' | 'hang' | 'fail'

export interface ShimOptions {
  /** The version `SELECT version()` answers (a server too old for our SQL). @default chDB's own */
  readonly version?: string
  /** Users and their passwords; unset: anyone is let in. A wrong one is AUTHENTICATION_FAILED. */
  readonly users?: Readonly<Record<string, string>>
  /** The port to listen on. @default a free one */
  readonly port?: number
}

/**
 * A ClickHouse HTTP endpoint backed by chDB, for tests of the CLICKHOUSE_URL path: the service
 * talks to it with @clickhouse/client over real HTTP, while the data lands in a real engine.
 * Outages on demand (`outage`/`restore`, or `stop`/`start` for refused connections) keep the
 * data: the "server" comes back with it.
 */
export interface ClickHouseShim {
  readonly url: string
  readonly port: number
  stop(): Promise<void>
  start(): Promise<void>
  /** Starts an outage of that kind (see OutageKind); `restore()` ends it. */
  outage(kind: OutageKind, options?: { as?: 'clickhouse' | 'proxy' }): Promise<void>
  /** Ends the outage: the port listens again, held requests run, answers are normal. */
  restore(): Promise<void>
  /** Requests answered so far, by the name in their query_id (`events.insert`, `migrate.version`…). */
  readonly requests: ReadonlyMap<string, number>
  /** Requests held by a `hang` outage now, by the name in their query_id: they have arrived. */
  readonly holding: ReadonlyMap<string, number>
  /** Requests received and not yet answered (held ones included): 0 once every write has landed. */
  readonly inFlight: number
  /**
   * Makes statements whose query_id matches `pattern` take `ms` longer, as a slow server would;
   * past the statement's max_execution_time it answers ClickHouse's TIMEOUT_EXCEEDED, as a server does.
   * Another call for the same pattern replaces the delay; 0 removes it.
   */
  slowDown(pattern: RegExp, ms: number): void
  /**
   * Holds statements whose query_id matches `pattern`, after the first `skip` of them, unrun until
   * the returned release is called (they then run, in order of arrival); while held they count in
   * `holding`. Other statements go on meanwhile: a step of the service's own work paused exactly there.
   */
  hold(pattern: RegExp, options?: { skip?: number }): () => void
  /** Runs SQL on the engine directly (for assertions), returning JSONEachRow rows. */
  query<T>(sql: string): Promise<T[]>
  close(): Promise<void>
}

// Settings that only mean something to ClickHouse's HTTP layer.
const HTTP_ONLY = new Set([
  'wait_end_of_query',
  'enable_http_compression',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'default_format',
])
const NOT_SETTINGS = new Set(['query_id', 'database', 'query', 'session_id', 'role'])

/** Statements held by `hold` until released. */
interface Gate {
  readonly pattern: RegExp
  skip: number
  readonly open: Promise<void>
}

interface ShimState {
  readonly session: Session
  readonly delays: { pattern: RegExp; ms: number }[]
  readonly gates: Gate[]
  readonly options: ShimOptions
  readonly requests: Map<string, number>
  readonly holding: Map<string, number>
  inFlight: number
  failing: 'clickhouse' | 'proxy' | undefined
  /** While hanging: resolves at restore. */
  held: Promise<void> | undefined
  release: () => void
}

export async function startClickHouseShim(
  dataPath: string,
  options: ShimOptions = {},
): Promise<ClickHouseShim> {
  const state: ShimState = {
    session: new Session(dataPath),
    delays: [],
    gates: [],
    options,
    requests: new Map(),
    holding: new Map(),
    inFlight: 0,
    failing: undefined,
    held: undefined,
    release: () => {},
  }
  const { session, delays } = state
  let server: Server | undefined
  let port = options.port ?? 0

  const listen = async () => {
    if (server) return
    server = createServer((req, res) => void handle(state, req, res))
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject)
      server?.listen(port, '127.0.0.1', resolve)
    })
    port = (server.address() as AddressInfo).port
  }
  const stop = async () => {
    if (!server) return
    const closing = new Promise<void>((resolve) => server?.close(() => resolve()))
    server.closeAllConnections()
    await closing
    server = undefined
  }
  await listen()

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stop,
    start: listen,
    requests: state.requests,
    holding: state.holding,
    get inFlight() {
      return state.inFlight
    },
    async outage(kind, how = {}) {
      if (kind === 'refuse') return stop()
      if (kind === 'fail') state.failing = how.as ?? 'clickhouse'
      if (kind === 'hang') state.held ??= new Promise<void>((resolve) => (state.release = resolve))
    },
    async restore() {
      state.failing = undefined
      state.held = undefined
      state.release()
      await listen()
    },
    slowDown(pattern, ms) {
      // A new delay for the same pattern replaces the old one; 0 removes it.
      const kept = delays.filter((d) => d.pattern.source !== pattern.source)
      delays.splice(0, delays.length, ...kept, ...(ms > 0 ? [{ pattern, ms }] : []))
    },
    hold(pattern, { skip = 0 } = {}) {
      let release = () => {}
      const open = new Promise<void>((resolve) => (release = resolve))
      const gate: Gate = { pattern, skip, open }
      state.gates.push(gate)
      return () => {
        const at = state.gates.indexOf(gate)
        if (at >= 0) state.gates.splice(at, 1)
        release()
      }
    },
    async query<T>(sql: string) {
      const text = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text()
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as T)
    },
    async close() {
      state.release()
      await stop()
      session.close()
    },
  }
}

async function handle(state: ShimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  state.inFlight += 1
  try {
    await answer(state, req, res)
  } finally {
    state.inFlight -= 1
  }
}

async function answer(state: ShimState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { session, delays } = state
  const url = new URL(req.url ?? '/', 'http://shim')
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  if (state.held) {
    const held = /^aa:([^:]+):/.exec(url.searchParams.get('query_id') ?? '')?.[1] ?? 'other'
    state.holding.set(held, (state.holding.get(held) ?? 0) + 1)
    await state.held
    state.holding.set(held, (state.holding.get(held) ?? 1) - 1)
  }
  const queryId = url.searchParams.get('query_id') ?? ''
  const gate = state.gates.find((g) => g.pattern.test(queryId))
  if (gate && gate.skip-- <= 0) {
    const held = /^aa:([^:]+):/.exec(queryId)?.[1] ?? 'other'
    state.holding.set(held, (state.holding.get(held) ?? 0) + 1)
    await gate.open
    state.holding.set(held, (state.holding.get(held) ?? 1) - 1)
  }
  if (state.failing) return answerFailure(state.failing, res)
  if (url.pathname === '/ping') {
    res.end('Ok.\n')
    return
  }
  if (!authorized(state.options, req)) {
    res.writeHead(401, { 'X-ClickHouse-Exception-Code': '516' })
    res.end(
      `Code: 516. DB::Exception: ${userOf(req)}: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)`,
    )
    return
  }
  const body = Buffer.concat(chunks).toString('utf8')
  const statements: string[] = []
  for (const [key, value] of url.searchParams) {
    if (key.startsWith('param_')) statements.push(`SET ${key} = ${literal(value)}`)
    else if (!NOT_SETTINGS.has(key) && !HTTP_ONLY.has(key)) statements.push(`SET ${key} = ${literal(value)}`)
  }
  const query = url.searchParams.get('query')
  const given = query ? `${query}${body ? `\n${body}` : ''}` : body
  const sql = state.options.version ? given.replace(/\bversion\(\)/g, `'${state.options.version}'`) : given
  const name = /^aa:([^:]+):/.exec(queryId)?.[1] ?? 'other'
  state.requests.set(name, (state.requests.get(name) ?? 0) + 1)
  const delay = delays.find((d) => d.pattern.test(queryId))?.ms ?? 0
  const limitMs = Number(url.searchParams.get('max_execution_time') ?? 0) * 1000
  if (delay > 0)
    await new Promise((resolve) => setTimeout(resolve, limitMs > 0 ? Math.min(delay, limitMs) : delay))
  if (limitMs > 0 && delay > limitMs) {
    res.writeHead(500, { 'X-ClickHouse-Exception-Code': '159', 'X-ClickHouse-Query-Id': queryId })
    res.end(
      `Code: 159. DB::Exception: Timeout exceeded: elapsed ${limitMs} ms, maximum: ${limitMs} ms. (TIMEOUT_EXCEEDED)`,
    )
    return
  }
  try {
    const result = await session.queryAsync([...statements, sql].join(';\n'), { format: 'TabSeparated' })
    res.writeHead(200, {
      'X-ClickHouse-Query-Id': queryId,
      'X-ClickHouse-Summary': JSON.stringify({
        read_rows: '0',
        read_bytes: '0',
        written_rows: '0',
        written_bytes: '0',
      }),
    })
    res.end(Buffer.from(result.bytes()))
  } catch (error) {
    const code = (error as { clickhouseCode?: number }).clickhouseCode ?? 1000
    const message = (error as Error).message
    res.writeHead(500, { 'X-ClickHouse-Exception-Code': String(code), 'X-ClickHouse-Query-Id': queryId })
    res.end(message.startsWith('Code:') ? message : `Code: ${code}. DB::Exception: ${message}`)
  }
}

/** What an overloaded ClickHouse, or a proxy whose ClickHouse is away, answers. */
function answerFailure(as: 'clickhouse' | 'proxy', res: ServerResponse): void {
  if (as === 'proxy') {
    res.writeHead(503, { 'Content-Type': 'text/html' })
    res.end(
      '<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n',
    )
    return
  }
  res.writeHead(500, { 'X-ClickHouse-Exception-Code': '202' })
  res.end(
    'Code: 202. DB::Exception: Too many simultaneous queries. Maximum: 100. (TOO_MANY_SIMULTANEOUS_QUERIES) (version 24.8.1.1)',
  )
}

function userOf(req: IncomingMessage): string {
  return credentialsOf(req)?.[0] ?? 'default'
}

function credentialsOf(req: IncomingMessage): [string, string] | undefined {
  const header = req.headers.authorization ?? ''
  if (!header.startsWith('Basic ')) return undefined
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  return colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)]
}

function authorized(options: ShimOptions, req: IncomingMessage): boolean {
  if (!options.users) return true
  const [user, password] = credentialsOf(req) ?? ['default', '']
  return options.users[user] === password
}

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}
