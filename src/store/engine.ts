import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import {
  ClickHouseLogLevel,
  createClient,
  type ClickHouseClient,
  type ClickHouseSettings,
} from '@clickhouse/client'
import { createChdbConnection, type ChdbConnection } from 'chdb/connection'
import type { StoreConfig } from '../config.js'
import { mapEngineError } from './errors.js'

/** One named, parameterised statement. Values travel only in `params` (`{name:Type}` placeholders). */
export interface Statement {
  /** Names the query in logs and in ClickHouse's query_log (`query_id` prefix). */
  readonly name: string
  readonly sql: string
  readonly params?: Record<string, unknown>
  /** Overrides the configured timeout for this statement. */
  readonly timeoutMs?: number
}

/** A raw insert: `body` is already in `format` (one row per line). */
export interface InsertStatement {
  readonly name: string
  readonly table: string
  readonly columns: readonly string[]
  readonly format: 'TabSeparated' | 'JSONCompactEachRow' | 'JSONEachRow'
  readonly body: string
  /** Makes a retried insert of the same block a no-op (see the events table's deduplication window). */
  readonly dedupToken?: string
}

/**
 * The one place the service talks to ClickHouse. The embedded engine (chDB) runs one statement
 * at a time per connection, so it gets a small pool: one connection for writes and a few for
 * reads, all on the same data directory, so a long dashboard query never delays an ingest ack.
 */
export interface Engine {
  readonly kind: 'embedded' | 'server'
  /** Database name, already validated as a plain identifier. */
  readonly database: string
  readonly queryTimeoutMs: number
  rows<T>(statement: Statement): Promise<T[]>
  command(statement: Statement): Promise<void>
  insert(statement: InsertStatement): Promise<void>
  ping(): Promise<boolean>
  close(): Promise<void>
}

/**
 * Settings every statement carries. chDB applies settings as session `SET`s that outlive the
 * statement, so every key anyone sets is listed here: each statement re-sets all of them.
 */
function baseSettings(timeoutMs: number, dedupToken = ''): ClickHouseSettings {
  return {
    // 64-bit ids must survive JSON: quoted, parsed as strings in the store.
    output_format_json_quote_64bit_integers: 1,
    date_time_output_format: 'iso',
    max_execution_time: Math.max(1, Math.ceil(timeoutMs / 1000)),
    insert_deduplication_token: dedupToken,
  }
}

const READ_CONNECTIONS = 3

type ClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection']

export function createEngine(config: StoreConfig): Engine {
  return config.kind === 'embedded' ? createEmbeddedEngine(config) : createServerEngine(config)
}

interface PooledClient {
  readonly client: ClickHouseClient
  readonly connection?: ChdbConnection
  inFlight: number
}

function createEmbeddedEngine(config: Extract<StoreConfig, { kind: 'embedded' }>): Engine {
  const open = (): PooledClient => {
    const connection = createChdbConnection({ path: config.path })
    // chdb implements @clickhouse/client-common's Connection; the client re-declares the same
    // interface from its bundled copy, so TypeScript sees two nominally different types.
    const client = createClient({ connection: connection as unknown as ClientConnection })
    return { client, connection, inFlight: 0 }
  }
  const writer = open()
  const readers = Array.from({ length: READ_CONNECTIONS }, open)
  const leastBusy = (): PooledClient => readers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a))
  return buildEngine('embedded', config, { writer, reader: leastBusy, all: [writer, ...readers] })
}

function createServerEngine(config: Extract<StoreConfig, { kind: 'server' }>): Engine {
  const client = createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    database: config.database,
    // The engine enforces the query timeout; the socket waits a little longer to receive its error.
    request_timeout: config.queryTimeoutMs + 5_000,
    application: 'annotation-analytics',
    // Failures surface as mapped errors the service logs itself (with the spool's decision).
    log: { level: ClickHouseLogLevel.OFF },
  })
  const pooled: PooledClient = { client, inFlight: 0 }
  return buildEngine('server', config, { writer: pooled, reader: () => pooled, all: [pooled] })
}

interface Pool {
  writer: PooledClient
  reader: () => PooledClient
  all: PooledClient[]
}

function buildEngine(kind: Engine['kind'], config: StoreConfig, pool: Pool): Engine {
  const timeoutOf = (s: { timeoutMs?: number }) => s.timeoutMs ?? config.queryTimeoutMs
  const queryId = (name: string) => `aa:${name}:${randomUUID()}`

  async function run<T>(
    target: PooledClient,
    name: string,
    timeoutMs: number,
    work: (client: ClickHouseClient) => Promise<T>,
  ): Promise<T> {
    target.inFlight += 1
    try {
      return await work(target.client)
    } catch (error) {
      throw mapEngineError(error, name, timeoutMs)
    } finally {
      target.inFlight -= 1
    }
  }

  return {
    kind,
    database: config.database,
    queryTimeoutMs: config.queryTimeoutMs,

    rows<T>(s: Statement): Promise<T[]> {
      const timeoutMs = timeoutOf(s)
      return run(pool.reader(), s.name, timeoutMs, async (client) => {
        const result = await client.query({
          query: s.sql,
          query_params: s.params ?? {},
          format: 'JSONEachRow',
          query_id: queryId(s.name),
          clickhouse_settings: baseSettings(timeoutMs),
        })
        return result.json<T>()
      })
    },

    command(s: Statement): Promise<void> {
      const timeoutMs = timeoutOf(s)
      return run(pool.writer, s.name, timeoutMs, async (client) => {
        await client.command({
          query: s.sql,
          query_params: s.params ?? {},
          query_id: queryId(s.name),
          clickhouse_settings: baseSettings(timeoutMs),
        })
      })
    },

    insert(s: InsertStatement): Promise<void> {
      const timeoutMs = config.queryTimeoutMs
      return run(pool.writer, s.name, timeoutMs, async (client) => {
        // exec, not insert: the body is already serialised, and exec passes it through untouched.
        const result = await client.exec({
          query: `INSERT INTO ${s.table} (${s.columns.join(', ')}) FORMAT ${s.format}`,
          values: Readable.from([s.body]),
          query_id: queryId(s.name),
          clickhouse_settings: baseSettings(timeoutMs, s.dedupToken),
        })
        result.stream.resume()
      })
    },

    async ping(): Promise<boolean> {
      try {
        const result = await pool.reader().client.ping()
        return result.success
      } catch {
        return false
      }
    },

    async close(): Promise<void> {
      await Promise.all(pool.all.map((p) => p.client.close()))
    },
  }
}
