import { randomUUID } from 'node:crypto'
import { createRequire } from 'node:module'
import { availableParallelism } from 'node:os'
import { Readable } from 'node:stream'
import {
  ClickHouseLogLevel,
  createClient,
  type ClickHouseClient,
  type ClickHouseSettings,
} from '@clickhouse/client'
import type { ChdbConnection, createChdbConnection } from 'chdb/connection'
import pLimit, { type LimitFunction } from 'p-limit'
import type { StoreConfig } from '../config.js'
import { EngineUnavailableError, mapEngineError } from './errors.js'
import { bindInSession, sessionSet } from './session-params.js'

/** One named, parameterised statement. Values travel only in `params` (`{name:Type}` placeholders). */
export interface Statement {
  /** Names the query in logs and in ClickHouse's query_log (`query_id` prefix). */
  readonly name: string
  readonly sql: string
  readonly params?: Record<string, unknown>
  /** Overrides the configured timeout for this statement. */
  readonly timeoutMs?: number
  /**
   * `minimal`: the time limit only, for the version probe, which must get an answer from servers
   * too old for the other settings (they refuse a statement carrying a setting they do not know).
   */
  readonly settings?: 'minimal'
  /**
   * `background`: work nobody waits on (the rollups' feed and backfill) runs on a connection of
   * its own, so it never holds up an insert or a read that requests wait on (nor waits behind
   * them). @default the writer's for commands, a reader's for reads
   */
  readonly lane?: 'background'
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

export interface StreamOptions {
  readonly format: string
  /** Extra settings for this statement (output format options and the like). */
  readonly settings?: Readonly<Record<string, string | number>>
  /**
   * Called with the number of rows in each chunk, where the engine says (chDB does; a server's
   * HTTP body does not, so there it is never called).
   */
  readonly onRows?: (rows: number) => void
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
  /** How many statements ran, by name (for /metrics and for tests that count store calls). */
  readonly queryCounts: ReadonlyMap<string, number>
  rows<T>(statement: Statement): Promise<T[]>
  /**
   * The statement's output in `format` (e.g. CSVWithNames, Parquet) as raw chunks, holding one
   * chunk at a time whatever the result size: chDB's native stream on a connection of its own
   * (the @clickhouse/client path over chDB buffers whole results), the HTTP body with a server.
   * Stopping the iteration cancels the query.
   */
  stream(statement: Statement, options: StreamOptions): AsyncIterable<Uint8Array>
  command(statement: Statement): Promise<void>
  insert(statement: InsertStatement): Promise<void>
  /**
   * Every later read takes one snapshot of each table it reads, shared by its subqueries
   * (`enable_shared_storage_snapshot_in_query`, ClickHouse 25.6): the rollups' readers read the
   * feed's marker and the rows it covers together (rollups/cube.ts). Called by the store once it
   * knows the engine has it.
   */
  shareSnapshots(): void
  ping(): Promise<boolean>
  close(): Promise<void>
}

/**
 * Settings every statement carries. chDB applies settings as session `SET`s that outlive the
 * statement, so every key anyone sets is listed here: each statement re-sets all of them.
 */
function baseSettings(timeoutMs: number, dedupToken = '', shared = false): ClickHouseSettings {
  return {
    ...(shared ? { enable_shared_storage_snapshot_in_query: 1 } : {}),
    // 64-bit ids must survive JSON: quoted, parsed as strings in the store.
    output_format_json_quote_64bit_integers: 1,
    date_time_output_format: 'iso',
    max_execution_time: seconds(timeoutMs),
    insert_deduplication_token: dedupToken,
    // A block the events table drops as a duplicate (a spool replay after an unclear failure)
    // must not reach the rollups' views either; their tables keep a deduplication window for it.
    deduplicate_blocks_in_dependent_materialized_views: 1,
    // On a cluster (CLICKHOUSE_CLUSTER), an insert into a Distributed table returns once every
    // shard has its rows, so a 201 still means stored. No effect on a single server. (The older
    // name of distributed_foreground_insert, which servers before 23.x know only by this one.)
    insert_distributed_sync: 1,
    // Our columns of the events table are MATERIALIZED, so that CVAT's `SELECT *` does not see
    // them (schema/events-table.ts); ingest still sends event_id and exception_group, which this
    // lets an insert name. An insert naming no columns is unaffected: it fills them all itself.
    // (A Distributed table passes the values on to its shards with the same setting.)
    insert_allow_materialized_columns: 1,
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

/**
 * Rows as objects from a JSONCompact answer (column names once, then values). The engine writes
 * JSONEachRow's keys again on every row, and JSON.parse reads them again: for 5,000 rows of 11
 * columns that was 34 ms of a 45 ms statement, against 14 ms this way (a job flow's history, a
 * time series of thousands of points).
 */
function objectsOf<T>(answer: { meta?: readonly { name: string }[]; data: readonly unknown[][] }): T[] {
  const names = (answer.meta ?? []).map((column) => column.name)
  const rows = new Array<T>(answer.data.length)
  for (let r = 0; r < answer.data.length; r++) {
    const values = answer.data[r] as readonly unknown[]
    const row: Record<string, unknown> = {}
    for (let c = 0; c < names.length; c++) row[names[c] as string] = values[c]
    rows[r] = row as T
  }
  return rows
}

/** Told about every statement once it ends: what ran, how long it took, and its error if it failed. */
export type EngineObserver = (statement: Statement, durationMs: number, error?: Error) => void

/**
 * Reads in flight at once on the embedded engine: the cores but one, at most 3. Measured on two
 * cores (bench:mixed, 50 clients posting 100-event batches beside 10 asking the heaviest panel):
 * with one read at a time ingest kept 10–12k events/s and acks of 0.4 s; two reads at once gave
 * the dashboard 25 % more answers but halved ingest (0.55×), three cut it to a tenth. The engine's
 * threads are the service's threads: an insert a CVAT client waits on must keep a core. (The
 * variants' figures: bench/RESULTS.md, after the mixed-load section.)
 */
const READ_CONNECTIONS = Math.min(3, Math.max(1, availableParallelism() - 1))

type ClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection']

export function createEngine(config: StoreConfig, observe: EngineObserver = () => {}): Engine {
  return config.kind === 'embedded'
    ? createEmbeddedEngine(config, observe)
    : createServerEngine(config, observe)
}

/**
 * chDB's native engine (hundreds of MB, one build per platform) is loaded here, when an embedded
 * store is opened, and nowhere else: a service pointed at a server (CLICKHOUSE_URL), the schema
 * printer and unit tests never load it, and run where chDB has no build.
 */
function loadChdb(): typeof createChdbConnection {
  try {
    const chdb = createRequire(import.meta.url)('chdb/connection') as {
      createChdbConnection: typeof createChdbConnection
    }
    return chdb.createChdbConnection
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n', 1)[0] ?? '') : String(error)
    throw new EngineUnavailableError(
      `the embedded ClickHouse (chDB) cannot run on ${process.platform}-${process.arch} here (${reason}); set CLICKHOUSE_URL to use a ClickHouse server`,
      { cause: error },
    )
  }
}

interface PooledClient {
  readonly client: ClickHouseClient
  readonly connection?: ChdbConnection
  /**
   * Runs one statement on the connection once it is its turn. A chDB connection runs one call at
   * a time; calls made while it is busy queued inside the native binding, and under a mixed load
   * (a dozen dashboard reads waiting that way) inserts slowed five- to tenfold. They wait here
   * instead, in order. None for a server: the HTTP client has its own socket pool.
   */
  readonly turn?: LimitFunction
  inFlight: number
}

function createEmbeddedEngine(
  config: Extract<StoreConfig, { kind: 'embedded' }>,
  observe: EngineObserver,
): Engine {
  const connect = loadChdb()
  const open = (): PooledClient => {
    const connection = connect({ path: config.path })
    // chdb implements @clickhouse/client-common's Connection; the client re-declares the same
    // interface from its bundled copy, so TypeScript sees two nominally different types.
    const client = createClient({ connection: connection as unknown as ClientConnection })
    return { client, connection, turn: pLimit(1), inFlight: 0 }
  }
  const writer = open()
  const background = open()
  const readers = Array.from({ length: READ_CONNECTIONS }, open)
  const leastBusy = (): PooledClient => readers.reduce((a, b) => (b.inFlight < a.inFlight ? b : a))
  return buildEngine(
    'embedded',
    config,
    {
      writer,
      background,
      reader: leastBusy,
      // A read waits for a free reader, whichever frees first: never behind one long read while
      // another connection is idle.
      readTurn: pLimit(READ_CONNECTIONS),
      all: [writer, background, ...readers],
    },
    observe,
  )
}

function createServerEngine(
  config: Extract<StoreConfig, { kind: 'server' }>,
  observe: EngineObserver,
): Engine {
  const client = createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    database: config.database,
    // The engine enforces the query timeout; the socket waits a little longer to receive its error
    // (at most as long again, so a server that hangs is given up on in bounded time).
    request_timeout: config.queryTimeoutMs + Math.min(5_000, config.queryTimeoutMs),
    application: 'annotation-analytics',
    // Failures surface as mapped errors the service logs itself (with the spool's decision).
    log: { level: ClickHouseLogLevel.OFF },
  })
  const pooled: PooledClient = { client, inFlight: 0 }
  return buildEngine(
    'server',
    config,
    { writer: pooled, background: pooled, reader: () => pooled, all: [pooled] },
    observe,
  )
}

interface Pool {
  writer: PooledClient
  background: PooledClient
  /** A reader to run on now; called within `readTurn`, so one is free where connections are counted. */
  reader: () => PooledClient
  /** Where reads in flight are counted (the embedded engine's readers). */
  readTurn?: LimitFunction
  all: PooledClient[]
}

function buildEngine(kind: Engine['kind'], config: StoreConfig, pool: Pool, observe: EngineObserver): Engine {
  const timeoutOf = (s: { timeoutMs?: number }) => s.timeoutMs ?? config.queryTimeoutMs
  const queryCounts = new Map<string, number>()
  let shared = false
  const queryId = (name: string) => {
    queryCounts.set(name, (queryCounts.get(name) ?? 0) + 1)
    return `aa:${name}:${randomUUID()}`
  }
  // chDB: settings and parameters as one session SET in the same call (see session-params.ts); a
  // server binds them.
  const bound = (s: Pick<Statement, 'sql' | 'params'>, settings: ClickHouseSettings) =>
    kind === 'embedded'
      ? { query: bindInSession(s.sql, s.params, settings), query_params: {}, clickhouse_settings: {} }
      : { query: s.sql, query_params: s.params ?? {}, clickhouse_settings: settings }

  async function run<T>(
    target: PooledClient,
    statement: Statement,
    timeoutMs: number,
    work: (client: ClickHouseClient) => Promise<T>,
  ): Promise<T> {
    target.inFlight += 1
    const started = performance.now()
    try {
      const result = await (target.turn ? target.turn(() => work(target.client)) : work(target.client))
      observe(statement, performance.now() - started)
      return result
    } catch (error) {
      const mapped = mapEngineError(error, statement.name, timeoutMs, kind === 'server')
      observe(statement, performance.now() - started, mapped)
      throw mapped
    } finally {
      target.inFlight -= 1
    }
  }

  return {
    kind,
    database: config.database,
    queryTimeoutMs: config.queryTimeoutMs,
    queryCounts,

    rows<T>(s: Statement): Promise<T[]> {
      const timeoutMs = timeoutOf(s)
      const background = s.lane === 'background'
      const read = () =>
        run(background ? pool.background : pool.reader(), s, timeoutMs, async (client) => {
          const result = await client.query({
            ...bound(
              s,
              s.settings === 'minimal'
                ? { max_execution_time: seconds(timeoutMs) }
                : baseSettings(timeoutMs, '', shared),
            ),
            format: 'JSONCompact',
            query_id: queryId(s.name),
          })
          return objectsOf<T>(await result.json<unknown[]>())
        })
      return pool.readTurn && !background ? pool.readTurn(read) : read()
    },

    command(s: Statement): Promise<void> {
      const timeoutMs = timeoutOf(s)
      return run(s.lane === 'background' ? pool.background : pool.writer, s, timeoutMs, async (client) => {
        await client.command({
          ...bound(s, baseSettings(timeoutMs, '', shared)),
          query_id: queryId(s.name),
        })
      })
    },

    shareSnapshots() {
      shared = true
    },

    insert(s: InsertStatement): Promise<void> {
      const timeoutMs = config.queryTimeoutMs
      const statement = {
        name: s.name,
        sql: `INSERT INTO ${s.table} (${s.columns.join(', ')}) FORMAT ${s.format}`,
      }
      return run(pool.writer, statement, timeoutMs, async (client) => {
        // exec, not insert: the body is already serialised, and exec passes it through untouched.
        const result = await client.exec({
          ...bound(statement, baseSettings(timeoutMs, s.dedupToken, shared)),
          values: Readable.from([s.body]),
          query_id: queryId(s.name),
        })
        result.stream.resume()
      })
    },

    stream(s: Statement, options: StreamOptions): AsyncIterable<Uint8Array> {
      const timeoutMs = timeoutOf(s)
      const settings = { ...baseSettings(timeoutMs, '', shared), ...(options.settings ?? {}) }
      const id = queryId(s.name)
      return kind === 'embedded'
        ? streamEmbedded(
            config as Extract<StoreConfig, { kind: 'embedded' }>,
            s,
            options.format,
            settings,
            options.onRows,
          )
        : streamServer(pool.writer.client, s, options.format, settings, id, timeoutMs)
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

/** chDB's native stream needs a session of its own: one active stream per session. */
async function* streamEmbedded(
  config: Extract<StoreConfig, { kind: 'embedded' }>,
  s: Statement,
  format: string,
  settings: ClickHouseSettings,
  onRows?: (rows: number) => void,
): AsyncGenerator<Uint8Array> {
  const connection = loadChdb()({ path: config.path })
  try {
    // queryStream takes one statement and no settings: settings and parameters become session
    // SETs first, on this connection of its own.
    const set = sessionSet(s.sql, s.params, settings)
    if (set !== null) await connection.chdb.queryAsync(set)
    const stream = connection.chdb.queryStream(s.sql, { format })
    try {
      for await (const chunk of stream) {
        onRows?.(chunk.numRows)
        yield chunk.raw()
      }
    } finally {
      if (!stream.closed) stream.cancel()
    }
  } catch (error) {
    throw mapEngineError(error, s.name, config.queryTimeoutMs)
  } finally {
    await connection.close()
  }
}

async function* streamServer(
  client: ClickHouseClient,
  s: Statement,
  format: string,
  settings: ClickHouseSettings,
  queryId: string,
  timeoutMs: number,
): AsyncGenerator<Uint8Array> {
  try {
    const result = await client.exec({
      query: `${s.sql}\nFORMAT ${format}`,
      query_params: s.params ?? {},
      query_id: queryId,
      clickhouse_settings: settings,
    })
    try {
      for await (const chunk of result.stream as AsyncIterable<Buffer>) yield chunk
    } finally {
      result.stream.destroy()
    }
  } catch (error) {
    throw mapEngineError(error, s.name, timeoutMs, true)
  }
}
