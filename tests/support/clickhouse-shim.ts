import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Session } from 'chdb'

/**
 * A ClickHouse HTTP endpoint backed by chDB, for tests of the CLICKHOUSE_URL path: the service
 * talks to it with @clickhouse/client over real HTTP, while the data lands in a real engine.
 * Stopping it makes the "server" unreachable (refused connections, reset sockets); starting it
 * again on the same port brings it back with its data.
 */
export interface ClickHouseShim {
  readonly url: string
  readonly port: number
  stop(): Promise<void>
  start(): Promise<void>
  /**
   * Makes statements whose query_id matches `pattern` take `ms` longer, as a slow server would;
   * past the statement's max_execution_time it answers ClickHouse's TIMEOUT_EXCEEDED, as a server does.
   */
  slowDown(pattern: RegExp, ms: number): void
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

export async function startClickHouseShim(dataPath: string): Promise<ClickHouseShim> {
  const session = new Session(dataPath)
  const delays: { pattern: RegExp; ms: number }[] = []
  let server: Server | undefined
  let port = 0

  const listen = async () => {
    server = createServer((req, res) => void handle(session, delays, req, res))
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
    slowDown(pattern, ms) {
      delays.push({ pattern, ms })
    },
    async query<T>(sql: string) {
      const text = (await session.queryAsync(sql, { format: 'JSONEachRow' })).text()
      return text
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as T)
    },
    async close() {
      await stop()
      session.close()
    },
  }
}

async function handle(
  session: Session,
  delays: readonly { pattern: RegExp; ms: number }[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://shim')
  if (url.pathname === '/ping') {
    res.end('Ok.\n')
    return
  }
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = Buffer.concat(chunks).toString('utf8')
  const statements: string[] = []
  for (const [key, value] of url.searchParams) {
    if (key.startsWith('param_')) statements.push(`SET ${key} = ${literal(value)}`)
    else if (!NOT_SETTINGS.has(key) && !HTTP_ONLY.has(key)) statements.push(`SET ${key} = ${literal(value)}`)
  }
  const query = url.searchParams.get('query')
  const sql = query ? `${query}${body ? `\n${body}` : ''}` : body
  const queryId = url.searchParams.get('query_id') ?? ''
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

function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}
