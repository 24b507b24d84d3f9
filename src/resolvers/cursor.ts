import { badInput } from '../errors.js'
import type { EventCursor } from '../store/index.js'

/** Cursors are opaque to clients: base64url of the last event's time and id. */
export function encodeCursor(cursor: EventCursor): string {
  return Buffer.from(JSON.stringify([cursor.timestampMs, cursor.eventId])).toString('base64url')
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function decodeCursor(text: string, argument = 'after'): EventCursor {
  try {
    const [timestampMs, eventId] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as [
      unknown,
      unknown,
    ]
    if (
      typeof timestampMs === 'number' &&
      Number.isSafeInteger(timestampMs) &&
      typeof eventId === 'string' &&
      UUID.test(eventId)
    ) {
      return { timestampMs, eventId }
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(`${argument}: not a cursor this API returned`, { field: argument })
}
