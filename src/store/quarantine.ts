import type { QuarantinedEvent, QuarantineEntry, QuarantineReasonCount } from '../domain/quarantine.js'
import type { Engine } from './engine.js'

/** A position in the newest-first order: the last event of the previous page. */
export interface QuarantineCursor {
  readonly receivedAtMs: number
  readonly id: string
}

export interface QuarantinePageRequest {
  readonly first: number
  readonly after?: QuarantineCursor
  /** Only events set aside for this reason. */
  readonly reason?: string
}

export interface QuarantinePage {
  readonly events: QuarantinedEvent[]
  readonly hasNextPage: boolean
}

const COLUMNS = ['received_at', 'path', 'reason', 'message', 'request_id', 'position', 'raw'] as const

/**
 * Writes quarantined events in one insert. `dedupToken` names the batch they came from, so a sender
 * retrying the same batch does not quarantine its events twice (the table's deduplication window).
 */
export async function addQuarantined(
  engine: Engine,
  entries: readonly QuarantineEntry[],
  dedupToken: string,
): Promise<void> {
  if (entries.length === 0) return
  const body = entries
    .map((e) =>
      JSON.stringify({
        // seconds.millis text: what every ClickHouse version reads exactly into DateTime64(3).
        received_at: (e.receivedAtMs / 1000).toFixed(3),
        path: e.path,
        reason: e.reason,
        message: e.message,
        request_id: e.requestId,
        position: e.position,
        raw: e.raw,
      }),
    )
    .join('\n')
  await engine.insert({
    name: 'quarantine.insert',
    table: `${engine.database}.events_quarantine`,
    columns: COLUMNS,
    format: 'JSONEachRow',
    body,
    dedupToken,
  })
}

interface QuarantineRow {
  id: string
  received_at_ms: string
  path: string
  reason: string
  message: string
  request_id: string
  position: number
  raw: string
}

/** One page of quarantined events, newest first, keyset-paginated like the events. */
export async function quarantinePage(engine: Engine, page: QuarantinePageRequest): Promise<QuarantinePage> {
  const conditions: string[] = []
  const params: Record<string, unknown> = { limit: page.first + 1 }
  if (page.reason !== undefined) {
    conditions.push('reason = {reason:String}')
    params.reason = page.reason
  }
  if (page.after) {
    conditions.push(
      "(received_at, id) < (fromUnixTimestamp64Milli({after_ts:Int64}, 'UTC'), toUUID({after_id:String}))",
    )
    params.after_ts = page.after.receivedAtMs
    params.after_id = page.after.id
  }
  const rows = await engine.rows<QuarantineRow>({
    name: 'quarantine.page',
    sql: `SELECT id, toUnixTimestamp64Milli(received_at) AS received_at_ms, path, reason, message,
            request_id, position, raw
          FROM ${engine.database}.events_quarantine
          ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
          ORDER BY received_at DESC, id DESC
          LIMIT {limit:UInt32}`,
    params,
  })
  return {
    events: rows.slice(0, page.first).map((r) => ({
      id: r.id,
      receivedAtMs: Number(r.received_at_ms),
      path: r.path,
      reason: r.reason,
      message: r.message,
      requestId: r.request_id,
      position: r.position,
      raw: r.raw,
    })),
    hasNextPage: rows.length > page.first,
  }
}

/** Quarantined events per reason (most first), with the time of the latest. */
export async function quarantineReasons(engine: Engine): Promise<QuarantineReasonCount[]> {
  const rows = await engine.rows<{ reason: string; n: string; last_ms: string }>({
    name: 'quarantine.reasons',
    sql: `SELECT reason, count() AS n, toUnixTimestamp64Milli(max(received_at)) AS last_ms
          FROM ${engine.database}.events_quarantine
          GROUP BY reason
          ORDER BY n DESC, reason`,
  })
  return rows.map((r) => ({ reason: r.reason, count: Number(r.n), lastMs: Number(r.last_ms) }))
}
