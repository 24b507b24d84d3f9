import { parseId } from '../domain/ids.js'
import { payloadProblem } from './payload-limits.js'
import { parseInstant, parseTimestamp, timeOffsetProblem, TIMESTAMP_FORMATS } from './timestamps.js'

/** One problem in a request body, named by JSON path (`events[3].scope`) and event index. */
export interface FieldError {
  /** Index of the offending event in the batch, when the problem is inside one. */
  readonly index?: number
  readonly field: string
  readonly message: string
}

/**
 * The largest `count` stored. CVAT's serializer takes any integer and its UInt16 column wraps
 * what it cannot hold (70000 shapes became 4464); ours is UInt32, and counts stay within 2^31 - 1
 * so that GraphQL's 32-bit `Int` carries every stored value exactly.
 */
export const COUNT_MAX = 2_147_483_647

/** `duration` is UInt32 milliseconds, as in CVAT's table. */
export const DURATION_MAX = 4_294_967_295

/**
 * Why a request's events were refused, whatever the transport: invalid fields, or more events than
 * one request may carry. The transport chooses the status (REST: 400 or 413).
 */
export interface Rejection {
  readonly ok: false
  readonly problem: 'invalid' | 'too-many-events'
  readonly errors: FieldError[]
}

/** One line about a refusal: the first problem, and how many more there are. */
export function summarize(errors: readonly FieldError[]): string {
  const [first] = errors
  if (!first) return 'invalid request'
  const where = first.index === undefined ? '' : `event ${first.index}: `
  const more =
    errors.length > 1 ? ` (and ${errors.length - 1} more problem${errors.length > 2 ? 's' : ''})` : ''
  return `${where}${first.field} ${first.message}${more}`
}

/** Refuses what `errors` lists as invalid. */
export const invalid = (errors: FieldError[]): Rejection => ({ ok: false, problem: 'invalid', errors })

/**
 * How a caller names the fields of an event. The readers ask for CVAT's wire names (`job_id`);
 * GraphQL's input says `jobId`, and its problems must name the field as the caller wrote it.
 */
export type FieldNames = (wireName: string) => string

/** CVAT's JSON, as POST /api/events takes it. */
export const WIRE_NAMES: FieldNames = (name) => name

/** Required names (scope, source) are short; free text (obj_val, obj_name) is stored whole, as CVAT does. */
const MAX_NAME = 1_024

/**
 * Reads typed fields off one JSON object, collecting every problem instead of stopping at the
 * first, so a 400 can list them all. Absent and null are the same for optional fields.
 */
export class FieldReader {
  constructor(
    private readonly object: Readonly<Record<string, unknown>>,
    private readonly path: string,
    private readonly index: number | undefined,
    private readonly errors: FieldError[],
    private readonly names: FieldNames = WIRE_NAMES,
  ) {}

  fail(name: string, message: string): undefined {
    const field = this.path ? `${this.path}.${this.names(name)}` : this.names(name)
    this.errors.push(this.index === undefined ? { field, message } : { index: this.index, field, message })
    return undefined
  }

  private value(name: string): unknown {
    return this.object[this.names(name)] ?? null
  }

  /**
   * A UInt64 id: a non-negative integer, or a decimal string for values past 2^53. A negative one
   * is refused: CVAT's serializer takes it, but its UInt64 column cannot, and ClickHouse refuses the
   * whole insert (CVAT loses the event and the rest of Vector's batch with it).
   */
  id(name: string): string | null {
    const v = this.value(name)
    if (v === null) return null
    const id = parseId(v)
    if (id !== undefined) return id
    if (typeof v === 'number' && Number.isInteger(v) && v > 0) {
      return this.fail(name, 'must be a non-negative integer (send ids above 2^53 as strings)') ?? null
    }
    if ((typeof v === 'number' && v < 0) || (typeof v === 'string' && /^-\d+$/.test(v))) {
      return this.fail(name, `must be a non-negative integer id (ids are UInt64); got ${describe(v)}`) ?? null
    }
    return this.fail(name, 'must be a non-negative integer id') ?? null
  }

  /**
   * Text, stored whole whatever its length (CVAT's CharField has no maximum; a request's size is
   * bounded by MAX_BODY_BYTES). Numbers and booleans are taken as their text, as CVAT's serializer does.
   */
  text(name: string): string | null {
    const v = this.value(name)
    if (v === null) return null
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    if (typeof v !== 'string') return this.fail(name, 'must be a string') ?? null
    // A lone surrogate cannot be encoded as UTF-8: it would be stored as a replacement character.
    if (!v.isWellFormed()) return this.fail(name, 'must be valid Unicode text') ?? null
    return v
  }

  requiredText(name: string, pattern?: { regex: RegExp; description: string }): string | undefined {
    const v = this.value(name)
    if (typeof v !== 'string' || v === '')
      return this.fail(name, 'is required and must be a non-empty string')
    if (v.length > MAX_NAME) return this.fail(name, `must be at most ${MAX_NAME} characters`)
    if (!v.isWellFormed()) return this.fail(name, 'must be valid Unicode text')
    if (pattern && !pattern.regex.test(v))
      return this.fail(name, `must be ${pattern.description}, got ${describe(v)}`)
    return v
  }

  integer(name: string, min: number, max: number): number | null {
    const v = this.value(name)
    if (v === null) return null
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v
    return this.fail(name, `must be an integer from ${min} to ${max}`) ?? null
  }

  /**
   * A time from 2000 to 2099; `clock: 'client'`, any time (a client's clock, which the caller
   * corrects and checks then).
   */
  timestamp(name: string, clock: 'absolute' | 'client' = 'absolute'): number | undefined {
    const v = this.value(name)
    if (v === null) return this.fail(name, `is required: ${TIMESTAMP_FORMATS}`)
    if (clock === 'client') {
      const ms = parseInstant(v)
      if (ms !== undefined) return ms
      const offset = timeOffsetProblem(v)
      return this.fail(name, `must be ${TIMESTAMP_FORMATS}${offset ? `: ${offset}` : ''}; got ${describe(v)}`)
    }
    const ms = parseTimestamp(v)
    if (ms === undefined) {
      const offset = timeOffsetProblem(v)
      if (offset) return this.fail(name, `must be ${TIMESTAMP_FORMATS}: ${offset}; got ${describe(v)}`)
      return this.fail(name, `must be ${TIMESTAMP_FORMATS}, between 2000 and 2099; got ${describe(v)}`)
    }
    return ms
  }

  /**
   * A JSON object, given as JSON text (CVAT's form) or as an object. Absent means `{}`. Only
   * objects are accepted: the request id is recorded inside the payload. Its size and depth are
   * checked first (payloadProblem), before it is parsed, stamped or serialised.
   */
  payload(name: string): Payload | undefined {
    const v = this.value(name)
    if (v === null) return { object: {}, text: null }
    const problem = payloadProblem(v)
    if (problem !== undefined) return this.fail(name, problem)
    let parsed: unknown = v
    if (typeof v === 'string') {
      try {
        parsed = JSON.parse(v)
      } catch {
        return this.fail(name, 'must be valid JSON text')
      }
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return this.fail(name, 'must be a JSON object')
    }
    return { object: parsed as Record<string, unknown>, text: typeof v === 'string' ? v : null }
  }
}

const DESCRIBED_CHARS = 40

/**
 * A value as an error message quotes it: short, and never serialised whole (a hostile value may be
 * huge or nested deeper than JSON.stringify can recurse).
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > DESCRIBED_CHARS ? `${value.slice(0, DESCRIBED_CHARS)}…` : value
    return JSON.stringify(shown)
  }
  if (value === null || typeof value !== 'object') return String(value)
  return Array.isArray(value) ? 'an array' : 'an object'
}

/** A validated payload: the object, and the JSON text it came as (null when sent as an object). */
export interface Payload {
  readonly object: Readonly<Record<string, unknown>>
  readonly text: string | null
}

/** Reads `value` as a JSON object or records why it is not one. */
export function asObject(
  value: unknown,
  field: string,
  index: number | undefined,
  errors: FieldError[],
): Record<string, unknown> | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value))
    return value as Record<string, unknown>
  errors.push(
    index === undefined
      ? { field, message: 'must be a JSON object' }
      : { index, field, message: 'must be a JSON object' },
  )
  return undefined
}
