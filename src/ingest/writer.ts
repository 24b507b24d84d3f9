import { randomUUID } from 'node:crypto'
import type { Logger } from '../observability/logger.js'
import type { Metrics } from '../observability/metrics.js'
import type { EventRecord } from '../domain/event.js'
import {
  deserializeEvent,
  QueryTimeoutError,
  serializeEvent,
  StoreUnavailableError,
  type Store,
} from '../store/index.js'
import { SpoolUnavailableError } from '../errors.js'
import type { Spool } from './spool.js'

/** `stored`: in ClickHouse. `spooled`: on the local spool, to be replayed when the store is back. */
export type WriteOutcome = 'stored' | 'spooled'

/** Receives every event once it is in the store (live subscriptions listen here). */
export type PublishHook = (records: readonly EventRecord[]) => void

export interface EventWriter {
  /**
   * Resolves once the events are durable (stored or spooled). Rejects if neither happened: with
   * a SpoolUnavailableError when the store is away and the spool cannot keep them (full, limit),
   * with a StoreUnavailableError (`stopping`) once the writer is closed.
   */
  write(records: readonly EventRecord[]): Promise<WriteOutcome>
  /** Blocks on the spool not yet replayed. */
  readonly spoolBacklog: number
  /** Bytes of those blocks on disk. */
  readonly spoolBytes: number
  /** Tries to replay the spool now instead of at the next retry tick. */
  retrySpool(): Promise<void>
  /** Resolves once every write accepted so far is stored or spooled (and published), without closing. */
  flush(): Promise<void>
  /**
   * The service is stopping: the spool stops replaying between blocks (the rest replays at the
   * next start), and from `handoverAt` (epoch ms) nothing waits on the store any more: the insert
   * still running then, what is queued and every later write go to the spool, so the requests in
   * flight get their answer. A handed-over insert that lands after all is deduplicated at replay
   * (same token).
   */
  prepareStop(handoverAt: number): void
  /** Waits for in-flight writes (bounded once prepareStop was called), stops retrying, closes the spool. */
  close(): Promise<void>
}

export interface WriterOptions {
  readonly store: Pick<Store, 'ingest'>
  readonly spool: Spool
  /** Most rows one insert carries; a larger backlog is split. */
  readonly maxRows: number
  readonly retryMs: number
  readonly publish: PublishHook
  readonly log: Logger
  /** Group-commit sizes and spooled events. */
  readonly metrics?: Pick<Metrics, 'insertRows' | 'eventsSpooled'>
  /**
   * Whether the store can take inserts at all (its schema migrated); while not, the spool does not
   * try to replay (the store's readiness calls retrySpool once it is). @default always
   */
  readonly storeReady?: () => boolean
}

interface Pending {
  readonly records: readonly EventRecord[]
  readonly body: string
  readonly resolve: (outcome: WriteOutcome) => void
  readonly reject: (error: unknown) => void
}

const rowsOf = (group: readonly Pending[]) => group.reduce((rows, p) => rows + p.records.length, 0)

/** Failures of the store, not of the data: the block waits on the spool for the store to return. */
const isRetryable = (error: unknown) =>
  error instanceof StoreUnavailableError || error instanceof QueryTimeoutError

interface Attempt {
  readonly group: readonly Pending[]
  readonly token: string
  readonly body: string
}

/**
 * Group commit: requests queue their serialised rows; one drain loop inserts everything queued
 * since the last insert as a single block, so concurrent requests share inserts (ClickHouse wants
 * few large inserts) without adding latency when idle. While the store is unreachable, blocks go
 * to the spool, and keep going there until the spool has been replayed, so order is kept.
 */
export function createEventWriter(options: WriterOptions): EventWriter {
  const { store, spool, log } = options
  const storeReady = options.storeReady ?? (() => true)
  const queue: Pending[] = []
  let draining: Promise<void> | undefined
  let replayDue = spool.backlog > 0
  let retryTimer: NodeJS.Timeout | undefined
  let closed = false
  /** Set by prepareStop: replay no more. */
  let stopping = false
  /** Set at the hand-over: every block goes to the spool. */
  let spoolOnly = false
  let handoverTimer: NodeJS.Timeout | undefined
  let handedOver: Promise<void> | undefined
  let announceHandover = () => {}
  const handoverStarted = new Promise<void>((resolve) => (announceHandover = resolve))
  /** The insert running now; the hand-over takes it over (it is then no longer `current`). */
  let current: Attempt | undefined

  const publish = (records: readonly EventRecord[]) => {
    try {
      options.publish(records)
    } catch (error) {
      log.error('publish hook failed', { error })
    }
  }

  const kick = () => {
    draining ??= drain().finally(() => {
      draining = undefined
      if (queue.length > 0 || (replayDue && spool.backlog > 0 && !stopping)) kick()
    })
  }

  const scheduleRetry = () => {
    if (closed || stopping || retryTimer) return
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      replayDue = true
      kick()
    }, options.retryMs)
    retryTimer.unref()
  }

  async function drain(): Promise<void> {
    for (;;) {
      if (replayDue && spool.backlog > 0 && !stopping) await replay()
      const group = takeGroup()
      if (group.length === 0) return
      const token = randomUUID()
      const body = group.map((p) => p.body).join('\n')
      if (spool.backlog > 0 || spoolOnly) await toSpool(group, token, body)
      else await insertGroup({ group, token, body })
    }
  }

  function takeGroup(): Pending[] {
    const group: Pending[] = []
    let rows = 0
    while (queue.length > 0) {
      const next = queue[0] as Pending
      if (group.length > 0 && rows + next.records.length > options.maxRows) break
      group.push(next)
      rows += next.records.length
      queue.shift()
    }
    return group
  }

  /** Inserts one block; false when the hand-over took it over meanwhile (then it is not ours). */
  async function insert(attempt: Attempt): Promise<boolean> {
    current = attempt
    let failure: { error: unknown } | undefined
    try {
      await store.ingest.insert({ body: attempt.body, dedupToken: attempt.token })
    } catch (error) {
      failure = { error }
    }
    if (current !== attempt) return false
    current = undefined
    if (failure) throw failure.error
    return true
  }

  async function insertGroup(attempt: Attempt): Promise<void> {
    const { group, token, body } = attempt
    try {
      if (!(await insert(attempt))) return
      options.metrics?.insertRows.observe(rowsOf(group))
      for (const p of group) p.resolve('stored')
      for (const p of group) publish(p.records)
    } catch (error) {
      if (isRetryable(error)) await toSpool(group, token, body)
      else await insertEach(group, error)
    }
  }

  async function toSpool(group: readonly Pending[], token: string, body: string): Promise<void> {
    try {
      await spool.append({ token, body })
      options.metrics?.eventsSpooled.inc(rowsOf(group))
      for (const p of group) p.resolve('spooled')
      if (!stopping)
        log.warn('store unavailable: batches spooled', { batches: group.length, backlog: spool.backlog })
    } catch (error) {
      if (error instanceof SpoolUnavailableError) {
        log.warn('store unavailable and the spool cannot keep more: batches refused', {
          batches: group.length,
          reason: error.message,
        })
      } else {
        log.error('spool append failed: batches refused', { error })
      }
      for (const p of group) p.reject(error)
    }
    scheduleRetry()
  }

  /** A grouped insert failed for a reason other than the store: isolate the batch at fault. */
  async function insertEach(group: readonly Pending[], groupError: unknown): Promise<void> {
    if (group.length === 1) {
      log.error('insert failed', { error: groupError })
      group[0]?.reject(groupError)
      return
    }
    for (const [i, p] of group.entries()) {
      const token = randomUUID()
      const rest = group.slice(i)
      if (spoolOnly) return toSpool(rest, token, joined(rest))
      try {
        if (!(await insert({ group: [p], token, body: p.body }))) return spoolRest(group.slice(i + 1))
        p.resolve('stored')
        publish(p.records)
      } catch (error) {
        if (isRetryable(error)) return toSpool(rest, token, joined(rest))
        log.error('insert failed', { error })
        p.reject(error)
      }
    }
  }

  function spoolRest(rest: readonly Pending[]): Promise<void> {
    return rest.length === 0 ? Promise.resolve() : toSpool(rest, randomUUID(), joined(rest))
  }

  async function replay(): Promise<void> {
    replayDue = false
    if (!storeReady()) return
    try {
      const replayed = await spool.replay(
        async (record) => {
          // Serialised again, so a block spooled by an older version inserts with today's columns.
          const records = record.body.split('\n').map(deserializeEvent)
          await store.ingest.insert({
            body: records.map(serializeEvent).join('\n'),
            dedupToken: record.token,
          })
          publish(records)
        },
        isRetryable,
        () => stopping,
      )
      if (replayed > 0) log.info('spool replayed', { blocks: replayed, backlog: spool.backlog })
    } catch (error) {
      log.warn('store still unavailable; spool kept', { backlog: spool.backlog, error: String(error) })
      scheduleRetry()
    }
  }

  /** Stops waiting on the store: the insert in flight and all that is queued go to the spool. */
  async function handOver(): Promise<void> {
    spoolOnly = true
    const taken = current
    current = undefined
    if (taken) await toSpool(taken.group, taken.token, taken.body)
    for (let group = takeGroup(); group.length > 0; group = takeGroup()) {
      await toSpool(group, randomUUID(), joined(group))
    }
  }

  if (replayDue) kick()

  return {
    write(records) {
      if (closed) {
        return Promise.reject(
          new StoreUnavailableError('the service is stopping', { reason: 'stopping', retryAfterMs: 5_000 }),
        )
      }
      if (records.length === 0) return Promise.resolve('stored')
      const body = records.map(serializeEvent).join('\n')
      return new Promise<WriteOutcome>((resolve, reject) => {
        const pending = { records, body, resolve, reject }
        // After the hand-over the drain loop may still wait on an abandoned insert: go round it.
        if (spoolOnly) void toSpool([pending], randomUUID(), body)
        else {
          queue.push(pending)
          kick()
        }
      })
    },
    get spoolBacklog() {
      return spool.backlog
    },
    get spoolBytes() {
      return spool.bytes
    },
    async retrySpool() {
      replayDue = true
      kick()
      while (draining) await draining
    },
    async flush() {
      while (draining) await draining
    },
    prepareStop(handoverAt) {
      if (stopping) return
      stopping = true
      clearTimeout(retryTimer)
      retryTimer = undefined
      handoverTimer = setTimeout(
        () => {
          handedOver = handOver()
          announceHandover()
        },
        Math.max(0, handoverAt - Date.now()),
      )
    },
    async close() {
      closed = true
      // Once handed over, the drain loop may be waiting on an insert that is no longer ours.
      while (draining && !handedOver) await Promise.race([draining, handoverStarted])
      clearTimeout(handoverTimer)
      await handedOver
      clearTimeout(retryTimer)
      await spool.close()
    },
  }
}

function joined(group: readonly Pending[]): string {
  return group.map((p) => p.body).join('\n')
}
