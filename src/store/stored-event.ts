import type { StoredEvent } from '../domain/event.js'

export type { StoredEvent } from '../domain/event.js'

/**
 * The select list that rowToEvent reads (remote_addr is personal data and never read back).
 * No alias may reuse a column name: ClickHouse resolves aliases in WHERE and ORDER BY too.
 */
export const STORED_EVENT_COLUMNS = `event_id, scope, obj_name, obj_id, obj_val, source,
  toUnixTimestamp64Milli(timestamp) AS timestamp_ms, count, duration, project_id, task_id, job_id, user_id,
  user_name, user_email, org_id, org_slug, payload, access_token_id, request_id,
  toUnixTimestamp64Milli(ingested_at) AS ingested_at_ms`

export interface StoredEventRow {
  event_id: string
  scope: string
  obj_name: string | null
  obj_id: string | null
  obj_val: string | null
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
  payload: string | null
  access_token_id: string | null
  request_id: string
  ingested_at_ms: string
}

export function rowToEvent(r: StoredEventRow): StoredEvent {
  return {
    eventId: r.event_id,
    scope: r.scope,
    objName: r.obj_name,
    objId: r.obj_id,
    objVal: r.obj_val,
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
    payload: r.payload,
    accessTokenId: r.access_token_id,
    requestId: r.request_id,
    ingestedAtMs: Number(r.ingested_at_ms),
  }
}
