import { badInput } from '../errors.js'
import type { EventCursor } from '../store/index.js'

/**
 * Cursors are opaque to clients: base64url of the last event's time, id, ingest time and how many
 * copies of that row the pages returned so far (store/events-read.ts). A cursor of an earlier
 * version (time and id only) still reads: it is past every copy of its row.
 */
export function encodeCursor(cursor: EventCursor): string {
  const fields =
    cursor.ingestedAtMs === null
      ? [cursor.timestampMs, cursor.eventId]
      : [cursor.timestampMs, cursor.eventId, cursor.ingestedAtMs, cursor.seen]
  return Buffer.from(JSON.stringify(fields)).toString('base64url')
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** More copies of one row than any sender's retries make: a cursor past it was not ours. */
const MAX_SEEN = 100_000

const time = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value)

export function decodeCursor(text: string, argument = 'after'): EventCursor {
  try {
    const fields = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown
    if (Array.isArray(fields) && (fields.length === 2 || fields.length === 4)) {
      const [timestampMs, eventId, ingestedAtMs, seen] = fields as unknown[]
      if (time(timestampMs) && typeof eventId === 'string' && UUID.test(eventId)) {
        const id = eventId.toLowerCase()
        if (fields.length === 2) return { timestampMs, eventId: id, ingestedAtMs: null, seen: 0 }
        if (time(ingestedAtMs) && time(seen) && seen >= 1 && seen <= MAX_SEEN)
          return { timestampMs, eventId: id, ingestedAtMs, seen }
      }
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(`${argument}: not a cursor this API returned`, { field: argument })
}
