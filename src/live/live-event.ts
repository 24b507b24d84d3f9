import type { EventRecord, StoredEvent } from '../domain/event.js'
import { exceptionGroupOf } from '../domain/exception-fingerprint.js'
import type { FilterableEvent } from '../domain/filter-match.js'

/** An event as subscriptions push it: a stored event (as Query.events returns it) with its group. */
export interface LiveEvent extends StoredEvent, FilterableEvent {
  /** The exception group id ('' for scopes other than send:exception). */
  readonly exceptionGroup: string
}

/**
 * A committed record seen as the stored event Query.events would return. One object per event,
 * shared by every subscriber it matches; what only some subscribers need (the request id parsed
 * from the payload, the group id) is computed on first use. `ingestedAtMs` is when the insert was
 * confirmed, within milliseconds of the engine's own `ingested_at`. The client address, which
 * reads never return, is left out.
 */
export class CommittedEvent implements LiveEvent {
  readonly eventId: string
  readonly scope: string
  readonly objName: string | null
  readonly objId: string | null
  readonly objVal: string | null
  readonly source: string
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
  readonly payload: string | null
  readonly accessTokenId: string | null
  readonly ingestedAtMs: number
  private group: string | undefined
  private request: string | undefined

  constructor(record: WireRecord, ingestedAtMs: number) {
    this.eventId = record.eventId
    this.scope = record.scope
    this.objName = record.objName
    this.objId = record.objId
    this.objVal = record.objVal
    this.source = record.source
    this.timestampMs = record.timestampMs
    this.count = record.count
    this.duration = record.duration
    this.projectId = record.projectId
    this.taskId = record.taskId
    this.jobId = record.jobId
    this.userId = record.userId
    this.userName = record.userName
    this.userEmail = record.userEmail
    this.orgId = record.orgId
    this.orgSlug = record.orgSlug
    this.payload = record.payload
    this.accessTokenId = record.accessTokenId
    this.ingestedAtMs = ingestedAtMs
  }

  get exceptionGroup(): string {
    return (this.group ??= exceptionGroupOf(this.scope, this.payload))
  }

  /** payload.request.id, '' without one: what the table's materialized `request_id` holds. */
  get requestId(): string {
    return (this.request ??= requestIdOf(this.payload))
  }
}

/** A record as it travels between replicas: everything but the client address. */
export type WireRecord = Omit<EventRecord, 'remoteAddr'>

function requestIdOf(payload: string | null): string {
  if (payload === null || !payload.includes('"request"')) return ''
  try {
    const id = (JSON.parse(payload) as { request?: { id?: unknown } } | null)?.request?.id
    return typeof id === 'string' ? id : ''
  } catch {
    return ''
  }
}
