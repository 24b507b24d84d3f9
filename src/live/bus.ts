import type { EventRecord } from '../domain/event.js'
import type { WireRecord } from './live-event.js'

/** Events one insert committed, as every replica's hub receives them. */
export interface CommittedBatch {
  /** When the insert was confirmed (epoch ms): the pushed events' `ingestedAt`. */
  readonly committedAtMs: number
  readonly records: readonly WireRecord[]
}

/**
 * Carries committed batches from the writer of one replica to the hubs of all: in process
 * (one replica) or through Redis (several, `REDIS_URL`). Batches arrive in the order they were
 * sent.
 */
export interface LiveBus {
  /** True when other replicas may listen: batches go out even without local subscribers. */
  readonly shared: boolean
  send(batch: CommittedBatch): void
  /** Receives every batch sent by any replica, this one included; resolves once listening. */
  listen(deliver: (batch: CommittedBatch) => void): Promise<void>
  close(): Promise<void>
}

/** The bus of a single replica: batches are handed over in process, as they are. */
export function localBus(): LiveBus {
  const listeners: ((batch: CommittedBatch) => void)[] = []
  return {
    shared: false,
    send: (batch) => listeners.forEach((deliver) => deliver(batch)),
    listen: (deliver) => {
      listeners.push(deliver)
      return Promise.resolve()
    },
    close: () => Promise.resolve(),
  }
}

/** The records of a batch as they may leave the process: without client addresses. */
export function wireRecords(records: readonly EventRecord[]): WireRecord[] {
  return records.map(({ remoteAddr: _, ...rest }) => rest)
}
