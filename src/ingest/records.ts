import type { EventRecord } from '../domain/event.js'
import { newEventId } from './event-id.js'
import type { Identity } from './request-context.js'

/**
 * A record at `timestampMs` with a fresh event id of that time (see newEventId) and every optional
 * column empty. Ingest passes the event's time; the default suits tests that set it afterwards.
 */
export function emptyRecord(timestampMs: number = Date.now()): EventRecord {
  return {
    eventId: newEventId(timestampMs),
    scope: '',
    objName: null,
    objId: null,
    objVal: null,
    source: 'server',
    timestampMs,
    count: null,
    duration: 0,
    projectId: null,
    taskId: null,
    jobId: null,
    userId: null,
    userName: null,
    userEmail: null,
    orgId: null,
    orgSlug: null,
    payload: null,
    accessTokenId: null,
    remoteAddr: null,
  }
}

/** The identity columns of a record, from the authenticated principal. */
export function identityColumns(identity: Identity) {
  return {
    userId: identity.userId,
    userName: identity.userName,
    userEmail: identity.userEmail,
    orgId: identity.orgId,
    orgSlug: identity.orgSlug,
  }
}

/** An id as JSON: a number while exact, else its decimal string. */
export function idToJson(id: string | null): number | string | null {
  if (id === null) return null
  const n = Number(id)
  return Number.isSafeInteger(n) ? n : id
}
