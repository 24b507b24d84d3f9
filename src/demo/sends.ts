import { formatTimestamp } from '../ingest/timestamps.js'
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

/** The event as CVAT's UI serialises it in a batch (snake_case, ISO time, payload as text). */
export function wireEvent(e: SimEvent): Record<string, unknown> {
  const wire: Record<string, unknown> = {
    scope: e.scope,
    timestamp: formatTimestamp(e.timestampMs),
    job_id: e.jobId,
    task_id: e.taskId,
    project_id: e.projectId,
  }
  if (e.duration > 0) wire.duration = e.duration
  if (e.objName !== undefined) wire.obj_name = e.objName
  if (e.objVal !== undefined) wire.obj_val = e.objVal
  if (e.count !== undefined) wire.count = e.count
  if (e.payload !== undefined) wire.payload = e.payload
  return wire
}

/**
 * The body of `POST /api/events`. `sentAtMs` is the client's clock at sending: the real time for
 * a service receiving it now (so its clock-skew correction is ~0 and history stays history), or
 * the simulated send time when the batch is ingested without HTTP.
 */
export function clientBatchBody(send: ClientSend, sentAtMs: number): Record<string, unknown> {
  return {
    events: send.events.map(wireEvent),
    previous_event: send.previous === null ? null : wireEvent(send.previous),
    timestamp: new Date(sentAtMs).toISOString(),
  }
}
