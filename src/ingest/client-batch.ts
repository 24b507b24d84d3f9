import type { EventRecord } from '../domain/event.js'
import {
  asObject,
  COUNT_MAX,
  DURATION_MAX,
  FieldReader,
  invalid,
  WIRE_NAMES,
  type FieldError,
  type FieldNames,
  type Payload,
  type Rejection,
} from './fields.js'
import { stampRequest, type Identity, type RequestContext } from './request-context.js'
import { newEventId } from './event-id.js'
import { attachHeartbeats } from './heartbeats.js'
import { emptyRecord, identityColumns, idToJson } from './records.js'
import { HEARTBEAT_SCOPE, WORKING_TIME_SCOPE } from '../domain/scopes.js'
import { clientScopeProblem, COUNTED_SCOPES } from './scopes.js'
import { formatTimestamp, MAX_DATE_MS, STORABLE } from './timestamps.js'
import { computeWorkingTime, type TimedEvent } from './working-time.js'

/** A client batch that passed validation: what to store and what to answer (CVAT's echo). */
export interface AcceptedClientBatch {
  /** Stored events: the batch without heartbeats, then the computed `send:working_time` events. */
  readonly records: EventRecord[]
  /** The validated batch as CVAT answers it (corrected times, identity filled in); null when not asked for. */
  readonly echo: ClientBatchEcho | null
}

export interface ClientBatchEcho {
  readonly events: Record<string, unknown>[]
  readonly timestamp: string
}

export interface ClientBatchOptions {
  readonly maxEvents: number
  /** Build CVAT's echo of the batch (skipped for `Prefer: return=minimal`). */
  readonly echo: boolean
  /** How the body names its fields. @default CVAT's wire names */
  readonly names?: FieldNames
}

export type ClientBatchResult = { readonly ok: true; readonly batch: AcceptedClientBatch } | Rejection

interface ParsedEvent extends TimedEvent {
  readonly objName: string | null
  readonly objId: string | null
  readonly objVal: string | null
  readonly count: number | null
  readonly payload: Payload
}

const NO_PAYLOAD: Payload = { object: {}, text: null }

/**
 * Validates a CVAT client batch (docs/cvat-compatibility.md#client-batches) and turns it into event
 * records: times corrected for the client's clock skew, identity taken from the principal (never
 * from the body), the request recorded in every payload, working time computed as CVAT does
 * (docs/cvat-compatibility.md#working-time). Any invalid event rejects the whole batch, and every
 * problem is reported.
 */
export function readClientBatch(
  body: unknown,
  identity: Identity,
  request: RequestContext,
  options: ClientBatchOptions,
): ClientBatchResult {
  const names = options.names ?? WIRE_NAMES
  const errors: FieldError[] = []
  const root = asObject(body, 'body', undefined, errors)
  if (!root) return invalid(errors)
  const rawEvents = root.events ?? []
  if (!Array.isArray(rawEvents)) return invalid([{ field: 'events', message: 'must be an array' }])
  if (rawEvents.length > options.maxEvents) {
    const message = `has ${rawEvents.length} events; at most ${options.maxEvents} are accepted per request`
    return { ok: false, problem: 'too-many-events', errors: [{ field: 'events', message }] }
  }

  const sentAt = new FieldReader(root, '', undefined, errors, names).timestamp('timestamp', 'client')
  const previousName = names('previous_event')
  const previousRaw = root[previousName] ?? null
  const previous =
    previousRaw === null ? null : readEvent(previousRaw, previousName, undefined, errors, false, names)
  const events = rawEvents.map((raw, i) => readEvent(raw, `events[${i}]`, i, errors, true, names))
  if (errors.length > 0 || sentAt === undefined) return invalid(errors)

  const parsed = events as ParsedEvent[]
  const correction = request.receivedAtMs - sentAt
  // The range is a property of the corrected time, as CVAT stores it: a browser whose clock is
  // decades off still sends times that land near the server's.
  parsed.forEach((e, i) => {
    const at = e.timestampMs + correction
    if (at < STORABLE.fromMs || at >= STORABLE.toMs) errors.push(unstorable(i, at, sentAt, names))
  })
  if (errors.length > 0) return invalid(errors)
  const records: EventRecord[] = []
  const echo: Record<string, unknown>[] = []
  let heartbeats = 0
  for (const e of parsed) {
    const payload = stampRequest(e.payload, request, false)
    const record = clientRecord(e, e.timestampMs + correction, payload, identity, request)
    if (options.echo) echo.push(echoOf(record))
    if (e.scope !== HEARTBEAT_SCOPE) records.push(record)
    else heartbeats++
  }
  const clientRows = records.length
  // Working time depends only on differences between times, so it runs on the uncorrected times
  // (sparing a copy of every event) and only its bucket times are corrected.
  for (const bucket of computeWorkingTime(parsed, previous).buckets) {
    records.push({
      ...emptyRecord(bucket.timestampMs + correction),
      scope: WORKING_TIME_SCOPE,
      source: 'server',
      count: 1,
      duration: bucket.ms,
      jobId: bucket.jobId,
      taskId: bucket.taskId,
      projectId: bucket.projectId,
      ...identityColumns(identity),
      payload: stampRequest({ object: { working_time: bucket.ms }, text: null }, request, false),
      remoteAddr: request.remoteAddr,
    })
  }
  // Heartbeats are not stored as events; working time at another idle cutoff needs them. A
  // heartbeat named as the previous event may have been all its batch held (nothing stored it):
  // it is kept again here, and reads ignore a heartbeat that repeats one.
  const previousHeartbeat = previous?.scope === HEARTBEAT_SCOPE ? [previous] : []
  if (heartbeats + previousHeartbeat.length > 0) {
    attachHeartbeats([...previousHeartbeat, ...parsed], records, clientRows, correction)
  }
  const echoed = options.echo ? { events: echo, timestamp: formatTimestamp(sentAt) } : null
  return { ok: true, batch: { records, echo: echoed } }
}

/** Why an event's corrected time cannot be stored (STORABLE), naming both times. */
function unstorable(index: number, at: number, sentAt: number, names: FieldNames): FieldError {
  const shown = Math.abs(at) <= MAX_DATE_MS ? formatTimestamp(at) : 'beyond any calendar'
  const field = names('timestamp')
  return {
    index,
    field: `events[${index}].${field}`,
    message:
      `is ${shown} once corrected for the sender's clock (the batch's ${field}: ${formatTimestamp(sentAt)}); ` +
      'times before 1970 or after 2099 cannot be stored',
  }
}

function readEvent(
  raw: unknown,
  path: string,
  index: number | undefined,
  errors: FieldError[],
  isBatchEvent: boolean,
  names: FieldNames,
): ParsedEvent | undefined {
  const object = asObject(raw, path, index, errors)
  if (!object) return undefined
  const f = new FieldReader(object, path, index, errors, names)
  const scope = f.requiredText('scope')
  const scopeProblem = isBatchEvent && scope !== undefined ? clientScopeProblem(scope) : null
  if (scopeProblem !== null) f.fail('scope', scopeProblem)
  if (isBatchEvent) clientSource(object, f, names)
  const count = f.integer('count', 0, COUNT_MAX)
  if (isBatchEvent && scope !== undefined && COUNTED_SCOPES.has(scope) && count !== null && count < 1) {
    f.fail('count', `must be at least 1 for '${scope}'`)
  }
  // The client's clock: checked once corrected (readClientBatch).
  const timestampMs = f.timestamp('timestamp', 'client')
  const payload = isBatchEvent ? f.payload('payload') : NO_PAYLOAD
  const event = {
    scope: scope ?? '',
    timestampMs: timestampMs ?? 0,
    duration: f.integer('duration', 0, DURATION_MAX) ?? 0,
    jobId: f.id('job_id'),
    taskId: f.id('task_id'),
    projectId: f.id('project_id'),
    objName: f.text('obj_name'),
    objId: f.id('obj_id'),
    objVal: f.text('obj_val'),
    count,
    payload: payload ?? NO_PAYLOAD,
  }
  return scope === undefined || timestampMs === undefined || payload === undefined ? undefined : event
}

/**
 * A client event is a client's: CVAT answers 400 to one claiming another source ("Event scope
 * **x** is not allowed from server": its allowed scopes are per source, and `client` is the only
 * source with any). Absent, null and `client` are the same.
 */
function clientSource(object: Readonly<Record<string, unknown>>, f: FieldReader, names: FieldNames): void {
  const source = object[names('source')] ?? null
  if (source === null || source === 'client') return
  f.fail('source', `${JSON.stringify(source)} is not allowed from a client: client events are 'client'`)
}

function clientRecord(
  e: ParsedEvent,
  timestampMs: number,
  payload: string,
  identity: Identity,
  request: RequestContext,
): EventRecord {
  // A literal, not a spread of emptyRecord(): this runs once per event on ingest's hot path.
  return {
    eventId: newEventId(timestampMs),
    scope: e.scope,
    objName: e.objName,
    objId: e.objId,
    objVal: e.objVal,
    source: 'client',
    timestampMs,
    count: e.count,
    duration: e.duration,
    projectId: e.projectId,
    taskId: e.taskId,
    jobId: e.jobId,
    userId: identity.userId,
    userName: identity.userName,
    userEmail: identity.userEmail,
    orgId: identity.orgId,
    orgSlug: identity.orgSlug,
    payload,
    accessTokenId: null,
    remoteAddr: request.remoteAddr,
  }
}

/** The event as CVAT echoes it in its 201 answer (snake_case, ISO time, payload as JSON text). */
function echoOf(r: EventRecord): Record<string, unknown> {
  return {
    scope: r.scope,
    obj_name: r.objName,
    obj_id: idToJson(r.objId),
    obj_val: r.objVal,
    source: r.source,
    timestamp: formatTimestamp(r.timestampMs),
    count: r.count,
    duration: r.duration,
    project_id: idToJson(r.projectId),
    task_id: idToJson(r.taskId),
    job_id: idToJson(r.jobId),
    user_id: idToJson(r.userId),
    user_name: r.userName,
    user_email: r.userEmail,
    org_id: idToJson(r.orgId),
    org_slug: r.orgSlug,
    payload: r.payload,
  }
}
