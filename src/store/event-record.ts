import type { EventRecord } from '../domain/event.js'
import { exceptionGroupOf } from '../domain/exception-fingerprint.js'

export type { EventRecord } from '../domain/event.js'

/**
 * CVAT's event columns, in CVAT's order (docs/cvat-compatibility.md#the-event-row): the table keeps
 * them, exports list them.
 */
export const CVAT_COLUMNS = [
  'scope',
  'obj_name',
  'obj_id',
  'obj_val',
  'source',
  'timestamp',
  'count',
  'duration',
  'project_id',
  'task_id',
  'job_id',
  'user_id',
  'user_name',
  'user_email',
  'org_id',
  'org_slug',
  'payload',
  'access_token_id',
  'remote_addr',
] as const

/** Column order of an insert; serializeEvent's fields follow it. */
export const EVENT_INSERT_COLUMNS = ['event_id', ...CVAT_COLUMNS, 'exception_group', 'heartbeats'] as const

/**
 * One TabSeparated line. The engine parses TSV about twice as fast as JSONCompactEachRow (measured
 * in bench/ingest.ts), and most fields need no escaping, which the fast path below skips. The
 * timestamp goes as `seconds.millis`, which every ClickHouse version reads exactly whatever its
 * `date_time_input_format`.
 */
export function serializeEvent(e: EventRecord): string {
  // Concatenation rather than an array join: this runs once per event on ingest's hot path.
  return (
    e.eventId +
    '\t' +
    text(e.scope) +
    '\t' +
    nullableText(e.objName) +
    '\t' +
    (e.objId ?? NULL) +
    '\t' +
    nullableText(e.objVal) +
    '\t' +
    text(e.source) +
    '\t' +
    formatEpochSeconds(e.timestampMs) +
    '\t' +
    (e.count ?? NULL) +
    '\t' +
    e.duration +
    '\t' +
    (e.projectId ?? NULL) +
    '\t' +
    (e.taskId ?? NULL) +
    '\t' +
    (e.jobId ?? NULL) +
    '\t' +
    (e.userId ?? NULL) +
    '\t' +
    nullableText(e.userName) +
    '\t' +
    nullableText(e.userEmail) +
    '\t' +
    (e.orgId ?? NULL) +
    '\t' +
    nullableText(e.orgSlug) +
    '\t' +
    nullableText(e.payload) +
    '\t' +
    (e.accessTokenId ?? NULL) +
    '\t' +
    nullableText(e.remoteAddr) +
    '\t' +
    // Hex digits or '': nothing to escape. Sent rather than left to the column's DEFAULT, whose
    // regexes would cost every insert ~10 ms (see schema/exception-groups.ts).
    exceptionGroupOf(e.scope, e.payload) +
    '\t' +
    (e.heartbeats === undefined || e.heartbeats.length === 0 ? '[]' : `[${e.heartbeats.join(',')}]`)
  )
}

/**
 * The inverse of serializeEvent, for rows read back from the spool (the group id, derived from
 * scope and payload, is not read back; lines spooled before it or the heartbeats were written
 * have no such fields).
 */
export function deserializeEvent(line: string): EventRecord {
  const c = line.split('\t').map((cell) => (cell === NULL ? null : unescape(cell)))
  const str = (i: number) => c[i] ?? null
  const num = (i: number) => (c[i] === null || c[i] === undefined ? null : Number(c[i]))
  return {
    eventId: String(c[0]),
    scope: String(c[1]),
    objName: str(2),
    objId: str(3),
    objVal: str(4),
    source: String(c[5]),
    timestampMs: Math.round(Number(c[6]) * 1000),
    count: num(7),
    duration: num(8) ?? 0,
    projectId: str(9),
    taskId: str(10),
    jobId: str(11),
    userId: str(12),
    userName: str(13),
    userEmail: str(14),
    orgId: str(15),
    orgSlug: str(16),
    payload: str(17),
    accessTokenId: str(18),
    remoteAddr: str(19),
    ...heartbeatsOf(c[21]),
  }
}

function heartbeatsOf(cell: string | null | undefined): { heartbeats?: number[] } {
  if (cell === null || cell === undefined || cell === '[]') return {}
  return { heartbeats: cell.slice(1, -1).split(',').map(Number) }
}

/** The insert format of serializeEvent's lines. */
export const EVENT_INSERT_FORMAT = 'TabSeparated' as const

const NULL = '\\N'
const NEEDS_ESCAPE = /[\\\t\n\r]/
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' }
const UNESCAPES: Record<string, string> = { '\\': '\\', t: '\t', n: '\n', r: '\r' }

function text(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, (ch) => ESCAPES[ch] as string) : value
}

function nullableText(value: string | null): string {
  return value === null ? NULL : text(value)
}

function unescape(cell: string): string {
  return cell.includes('\\') ? cell.replace(/\\(.)/g, (_, ch: string) => UNESCAPES[ch] ?? ch) : cell
}

function formatEpochSeconds(ms: number): string {
  const whole = Math.floor(ms / 1000)
  const frac = ms - whole * 1000
  return `${whole}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`
}
