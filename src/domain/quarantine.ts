/**
 * An event set aside instead of stored (see store/schema/quarantine-table.ts): the raw text as it
 * arrived, why, when, and which request brought it.
 */
export interface QuarantineEntry {
  readonly receivedAtMs: number
  /** The ingest path that set it aside (`cvat_logger`). */
  readonly path: string
  /** A short stable code (`invalid_timestamp`, `not_an_object`, `store_rejected`, …). */
  readonly reason: string
  /** What was wrong, naming the field, for a person. */
  readonly message: string
  /** The X-Request-Id of the request that brought it (also in the service log). */
  readonly requestId: string
  /** Its index in that request's batch. */
  readonly position: number
  /** The event's JSON text, byte for byte as it arrived. */
  readonly raw: string
}

/** A quarantined event as reads return it. */
export interface QuarantinedEvent extends QuarantineEntry {
  readonly id: string
}

/** How many events were set aside for one reason, and the latest of them. */
export interface QuarantineReasonCount {
  readonly reason: string
  readonly count: number
  readonly lastMs: number
}
