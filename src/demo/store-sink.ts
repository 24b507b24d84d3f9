import { randomUUID } from 'node:crypto'
import { readClientBatch } from '../ingest/client-batch.js'
import type { Identity, RequestContext } from '../ingest/request-context.js'
import { readLoggerEvent } from '../ingest/logger-events.js'
import { serializeEvent, type Store } from '../store/index.js'
import { clientBatchBody } from './sends.js'
import type { DemoSink } from './sink.js'
import type { DemoPerson } from './world.js'

export interface StoreSinkOptions {
  /** Rows per insert. Larger blocks insert faster per row; this many rows are held in memory. @default 50000 */
  readonly blockRows?: number
}

/**
 * Ingest without HTTP, for benchmark setups: each send goes through the same validation and
 * working-time code as `POST /api/events` and the CVAT-logger listener (`readClientBatch`,
 * `readLoggerEvent`), so the rows are those the service would store, and are inserted in large
 * blocks. Batches are "received" at their simulated send time, so no clock correction applies.
 * One insert runs while the next block is being built.
 */
export function createStoreSink(store: Pick<Store, 'ingest'>, options: StoreSinkOptions = {}): DemoSink {
  const blockRows = options.blockRows ?? 50_000
  const block = new BlockBuffer()
  let inserting: Promise<void> = Promise.resolve()
  let failure: Error | null = null

  const flush = async () => {
    await inserting
    if (failure !== null) throw failure
    if (block.rows === 0) return
    inserting = store.ingest.insert({ body: block.take() }).catch((error: unknown) => {
      failure ??= asError(error)
    })
  }

  return {
    async send(send) {
      const request: RequestContext = {
        requestId: randomUUID(),
        userAgent: send.kind === 'client' ? send.person.platform.userAgent : null,
        remoteAddr: null,
        receivedAtMs: send.atMs,
      }
      const records =
        send.kind === 'client'
          ? clientRecords(send.person, clientBatchBody(send, send.atMs), request)
          : serverRecords(send.rows)
      for (const record of records) block.add(serializeEvent(record))
      if (block.rows >= blockRows) await flush()
    },
    async drain() {
      await flush()
      await inserting
      if (failure !== null) throw failure
    },
  }
}

/**
 * The rows of the block being built, as UTF-8 in one growing buffer. Written line by line, each
 * serialised line dies young; holding tens of thousands of them as strings until the insert
 * (each a rope of ~40 pieces) made garbage collection half of the run's time.
 */
class BlockBuffer {
  rows = 0
  private buffer = Buffer.allocUnsafe(1 << 20)
  private length = 0

  add(line: string): void {
    const room = this.length + line.length * 3 + 1
    if (room > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(room, this.buffer.length * 2))
      this.buffer.copy(bigger, 0, 0, this.length)
      this.buffer = bigger
    }
    if (this.rows > 0) this.buffer[this.length++] = 0x0a
    this.length += this.buffer.write(line, this.length)
    this.rows++
  }

  /** The block's body, emptying the buffer for the next block. */
  take(): string {
    const body = this.buffer.toString('utf8', 0, this.length)
    this.length = 0
    this.rows = 0
    return body
  }
}

function clientRecords(person: DemoPerson, body: Record<string, unknown>, request: RequestContext) {
  const result = readClientBatch(body, identityOf(person), request, { maxEvents: Infinity, echo: false })
  if (!result.ok) throw new Error(`simulated batch rejected by ingest: ${JSON.stringify(result.errors)}`)
  return result.batch.records
}

/** CVAT's server events as the CVAT-logger listener stores them (verbatim). */
function serverRecords(rows: readonly Record<string, unknown>[]) {
  return rows.map((row) => {
    const result = readLoggerEvent(row)
    if (!result.ok) throw new Error(`simulated server event quarantined by ingest: ${result.message}`)
    return result.record
  })
}

/** The identity the service would take from the person's account and organization. */
export function identityOf(person: DemoPerson): Identity {
  return {
    userId: String(person.id),
    userName: person.username,
    userEmail: person.email,
    orgId: String(person.orgId),
    orgSlug: person.orgSlug,
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
