import type { Engine } from './engine.js'
import type { AuthorizedFilter } from '../domain/filter.js'
import { eventConditions } from './filter-sql.js'
import { rowToEvent, STORED_EVENT_COLUMNS, type StoredEvent, type StoredEventRow } from './stored-event.js'

/** A position in the (timestamp, event_id) order: the last event of the previous page. */
export interface EventCursor {
  readonly timestampMs: number
  readonly eventId: string
}

export interface EventPageRequest {
  readonly first: number
  readonly after?: EventCursor
  readonly order: 'asc' | 'desc'
}

export interface EventPage {
  readonly events: StoredEvent[]
  readonly hasNextPage: boolean
}

/**
 * One page of events in (timestamp, event_id) order. Keyset pagination: the next page starts
 * strictly after the cursor, so pages stay stable while events are inserted and no page costs
 * an OFFSET scan of the ones before it.
 */
export async function listEvents(
  engine: Engine,
  filter: AuthorizedFilter,
  page: EventPageRequest,
): Promise<EventPage> {
  const where = eventConditions(filter)
  const direction = page.order === 'asc' ? 'ASC' : 'DESC'
  const keyset = page.after
    ? `AND (timestamp, event_id) ${page.order === 'asc' ? '>' : '<'} (fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC'), toUUID({after_id:String}))`
    : ''
  const rows = await engine.rows<StoredEventRow>({
    name: 'events.page',
    sql: `SELECT ${STORED_EVENT_COLUMNS}
          FROM ${engine.database}.events
          WHERE ${where.sql} ${keyset}
          ORDER BY timestamp ${direction}, event_id ${direction}
          LIMIT {limit:UInt32}`,
    params: {
      ...where.params,
      ...(page.after ? { after_ts: page.after.timestampMs, after_id: page.after.eventId } : {}),
      limit: page.first + 1,
    },
  })
  return { events: rows.slice(0, page.first).map(rowToEvent), hasNextPage: rows.length > page.first }
}
