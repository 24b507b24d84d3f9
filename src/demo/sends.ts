import { cvatCoreBatch, cvatCoreEvent, withLoggerFields } from './cvat-wire.js'
import type { DemoPerson } from './world.js'

/**
 * What the simulator produces: requests as CVAT would make them, in the order of their simulated
 * time. A client send is one batch of CVAT's UI logger; a server send is the rows CVAT's server
 * logs for one request (or one cascade), already carrying their request id.
 */
export type DemoSend = ClientSend | ServerSend

export interface ClientSend {
  readonly kind: 'client'
  /** Simulated time the UI posts the batch. */
  readonly atMs: number
  readonly person: DemoPerson
  readonly events: readonly SimEvent[]
  /** Last event of the batch this browser tab sent before; null for the tab's first batch. */
  readonly previous: SimEvent | null
}

export interface ServerSend {
  readonly kind: 'server'
  readonly atMs: number
  /** Full rows for `POST /api/events/server`, in CVAT's column names. */
  readonly rows: readonly Record<string, unknown>[]
}

/** One client event as the simulator models it (ids are CVAT's, numbers). */
export interface SimEvent {
  readonly scope: string
  readonly timestampMs: number
  /** Milliseconds; only `change:frame` durations count as activity in CVAT's rule. */
  readonly duration: number
  readonly jobId: number | null
  readonly taskId: number | null
  readonly projectId: number | null
  readonly objName?: string
  readonly objVal?: string
  readonly count?: number
  /** JSON text of an object, as CVAT's UI sends it. */
  readonly payload?: string
}

/**
 * The event as cvat-core serialises it in a batch (`Event.dump()`, see cvat-wire.ts): snake_case
 * fields present only when set, the browser's ISO time, payload as JSON text with the logger's
 * `client_id` and `is_active`.
 */
export function wireEvent(e: SimEvent, person: DemoPerson): Record<string, unknown> {
  return cvatCoreEvent(
    e.scope,
    e.timestampMs,
    {
      obj_name: e.objName,
      obj_val: e.objVal,
      count: e.count,
      duration: e.duration > 0 ? e.duration : undefined,
      project_id: e.projectId,
      task_id: e.taskId,
      job_id: e.jobId,
    },
    withLoggerFields(e.payload ?? '{}', clientIdOf(person), true),
  )
}

/** cvat-core's `clientID`: six digits, fixed for a browser tab; the demo gives each person one. */
function clientIdOf(person: DemoPerson): string {
  return String(100_000 + ((person.id * 7_919) % 900_000))
}

/**
 * The body of `POST /api/events` as cvat-core saves it. `sentAtMs` is the client's clock at
 * sending: the real time for a service receiving it now (so its clock-skew correction is ~0 and
 * history stays history), or the simulated send time when the batch is ingested without HTTP.
 */
export function clientBatchBody(send: ClientSend, sentAtMs: number): Record<string, unknown> {
  return cvatCoreBatch(
    send.events.map((e) => wireEvent(e, send.person)),
    send.previous === null ? null : wireEvent(send.previous, send.person),
    sentAtMs,
  )
}
