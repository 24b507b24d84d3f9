import { randomUUID } from 'node:crypto'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import type { EventRecord } from '../domain/event.js'
import {
  deserializeEvent,
  QueryTimeoutError,
  serializeEvent,
  StoreUnavailableError,
  type Store,
} from '../store/index.js'
import type { Spool } from './spool.js'

/** `stored`: in ClickHouse. `spooled`: on the local spool, to be replayed when the store is back. */
export type WriteOutcome = 'stored' | 'spooled'

/** Receives every event once it is in the store (live subscriptions listen here). */
export type PublishHook = (records: readonly EventRecord[]) => void

export interface EventWriter {
  /** Resolves once the events are durable (stored or spooled); rejects if neither happened. */
  write(records: readonly EventRecord[]): Promise<WriteOutcome>
  /** Blocks on the spool not yet replayed. */
  readonly spoolBacklog: number
  /** Tries to replay the spool now instead of at the next retry tick. */
  retrySpool(): Promise<void>
  /** Resolves once every write accepted so far is stored or spooled (and published), without closing. */
  flush(): Promise<void>
  /** Waits for in-flight writes and stops retrying. */
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
}

interface Pending {
  readonly records: readonly EventRecord[]
  readonly body: string
  readonly resolve: (outcome: WriteOutcome) => void
  readonly reject: (error: unknown) => void
}

const rowsOf = (group: readonly Pending[]) => group.reduce((rows, p) => rows + p.records.length, 0)

const isRetryable = (error: unknown) =>
  error instanceof StoreUnavailableError || error instanceof QueryTimeoutError

/**
 * Group commit: requests queue their serialised rows; one drain loop inserts everything queued
 * since the last insert as a single block, so concurrent requests share inserts (ClickHouse wants
 * few large inserts) without adding latency when idle. While the store is unreachable, blocks go
 * to the spool, and keep going there until the spool has been replayed, so order is kept.
 */
export function createEventWriter(options: WriterOptions): EventWriter {
  const { store, spool, log } = options
  const queue: Pending[] = []
  let draining: Promise<void> | undefined
  let replayDue = spool.backlog > 0
  let retryTimer: NodeJS.Timeout | undefined
  let closed = false

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
      if (queue.length > 0 || (replayDue && spool.backlog > 0)) kick()
    })
  }

  const scheduleRetry = () => {
    if (closed || retryTimer) return
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      replayDue = true
      kick()
    }, options.retryMs)
    retryTimer.unref()
  }

  async function drain(): Promise<void> {
    for (;;) {
      if (replayDue && spool.backlog > 0) await replay()
      const group = takeGroup()
      if (group.length === 0) return
      const token = randomUUID()
      const body = group.map((p) => p.body).join('\n')
      if (spool.backlog > 0) {
        await toSpool(group, token, body)
        continue
      }
      try {
        await store.ingest.insert({ body, dedupToken: token })
        options.metrics?.insertRows.observe(rowsOf(group))
        for (const p of group) p.resolve('stored')
        for (const p of group) publish(p.records)
      } catch (error) {
        if (isRetryable(error)) await toSpool(group, token, body)
        else await insertEach(group, error)
      }
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

  async function toSpool(group: Pending[], token: string, body: string): Promise<void> {
    try {
      await spool.append({ token, body })
      options.metrics?.eventsSpooled.inc(rowsOf(group))
      for (const p of group) p.resolve('spooled')
      log.warn('store unreachable: batches spooled', { batches: group.length, backlog: spool.backlog })
    } catch (error) {
      log.error('spool append failed: batches rejected', { error })
      for (const p of group) p.reject(error)
    }
    scheduleRetry()
  }

  /** A grouped insert failed for a reason other than reachability: isolate the batch at fault. */
  async function insertEach(group: Pending[], groupError: unknown): Promise<void> {
    if (group.length === 1) {
      log.error('insert failed', { error: groupError })
      group[0]?.reject(groupError)
      return
    }
    for (const [i, p] of group.entries()) {
      const token = randomUUID()
      try {
        await store.ingest.insert({ body: p.body, dedupToken: token })
        p.resolve('stored')
        publish(p.records)
      } catch (error) {
        if (isRetryable(error))
          return toSpool(
            group.slice(i),
            token,
            group
              .slice(i)
              .map((q) => q.body)
              .join('\n'),
          )
        log.error('insert failed', { error })
        p.reject(error)
      }
    }
  }

  async function replay(): Promise<void> {
    replayDue = false
    try {
      const replayed = await spool.replay(async (record) => {
        // Serialised again, so a block spooled by an older version inserts with today's columns.
        const records = record.body.split('\n').map(deserializeEvent)
        await store.ingest.insert({ body: records.map(serializeEvent).join('\n'), dedupToken: record.token })
        publish(records)
      }, isRetryable)
      log.info('spool replayed', { blocks: replayed })
    } catch (error) {
      log.warn('store still unreachable; spool kept', { backlog: spool.backlog, error: String(error) })
      scheduleRetry()
    }
  }

  if (replayDue) kick()

  return {
    write(records) {
      if (closed) return Promise.reject(new Error('the event writer is closed'))
      if (records.length === 0) return Promise.resolve('stored')
      const body = records.map(serializeEvent).join('\n')
      return new Promise<WriteOutcome>((resolve, reject) => {
        queue.push({ records, body, resolve, reject })
        kick()
      })
    },
    get spoolBacklog() {
      return spool.backlog
    },
    async retrySpool() {
      replayDue = true
      kick()
      while (draining) await draining
    },
    async flush() {
      while (draining) await draining
    },
    async close() {
      while (draining) await draining
      closed = true
      clearTimeout(retryTimer)
      await spool.close()
    },
  }
}
