import type { Context } from '../context.js'
import { isTooDeep } from '../ingest/payload-limits.js'
import { textBytes } from '../pipeline/answer-budget.js'
import type { StoredEvent } from '../store/index.js'
import { clip, fullText, withPayload } from './event-texts.js'

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

/**
 * The `payload` field: the JSON object (parsed as payloadOf does), or with `maxLength`, when its
 * text is longer, the first maxLength characters of the text as a string. A payload a page left
 * out is fetched (only as much of it as `maxLength` needs); the text's bytes count towards the answer.
 */
export async function answeredPayload(ctx: Context, e: StoredEvent, maxChars?: number): Promise<unknown> {
  if (maxChars === undefined) {
    const full = await withPayload(ctx, e)
    if (full.payload !== null) ctx.answer.answer(textBytes(full.payload))
    return payloadOf(full)
  }
  const text = await fullText(ctx, e, 'payload', maxChars)
  if (text === null) return null
  const { text: cut, clipped } = clip(text, maxChars)
  ctx.answer.answer(textBytes(cut))
  if (clipped) return cut
  return e.payload === text ? payloadOf(e) : payloadOf({ ...e, payload: text })
}
