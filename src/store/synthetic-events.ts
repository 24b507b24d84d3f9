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
 * `send:working_time`, `load:cvat` with browser and OS, 0.1% `send:exception`; and what productivity
 * reads: 2.7% annotation saves (shapes and tags with shape types and counts, a tenth of them under
 * the request id of one of 1000 imports or 1000 model runs, 0.1% each), 0.3% `update:job` (stage,
 * state, assignee, updated_date), undo and redo, and `user:activity` heartbeats on a third of the
 * client rows (`heartbeats`, as ingest keeps them). Each user works on
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
             job_id, user_id, user_name, user_email, org_id, org_slug, payload, access_token_id, remote_addr,
             heartbeats)
          SELECT
            toUUID(concat(substring(hex_id, 1, 8), '-', substring(hex_id, 9, 4), '-', substring(hex_id, 13, 4), '-',
                          substring(hex_id, 17, 4), '-', substring(hex_id, 21, 12))) AS event_id,
            multiIf(r < 570, 'change:frame', r < 720, 'draw:object', r < 800, 'zoom:image', r < 850, 'resize:object',
                    r < 875, 'action:undo', r < 880, 'action:redo', r < 910, 'save:job', r < 925, 'load:job',
                    r < 945, 'send:working_time', r < 960, 'create:shapes', r < 968, 'update:shapes',
                    r < 971, 'delete:shapes', r < 973, 'create:tags', r < 976, 'update:job', r < 977, 'import:dataset',
                    r < 978, 'call:function', r < 988, 'load:cvat', r < 999, 'click:element', 'send:exception') AS scope,
            multiIf(scope IN ('create:shapes', 'update:shapes', 'delete:shapes'), ['rectangle', 'polygon', 'points'][n % 3 + 1],
                    scope = 'update:job', ['stage', 'state', 'assignee', 'updated_date'][intDiv(n, 7) % 4 + 1],
                    NULL) AS obj_name,
            if(obj_name = 'assignee', user, NULL) AS obj_id,
            multiIf(scope = 'change:frame', toString(n % 500),
                    obj_name = 'stage', ['annotation', 'validation', 'acceptance'][intDiv(n, 11) % 3 + 1],
                    obj_name = 'state', ['in progress', 'completed', 'rejected'][intDiv(n, 11) % 3 + 1],
                    obj_name = 'assignee', concat('{''id'': ', toString(user), '}'),
                    obj_name = 'updated_date', toString(fromUnixTimestamp64Milli(ts, 'UTC')),
                    NULL) AS obj_val,
            if(scope IN ('send:working_time', 'create:shapes', 'update:shapes', 'delete:shapes', 'create:tags',
                         'update:job', 'import:dataset', 'call:function'), 'server', 'client') AS source,
            fromUnixTimestamp64Milli(ts, 'UTC') AS timestamp,
            multiIf(scope IN ('change:frame', 'action:undo', 'action:redo', 'send:working_time'), 1,
                    scope IN ('create:shapes', 'update:shapes', 'delete:shapes', 'create:tags'), toUInt32(1 + n % 7),
                    NULL) AS count,
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
              -- A tenth of the saves belong to an import or a model run: their request ids are shared.
              scope IN ('create:shapes', 'update:shapes', 'delete:shapes', 'create:tags'),
                concat('{"request":{"id":"', multiIf(sipHash64(n, 5) % 20 = 0, concat('import-', toString(sipHash64(n, 6) % 1000)),
                                                     sipHash64(n, 5) % 20 = 1, concat('model-', toString(sipHash64(n, 6) % 1000)),
                                                     concat('save-', toString(n))), '"}}'),
              scope = 'import:dataset', concat('{"format":"COCO 1.0","request":{"id":"import-', toString(n % 1000), '"}}'),
              scope = 'call:function', concat('{"function":{"id":"yolo"},"request":{"id":"model-', toString(n % 1000), '"}}'),
              '{}') AS payload,
            NULL AS access_token_id, NULL AS remote_addr,
            -- Heartbeats on a third of the client rows, as ingest keeps them (src/ingest/heartbeats.ts).
            if(source = 'client' AND sipHash64(n, 7) % 3 = 0, [toInt32(-(sipHash64(n, 8) % 20000))], []) AS heartbeats
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
