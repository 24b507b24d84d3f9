/**
 * CVAT's wire formats, byte for byte, for the demo and the tests: what CVAT's server posts to its
 * logger listener, and what cvat-core posts to `POST /api/events`.
 *
 * Server events (cvat-ai/cvat `cvat/apps/events/event.py` `record_server_event`): a dict
 * `{"scope", "timestamp": str(datetime.now(timezone.utc).timestamp()), "source": "server",
 * "payload": <JSON text>, **fields}`, rendered by DRF's JSONRenderer (compact, non-ASCII kept) and
 * logged on the `vector` logger (`cvat/settings/base.py` LOGGING: formatter `%(message)s`, handler
 * python-logstash-async `AsynchronousLogstashHandler` with `HttpTransport`, `ssl_enable: False`).
 * The payload text is rendered the same way and carries CVAT's `request` (id, user agent). Client
 * events CVAT forwards (`cvat/apps/events/views.py`) are the validated events rendered the same
 * way, with `"timestamp": str(event["timestamp"].timestamp())`.
 *
 * The transport (`logstash_async/transport.py` `HttpTransport.send`): every queued event text is
 * `json.loads`-ed, at most 50 per batch (`QUEUED_EVENTS_BATCH_SIZE`) and at most
 * `max_content_length` bytes, and the list is posted with requests' `json=`: Python's `json.dumps`
 * defaults (`", "` and `": "` separators, non-ASCII escaped), `Content-Type: application/json`,
 * no compression. Any status but 200 makes it keep the batch and send it again later.
 */

/** Python's `str(float)` of epoch seconds, as CVAT writes event times: "1716393600.123", "1716393600.0". */
export function cvatEpochSeconds(ms: number): string {
  const text = String(ms / 1000) // JavaScript's shortest round-trip form is Python's repr for these
  return text.includes('.') ? text : `${text}.0`
}

/** DRF's JSONRenderer: compact separators, non-ASCII characters kept as they are. */
export function drfJson(value: unknown): string {
  return JSON.stringify(value)
}

/** Python's `json.dumps` with its defaults, as requests' `json=` sends a batch. */
export function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries.map(([k, v]) => `${asciiJson(k)}: ${pythonJson(v)}`).join(', ')}}`
  }
  if (typeof value === 'string') return asciiJson(value)
  return JSON.stringify(value) ?? 'null'
}

/** A JSON string literal with everything outside printable ASCII escaped (`ensure_ascii=True`). */
function asciiJson(text: string): string {
  return JSON.stringify(text).replace(
    /[^\x20-\x7e]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** The fields of one server event after the ones CVAT puts first, in CVAT's column names. */
export type CvatEventFields = Record<string, string | number | null>

/**
 * A server event as CVAT's `record_server_event` builds it, before the transport: scope, time,
 * source and payload first (the payload rendered to text with the request in it), then the rest.
 */
export function cvatServerEvent(
  scope: string,
  timestampMs: number,
  payloadText: string,
  fields: CvatEventFields,
): Record<string, unknown> {
  return {
    scope,
    timestamp: cvatEpochSeconds(timestampMs),
    source: 'server',
    payload: payloadText,
    ...fields,
  }
}

/** The body `HttpTransport` posts for a batch of events. */
export function httpTransportBody(events: readonly Record<string, unknown>[]): string {
  return pythonJson(events)
}

/** The headers `HttpTransport` (requests) sends with it. */
export const HTTP_TRANSPORT_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  'user-agent': 'python-requests/2.32.3',
  accept: '*/*',
  'accept-encoding': 'gzip, deflate',
}

/** How many events `HttpTransport` puts in one request (`QUEUED_EVENTS_BATCH_SIZE`). */
export const HTTP_TRANSPORT_BATCH_SIZE = 50

/** What cvat-core's `Event.dump()` lifts out of the payload into the event, in its order. */
export interface CvatCoreEventFields {
  readonly obj_name?: string | null
  readonly obj_id?: number | null
  readonly obj_val?: string | null
  readonly count?: number | null
  readonly duration?: number | null
  readonly project_id?: number | null
  readonly task_id?: number | null
  readonly job_id?: number | null
}

const DUMPED_FIELDS = [
  'obj_name',
  'obj_id',
  'obj_val',
  'count',
  'duration',
  'project_id',
  'task_id',
  'job_id',
] as const

/**
 * One event of a client batch as cvat-core's `Event.dump()` builds it (cvat-core/src/event.ts):
 * `scope`, `timestamp` (the browser's clock, `toISOString()`), the fields it lifts out of the
 * payload when the payload has them (empty strings left out), and `payload`: the rest of the
 * payload as JSON text, always present. cvat-core's logger adds `client_id` (the last six digits
 * of the tab's start time) and `is_active` to every payload (cvat-core/src/logger-storage.ts).
 */
export function cvatCoreEvent(
  scope: string,
  timestampMs: number,
  fields: CvatCoreEventFields,
  payloadText: string,
): Record<string, unknown> {
  const event: Record<string, unknown> = { scope, timestamp: new Date(timestampMs).toISOString() }
  for (const name of DUMPED_FIELDS) {
    const value = fields[name]
    if (value !== undefined && value !== null && value !== '') event[name] = value
  }
  event.payload = payloadText
  return event
}

/** The payload text with cvat-core's logger fields in front (the text is a JSON object's). */
export function withLoggerFields(payloadText: string, clientId: string, isActive: boolean): string {
  const rest = payloadText.trim().slice(1).trimStart()
  const head = `{"client_id":${JSON.stringify(clientId)},"is_active":${isActive}`
  return rest === '}' ? `${head}}` : `${head},${rest}`
}

/**
 * The body of `POST /api/events` as cvat-core's logger saves it (`logger-storage.ts` `save`):
 * `events`, `previous_event` (the last event of the previous save; absent before the first, as
 * `undefined` is not serialised) and `timestamp`, the browser's clock at sending.
 */
export function cvatCoreBatch(
  events: readonly Record<string, unknown>[],
  previous: Record<string, unknown> | null,
  sentAtMs: number,
): Record<string, unknown> {
  return {
    events,
    ...(previous === null ? {} : { previous_event: previous }),
    timestamp: new Date(sentAtMs).toISOString(),
  }
}
