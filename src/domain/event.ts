/**
 * One event as the service writes it: CVAT's event row (spec §1) plus our `event_id`. Ids are
 * decimal strings because they are UInt64 in the table and JavaScript numbers stop being exact
 * at 2^53.
 */
export interface EventRecord {
  readonly eventId: string
  readonly scope: string
  readonly objName: string | null
  readonly objId: string | null
  readonly objVal: string | null
  readonly source: string
  /** Milliseconds since the epoch, UTC. */
  readonly timestampMs: number
  readonly count: number | null
  readonly duration: number
  readonly projectId: string | null
  readonly taskId: string | null
  readonly jobId: string | null
  readonly userId: string | null
  readonly userName: string | null
  readonly userEmail: string | null
  readonly orgId: string | null
  readonly orgSlug: string | null
  /** JSON text of an object. */
  readonly payload: string | null
  readonly accessTokenId: string | null
  readonly remoteAddr: string | null
  /**
   * CVAT's `user:activity` heartbeats this row carries (they are not events of their own), as
   * offsets in milliseconds from `timestampMs`; absent when none (see src/ingest/heartbeats.ts).
   */
  readonly heartbeats?: readonly number[]
}

/**
 * An event as reads return it: what was written (but the client address, personal data that is
 * never read back), with the request that caused it and when it was ingested.
 */
export interface StoredEvent extends Omit<EventRecord, 'remoteAddr'> {
  /** payload.request.id, '' when the event has none. */
  readonly requestId: string
  readonly ingestedAtMs: number
}
