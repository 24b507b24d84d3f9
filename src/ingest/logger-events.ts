import { randomUUID } from 'node:crypto'
import type { EventRecord } from '../domain/event.js'
import { FieldReader, type FieldError } from './fields.js'
import { readRowColumns } from './row-columns.js'

/**
 * One event of CVAT's server logger, read for storing as it is, or the reason it cannot be.
 *
 * What CVAT's server sends (cvat/apps/events/event.py `record_server_event`, and views.py for the
 * client events it forwards): a flat JSON object in CVAT's column names, `timestamp` as epoch
 * seconds in a string (`str(datetime.timestamp())`, "1716393600.123456"), `payload` as JSON text
 * that CVAT rendered itself and that already holds CVAT's own `request` (id, user agent). The
 * event is stored as CVAT's ClickHouse would store it: its payload text byte for byte, its
 * request id, identity and addresses as given; nothing of the listener's own request is added.
 */
export type LoggerEventResult =
  | { readonly ok: true; readonly record: EventRecord }
  | { readonly ok: false; readonly reason: string; readonly message: string }

export function readLoggerEvent(item: unknown): LoggerEventResult {
  const object = loggerObject(item)
  if (object === null) {
    return {
      ok: false,
      reason: 'not_an_object',
      message: `the event is not a JSON object: ${describe(item)}`,
    }
  }
  const errors: FieldError[] = []
  const f = new FieldReader(object, '', undefined, errors)
  // Any non-empty scope and source: CVAT's table takes any text there (newer CVATs log scopes
  // such as `interact:iframe:open`), so the listener does not second-guess them.
  const scope = f.requiredText('scope')
  const source = object.source === undefined || object.source === null ? 'server' : f.requiredText('source')
  const timestampMs = loggerTimestamp(object.timestamp, f)
  const payload = loggerPayload(object.payload)
  const record: EventRecord = {
    eventId: randomUUID(),
    scope: scope ?? '',
    source: source ?? '',
    timestampMs: timestampMs ?? 0,
    payload,
    ...readRowColumns(f),
  }
  const [first] = errors
  if (first === undefined) return { ok: true, record }
  return {
    ok: false,
    reason: `invalid_${first.field}`,
    message: errors.map((e) => `${e.field} ${e.message}`).join('; '),
  }
}

/**
 * The payload column exactly as CVAT's ClickHouse would hold it: the JSON text CVAT sent, byte for
 * byte (no parsing, no re-serialising: `2.0` stays `2.0`, keys keep their order), null when absent.
 * A payload sent as a JSON value instead of text (not CVAT's form) is stored as its JSON text.
 * The one place the listener touches a payload.
 */
export function loggerPayload(value: unknown): string | null {
  if (value === undefined || value === null) return null
  return typeof value === 'string' ? value : JSON.stringify(value)
}

const MS_FROM = Date.UTC(2000, 0, 1)
const MS_TO = Date.UTC(2100, 0, 1)

/**
 * Every time CVAT's server writes: epoch seconds as a string (its own events and the client events
 * it forwards), and whatever else CVAT's ClickHouse parses (`date_time_input_format=best_effort`
 * in Vector's sink): ISO-8601 with or without offset, epoch milliseconds, and epoch seconds as a
 * JSON number (unambiguous: seconds and milliseconds of 2000–2099 do not overlap).
 */
function loggerTimestamp(value: unknown, f: FieldReader): number | undefined {
  if (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value * 1000 >= MS_FROM &&
    value * 1000 < MS_TO
  ) {
    return Math.round(value * 1000) // a float's last digits are noise: the nearest millisecond
  }
  return f.timestamp('timestamp')
}

/** An event object, also when a transport sent it as JSON text; null for anything else. */
function loggerObject(item: unknown): Readonly<Record<string, unknown>> | null {
  let value = item
  if (typeof item === 'string') {
    try {
      value = JSON.parse(item)
    } catch {
      return null
    }
  }
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

function describe(item: unknown): string {
  if (item === null) return 'null'
  if (Array.isArray(item)) return 'an array'
  if (typeof item === 'string') return 'a string that is not a JSON object'
  return `a ${typeof item}`
}
