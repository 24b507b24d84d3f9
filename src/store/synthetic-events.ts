import type { Engine } from './engine.js'

export interface SyntheticEventsOptions {
  readonly rows: number
  /** Time span the events are spread over, epoch ms. */
  readonly fromMs: number
  readonly toMs: number
  /** Row numbers to start from, so several calls add distinct rows. @default 0 */
  readonly offset?: number
}

/**
 * Bulk synthetic events for benchmarks and large tests, generated inside the engine (about half a
 * million rows a second, nothing in JavaScript). The shape follows a team at work: 4 organizations,
 * 100 users, 2000 jobs in 200 tasks in 20 projects, mostly `change:frame` with durations, about 2%
 * `send:working_time`, `load:cvat` with browser and OS, 0.1% `send:exception`. Each user works on
 * one job at a time, moving to another every 4 hours (a random job per event, as an earlier
 * version drew, is no team's work and defeats every rollup by making each event its own group).
 * Event ids are time-ordered (UUIDv7 layout: the event's millisecond, then the row number), as
 * ingest mints them. For realistic sessions and exact working time use the demo simulator instead.
 */
export async function insertSyntheticEvents(engine: Engine, options: SyntheticEventsOptions): Promise<void> {
  await engine.command({
    name: 'bulk.synthetic',
    timeoutMs: 3_600_000,
    sql: `INSERT INTO ${engine.database}.events
            (event_id, scope, obj_name, obj_id, obj_val, source, timestamp, count, duration, project_id, task_id,
             job_id, user_id, user_name, user_email, org_id, org_slug, payload, access_token_id, remote_addr)
          SELECT
            toUUID(concat(substring(hex_id, 1, 8), '-', substring(hex_id, 9, 4), '-', substring(hex_id, 13, 4), '-',
                          substring(hex_id, 17, 4), '-', substring(hex_id, 21, 12))) AS event_id,
            multiIf(r < 600, 'change:frame', r < 750, 'draw:object', r < 830, 'zoom:image', r < 880, 'resize:object',
                    r < 910, 'action:undo', r < 940, 'save:job', r < 960, 'load:job', r < 980, 'send:working_time',
                    r < 990, 'load:cvat', r < 999, 'click:element', 'send:exception') AS scope,
            NULL AS obj_name, NULL AS obj_id,
            if(scope = 'change:frame', toString(n % 500), NULL) AS obj_val,
            if(scope = 'send:working_time', 'server', 'client') AS source,
            fromUnixTimestamp64Milli(ts, 'UTC') AS timestamp,
            if(scope IN ('change:frame', 'action:undo', 'send:working_time'), 1, NULL) AS count,
            multiIf(scope = 'change:frame', 100 + (n * 13) % 2000, scope = 'send:working_time', 1000 + (n * 31) % 90000, 0) AS duration,
            job % 20 + 1 AS project_id, job % 200 + 1 AS task_id,
            if(scope IN ('load:cvat', 'click:element'), NULL, job) AS job_id,
            user AS user_id, concat('user', toString(user)) AS user_name, concat('user', toString(user), '@example.com') AS user_email,
            user % 4 + 1 AS org_id, concat('org', toString(user % 4 + 1)) AS org_slug,
            multiIf(
              scope = 'load:cvat', concat('{"platform":{"name":"', ['Chrome', 'Firefox', 'Safari', 'Edge'][user % 4 + 1],
                '","version":"125.0","os":"', ['Windows', 'macOS', 'Linux', 'Ubuntu'][intDiv(user, 4) % 4 + 1], '","engine":"Blink"}}'),
              scope = 'send:exception', '{"message":"TypeError: x is undefined","filename":"app.js","line":1,"column":2,"stack":"at a\\\\nat b"}',
              scope = 'send:working_time', concat('{"working_time":', toString(duration), '}'),
              '{}') AS payload,
            NULL AS access_token_id, NULL AS remote_addr
          FROM (
            SELECT number + {offset:UInt64} AS n, sipHash64(n) % 1000 AS r, sipHash64(n, 1) % 100 + 1 AS user,
                   toInt64({from:Int64} + sipHash64(n, 3) % ({to:Int64} - {from:Int64})) AS ts,
                   (user * 37 + intDiv(ts, 4 * 3600000)) % 2000 + 1 AS job,
                   lower(concat(leftPad(hex(bitOr(bitShiftLeft(toUInt64(ts), 16), 0x7000)), 16, '0'),
                                leftPad(hex(bitOr(0x8000000000000000, n)), 16, '0'))) AS hex_id
            FROM numbers({rows:UInt64})
          )`,
    params: { rows: options.rows, from: options.fromMs, to: options.toMs, offset: options.offset ?? 0 },
  })
}
