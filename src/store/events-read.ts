import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'
import type { Cube } from './rollups/cube.js'
import { NO_TEXT_CAP, textBytesOf } from './event-texts.js'
import {
  rowToEvent,
  storedEventColumns,
  type StoredEvent,
  type StoredEventField,
  type StoredEventRow,
} from './stored-event.js'

/**
 * A position in the (timestamp, event_id, ingested_at) order: the last event of the previous page.
 * Rows equal in all three are copies of one event (a sender's retry: CVAT's Vector writes a row
 * twice, and rows other writers insert take their id from their content), told apart by count:
 * `seen` of them were returned so far, and the next page skips that many before going on.
 */
export interface EventCursor {
  readonly timestampMs: number
  readonly eventId: string
  /** null: a cursor of an earlier version, which is past every copy of its (timestamp, event_id). */
  readonly ingestedAtMs: number | null
  readonly seen: number
}

export interface EventPageRequest {
  readonly first: number
  readonly after?: EventCursor
  readonly order: 'asc' | 'desc'
  /** The fields the caller reads (the GraphQL selection); only their columns are fetched. @default all */
  readonly fields?: ReadonlySet<StoredEventField>
  /**
   * Most bytes of large texts (obj_name, obj_val, payload together) one row may bring; a row with
   * more comes without them, with their sizes (StoredEvent.withheldTexts). @default no limit
   */
  readonly maxRowTextBytes?: number
}

export interface EventPage {
  readonly events: StoredEvent[]
  /** The cursor after each event (its edge's). */
  readonly cursors: EventCursor[]
  readonly hasNextPage: boolean
  /** Bytes of large texts the page brought (what its rows hold, not what they left out). */
  readonly textBytes: number
}

/**
 * How far from the page's start the first queries look: a page of the newest events is usually
 * in the last hour, and reading an hour costs a hundredth of reading a month. A window that holds
 * a whole page holds the page (every event outside it comes later in the order); one that does
 * not is widened, up to the filter's whole range.
 */
const WINDOWS_MS = [3_600_000, 86_400_000, 7 * 86_400_000, 31 * 86_400_000]

/**
 * One page of events in (timestamp, event_id, ingested_at) order. Keyset pagination: the next page
 * starts after the cursor (after the copies of its row already returned), so every stored row is
 * returned once, whatever is inserted meanwhile, and no page costs an OFFSET scan of the ones
 * before it. Read from the exceptions' own table when the filter keeps
 * to them (rollups/catalog.ts), and through widening time windows (WINDOWS_MS) unless it names ids.
 */
export async function listEvents(
  engine: Engine,
  cube: Cube,
  filter: AuthorizedFilter,
  page: EventPageRequest,
): Promise<EventPage> {
  const where = eventConditions(filter)
  const source = cube.rawSource(filter)
  const desc = page.order === 'desc'
  const direction = desc ? 'DESC' : 'ASC'
  const after = page.after
  const keyset = !after
    ? ''
    : after.ingestedAtMs === null
      ? `AND (timestamp, event_id) ${desc ? '<' : '>'} (fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC'), toUUID({after_id:String}))`
      : `AND (timestamp, event_id, ingested_at) ${desc ? '<=' : '>='}
           (fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC'), toUUID({after_id:String}),
            fromUnixTimestamp64Milli({after_ingested:Int64}, 'UTC'))`
  const skip = after?.seen ?? 0
  // Where the order starts: the cursor, else the range's end (desc) or start (asc).
  const anchor = after?.timestampMs ?? (desc ? (filter.to ?? Date.now()) : filter.from)
  const limit = page.first + 1 + skip
  const read = (windowMs: number | null) => {
    const edge =
      windowMs === null || anchor === undefined ? null : desc ? anchor - windowMs : anchor + windowMs
    // A window that reaches past the range's own bound is the whole range.
    const whole =
      edge === null ||
      (desc ? filter.from !== undefined && edge <= filter.from : filter.to !== undefined && edge >= filter.to)
    const bound = whole
      ? ''
      : `AND timestamp ${desc ? '>=' : '<='} fromUnixTimestamp64Milli({w_edge:Int64}, 'UTC')`
    return {
      whole,
      rows: engine.rows<StoredEventRow>({
        name: 'events.page',
        sql: `SELECT ${storedEventColumns(page.fields)}
              FROM ${source}
              WHERE ${where.sql} ${keyset} ${bound}
              ORDER BY timestamp ${direction}, event_id ${direction}, ingested_at ${direction}
              LIMIT {limit:UInt32}`,
        params: {
          ...where.params,
          ...(after ? { after_ts: after.timestampMs, after_id: after.eventId } : {}),
          ...(after?.ingestedAtMs != null ? { after_ingested: after.ingestedAtMs } : {}),
          ...(whole ? {} : { w_edge: edge }),
          limit,
          text_cap: page.maxRowTextBytes ?? NO_TEXT_CAP,
        },
      }),
    }
  }
  // A filter on a job, task, project or user finds its events through the ids' index in one
  // query; windows pay off for broad filters (an organization, scopes), whose pages are recent.
  const narrow = [filter.jobIds, filter.taskIds, filter.projectIds, filter.userIds].some(
    (ids) => (ids?.length ?? 0) > 0,
  )
  let rows: StoredEventRow[] = []
  for (const windowMs of narrow ? [null] : [...WINDOWS_MS, null]) {
    const attempt = read(windowMs)
    rows = await attempt.rows
    if (rows.length >= limit || attempt.whole) break
  }
  const events = rows.map(rowToEvent)
  // The copies of the cursor's row already returned come first: skip them (no more than that).
  let start = 0
  while (start < skip && start < events.length && after && sameRow(events[start] as StoredEvent, after))
    start++
  const returned = events.slice(start, start + page.first)
  const keptRows = rows.slice(start, start + page.first)
  return {
    events: returned,
    cursors: cursorsOf(returned, after),
    hasNextPage: events.length - start > page.first,
    textBytes: keptRows.reduce((sum, row) => sum + textBytesOf(row), 0),
  }
}

function sameRow(event: StoredEvent, cursor: EventCursor): boolean {
  return (
    event.timestampMs === cursor.timestampMs &&
    event.eventId === cursor.eventId &&
    event.ingestedAtMs === cursor.ingestedAtMs
  )
}

/** Each event's cursor: its position, and how many copies of it were returned up to it. */
function cursorsOf(events: readonly StoredEvent[], after: EventCursor | undefined): EventCursor[] {
  const cursors: EventCursor[] = []
  let previous = after
  for (const e of events) {
    const seen = previous && sameRow(e, previous) ? previous.seen + 1 : 1
    previous = { timestampMs: e.timestampMs, eventId: e.eventId, ingestedAtMs: e.ingestedAtMs, seen }
    cursors.push(previous)
  }
  return cursors
}
