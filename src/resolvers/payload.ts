import { isTooDeep } from '../ingest/payload-limits.js'
import type { StoredEvent } from '../store/index.js'

const parsed = new WeakMap<StoredEvent, unknown>()

/**
 * An event's payload as JSON, parsed once per event object: a pushed event is resolved for each
 * of its subscribers, and a list shows message and stack of the same row. Reading never fails on
 * what is stored: text that is not JSON, or JSON nested deeper than ingest accepts (rows of older
 * versions or other writers, which would overflow the serialiser), is answered as the text itself.
 */
export function payloadOf(e: StoredEvent): unknown {
  if (e.payload === null) return null
  if (parsed.has(e)) return parsed.get(e)
  let value: unknown
  if (isTooDeep(e.payload)) value = e.payload
  else {
    try {
      value = JSON.parse(e.payload)
    } catch {
      value = e.payload // rows written before validation (CVAT's own) may hold any text
    }
  }
  parsed.set(e, value)
  return value
}

/** A field of the payload as text (non-strings as JSON), null when absent. */
export function payloadField(e: StoredEvent, field: string): string | null {
  const payload = payloadOf(e)
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return null
  const value = (payload as Record<string, unknown>)[field]
  if (value === undefined || value === null) return null
  return typeof value === 'string' ? value : JSON.stringify(value)
}
