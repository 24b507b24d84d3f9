import type { StoredEvent } from '../domain/event.js'
import { CAPPED_TEXT_COLUMNS, textsOf, type CappedTextsRow } from './event-texts.js'

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

export function rowToEvent(r: StoredEventRow): StoredEvent {
  return {
    eventId: r.event_id,
    scope: r.scope,
    objId: r.obj_id,
    source: r.source,
    timestampMs: Number(r.timestamp_ms),
    count: r.count,
    duration: r.duration,
    projectId: r.project_id,
    taskId: r.task_id,
    jobId: r.job_id,
    userId: r.user_id,
    userName: r.user_name,
    userEmail: r.user_email,
    orgId: r.org_id,
    orgSlug: r.org_slug,
    accessTokenId: r.access_token_id,
    requestId: r.request_id,
    ingestedAtMs: Number(r.ingested_at_ms),
    ...textsOf(r),
  }
}
