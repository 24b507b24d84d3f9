/**
 * One event as the service writes it: CVAT's event row (docs/cvat-compatibility.md#the-event-row)
 * plus our `event_id`. Ids are decimal strings because they are UInt64 in the table and JavaScript
 * numbers stop being exact at 2^53.
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
 * never read back, and the heartbeats it carries, which only productivity reads), with the request
 * that caused it and when it was ingested.
 */
export interface StoredEvent extends Omit<EventRecord, 'remoteAddr' | 'heartbeats'> {
  /** payload.request.id, '' when the event has none. */
  readonly requestId: string
  readonly ingestedAtMs: number
  /** Present when a read left the large texts out (their fields are then null): their sizes. */
  readonly withheldTexts?: WithheldTexts
}

/** The free-text columns of an event, as long as a request may carry: what reads hold to a byte budget. */
export type EventTextColumn = 'objName' | 'objVal' | 'payload'

/**
 * Stored sizes (UTF-8 bytes; null: no text) of an event's large texts that a read left out
 * because they did not fit its byte budget; they are fetched on their own when asked for.
 */
export type WithheldTexts = Readonly<Record<EventTextColumn, number | null>>

/** Where an event's texts are: its time (the table's sort key) and id. */
export interface EventTextRef {
  readonly eventId: string
  readonly timestampMs: number
}

/** Texts of one column by event id (null: the event has none). */
export type EventTexts = Map<string, string | null>
