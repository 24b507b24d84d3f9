import type { StoredEvent } from '../domain/event.js'
import type { EventTextColumn } from '../domain/event.js'
import { CAPPED_TEXT_COLUMNS, cappedTextColumns, textsOf, type CappedTextsRow } from './event-texts.js'

export type { StoredEvent } from '../domain/event.js'

/**
 * The select list that rowToEvent reads (remote_addr is personal data and never read back); the
 * large texts as CAPPED_TEXT_COLUMNS reads them (its `{text_cap:UInt64}` parameter is the query's).
 * No alias may reuse a column name: ClickHouse resolves aliases in WHERE and ORDER BY too.
 */
export const STORED_EVENT_COLUMNS = `event_id, scope, obj_id, source,
  toUnixTimestamp64Milli(timestamp) AS timestamp_ms, count, duration, project_id, task_id, job_id, user_id,
  user_name, user_email, org_id, org_slug, access_token_id, request_id,
  toUnixTimestamp64Milli(ingested_at) AS ingested_at_ms, ${CAPPED_TEXT_COLUMNS}`

/** A field of a stored event a read can fetch. */
export type StoredEventField = Exclude<keyof StoredEvent, 'withheldTexts'>

/** The large texts: held to the page's text budget (cappedTextColumns). */
const TEXT_FIELDS: ReadonlySet<StoredEventField> = new Set<EventTextColumn>(['objName', 'objVal', 'payload'])

/** Each other field's expression in a read's select list (the keyset's three are always read). */
const FIELD_COLUMNS: Partial<Record<StoredEventField, string>> = {
  eventId: 'event_id',
  scope: 'scope',
  objId: 'obj_id',
  source: 'source',
  timestampMs: 'toUnixTimestamp64Milli(timestamp) AS timestamp_ms',
  count: 'count',
  duration: 'duration',
  projectId: 'project_id',
  taskId: 'task_id',
  jobId: 'job_id',
  userId: 'user_id',
  userName: 'user_name',
  userEmail: 'user_email',
  orgId: 'org_id',
  orgSlug: 'org_slug',
  accessTokenId: 'access_token_id',
  requestId: 'request_id',
  ingestedAtMs: 'toUnixTimestamp64Milli(ingested_at) AS ingested_at_ms',
}

/**
 * The select list of a read that needs `fields` (all when undefined): an event list whose caller
 * asks for ids and user names reads neither payloads nor values, which may be megabytes a row.
 */
export function storedEventColumns(fields?: ReadonlySet<StoredEventField>): string {
  if (!fields) return STORED_EVENT_COLUMNS
  const wanted = new Set<StoredEventField>(['eventId', 'timestampMs', 'ingestedAtMs', ...fields])
  const columns = Object.entries(FIELD_COLUMNS)
    .filter(([f]) => wanted.has(f as StoredEventField))
    .map(([, column]) => column)
  const texts = [...wanted].filter((f) => TEXT_FIELDS.has(f)) as EventTextColumn[]
  if (texts.length > 0) columns.push(cappedTextColumns(new Set(texts)))
  return columns.join(', ')
}

/** A row of some of those columns: rowToEvent fills the others with null (never read: not asked for). */
export interface StoredEventRow extends CappedTextsRow {
  event_id: string
  scope: string
  obj_id: string | null
  source: string
  timestamp_ms: string
  count: number | null
  duration: number
  project_id: string | null
  task_id: string | null
  job_id: string | null
  user_id: string | null
  user_name: string | null
  user_email: string | null
  org_id: string | null
  org_slug: string | null
  access_token_id: string | null
  request_id: string
  ingested_at_ms: string
}

export function rowToEvent(r: Partial<StoredEventRow>): StoredEvent {
  return {
    eventId: r.event_id ?? '',
    scope: r.scope ?? '',
    objId: r.obj_id ?? null,
    source: r.source ?? '',
    timestampMs: Number(r.timestamp_ms),
    count: r.count ?? null,
    duration: r.duration ?? 0,
    projectId: r.project_id ?? null,
    taskId: r.task_id ?? null,
    jobId: r.job_id ?? null,
    userId: r.user_id ?? null,
    userName: r.user_name ?? null,
    userEmail: r.user_email ?? null,
    orgId: r.org_id ?? null,
    orgSlug: r.org_slug ?? null,
    accessTokenId: r.access_token_id ?? null,
    requestId: r.request_id ?? '',
    ingestedAtMs: Number(r.ingested_at_ms ?? Number.NaN),
    ...(r.texts_here === undefined
      ? { objName: null, objVal: null, payload: null }
      : textsOf(r as CappedTextsRow)),
  }
}
