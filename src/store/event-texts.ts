import type { EventTextColumn, EventTexts, EventTextRef, WithheldTexts } from '../domain/event.js'
import type { Engine } from './engine.js'

const COLUMN: Record<EventTextColumn, string> = { objName: 'obj_name', objVal: 'obj_val', payload: 'payload' }

const TEXT_COLUMNS: readonly EventTextColumn[] = ['objName', 'objVal', 'payload']

/**
 * The large texts of an event row (free text, as long as a request may carry), read so that a
 * page never brings more of them into memory than it was allowed: each row's texts come whole
 * when together they fit `{text_cap:UInt64}` bytes, else not at all, with their stored sizes
 * (`length`, in bytes), so the caller can decide on them before fetching (readEventTexts).
 * Texts not in `columns` are not read at all (NULL, size unknown): the caller does not select them.
 * Aliases never reuse a column name: ClickHouse resolves aliases in WHERE and ORDER BY too.
 */
export function cappedTextColumns(columns: ReadonlySet<EventTextColumn> = new Set(TEXT_COLUMNS)): string {
  const sizes = TEXT_COLUMNS.map((c) =>
    columns.has(c)
      ? `length(${COLUMN[c]}) AS ${COLUMN[c]}_bytes`
      : `CAST(NULL, 'Nullable(UInt64)') AS ${COLUMN[c]}_bytes`,
  )
  const texts = TEXT_COLUMNS.map((c) =>
    columns.has(c)
      ? `if(texts_here, ${COLUMN[c]}, NULL) AS ${COLUMN[c]}_text`
      : `CAST(NULL, 'Nullable(String)') AS ${COLUMN[c]}_text`,
  )
  return `${sizes.join(', ')},
  ifNull(obj_name_bytes, 0) + ifNull(obj_val_bytes, 0) + ifNull(payload_bytes, 0) AS text_bytes,
  text_bytes <= {text_cap:UInt64} AS texts_here, ${texts.join(', ')}`
}

/** Every large text, capped (see cappedTextColumns). */
export const CAPPED_TEXT_COLUMNS = cappedTextColumns()

/** What CAPPED_TEXT_COLUMNS reads (UInt64 sizes come as strings: 64-bit integers are quoted). */
export interface CappedTextsRow {
  obj_name_bytes: string | number | null
  obj_val_bytes: string | number | null
  payload_bytes: string | number | null
  text_bytes: string | number
  texts_here: number | boolean
  obj_name_text: string | null
  obj_val_text: string | null
  payload_text: string | null
}

/** No cap: every row's texts come whole (callers outside GraphQL: tests, tools). */
export const NO_TEXT_CAP = Number.MAX_SAFE_INTEGER

/** A row's texts, and their stored sizes when they were left out. */
export function textsOf(r: CappedTextsRow): {
  objName: string | null
  objVal: string | null
  payload: string | null
  withheldTexts?: WithheldTexts
} {
  const here = r.texts_here === 1 || r.texts_here === true
  const texts = { objName: r.obj_name_text, objVal: r.obj_val_text, payload: r.payload_text }
  if (here) return texts
  return {
    ...texts,
    withheldTexts: {
      objName: size(r.obj_name_bytes),
      objVal: size(r.obj_val_bytes),
      payload: size(r.payload_bytes),
    },
  }
}

/** Bytes of texts a row brought (0 when they were left out). */
export function textBytesOf(r: CappedTextsRow): number {
  return r.texts_here === 1 || r.texts_here === true ? Number(r.text_bytes) : 0
}

const size = (value: string | number | null) => (value === null ? null : Number(value))

/**
 * One large text of many events, by (time, id): the texts a page left out. `maxChars` cuts each
 * to its first characters (Unicode code points) in the engine, so only those travel.
 */
export async function readEventTexts(
  engine: Engine,
  refs: readonly EventTextRef[],
  column: EventTextColumn,
  maxChars?: number,
): Promise<EventTexts> {
  const texts: EventTexts = new Map()
  if (refs.length === 0) return texts
  const times = refs.map((r) => r.timestampMs)
  const name = COLUMN[column]
  const value = maxChars === undefined ? name : `substringUTF8(${name}, 1, {max_chars:UInt64})`
  const rows = await engine.rows<{ id: string; text: string | null }>({
    name: 'events.texts',
    // The time range lets the sort key prune; duplicates of an event (a writer's retry) hold the same texts.
    sql: `SELECT toString(event_id) AS id, ${value} AS text
          FROM ${engine.database}.events
          WHERE timestamp >= fromUnixTimestamp64Milli({t_from:Int64}, 'UTC')
            AND timestamp <= fromUnixTimestamp64Milli({t_to:Int64}, 'UTC')
            AND event_id IN {ids:Array(UUID)}
          LIMIT 1 BY event_id`,
    params: {
      t_from: Math.min(...times),
      t_to: Math.max(...times),
      ids: refs.map((r) => r.eventId),
      ...(maxChars === undefined ? {} : { max_chars: maxChars }),
    },
  })
  for (const row of rows) texts.set(row.id, row.text)
  return texts
}
