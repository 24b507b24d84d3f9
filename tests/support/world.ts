import { randomUUID } from 'node:crypto'
import type { TestApp } from './app.js'
import { as, credentialsFrom, ORGS, TOKENS, type Person } from './fixtures.js'

/**
 * A small, fully known history for query tests, written through the real ingest code (without
 * HTTP, so times are exact: the batch is "received" when it says it was sent, no clock skew).
 *
 * Monday 2024-05-06, UTC. Expected working time (CVAT's rule, worked out by hand below):
 * - walt (13), acme, job 101 (task 11, project 1): 40 s in batch 1; job 102: 12 s in batch 2
 * - sue (12), acme, job 101: 30 s
 * - olivia (10), acme, no job: 20 s
 * - gina (20), globex, job 201 (task 21, project 2): 20 s, and 5 s without a job (before load:job)
 * - nora (30), no org, no job: 0 s (a single event)
 */
export const WORLD_FROM = Date.UTC(2024, 4, 6, 8)
export const WORLD_TO = Date.UTC(2024, 4, 6, 18)
const at = (hour: number, minute = 0, second = 0) => Date.UTC(2024, 4, 6, hour, minute, second)

type Fields = Record<string, unknown>
type Step = [offsetSeconds: number, scope: string, fields?: Fields]

const platform = (name: string, os: string) =>
  JSON.stringify({ platform: { name, version: '125.0', os, engine: 'Blink' } })
const job101 = { job_id: 101, task_id: 11, project_id: 1 }
const job102 = { job_id: 102, task_id: 11, project_id: 1 }
const job201 = { job_id: 201, task_id: 21, project_id: 2 }

export const EXPECTED_WORKING_TIME_MS = [
  { user: '13', job: '101', ms: 40_000 },
  { user: '13', job: '102', ms: 12_000 },
  { user: '12', job: '101', ms: 30_000 },
  { user: '10', job: null, ms: 20_000 },
  { user: '20', job: '201', ms: 20_000 },
  { user: '20', job: null, ms: 5_000 },
] as const

/** Client events per person, excluding heartbeats (what the store keeps). */
export const EXPECTED_CLIENT_EVENTS = { walt: 9, sue: 4, olivia: 3, gina: 4, nora: 1 } as const

async function batch(
  t: TestApp,
  person: Person,
  org: string | undefined,
  start: number,
  steps: Step[],
  previous?: Fields,
) {
  const access = await t.app.services.auth.access(credentialsFrom(as(person, org)))
  const sentAt = start + 600_000
  const body = {
    events: steps.map(([offset, scope, fields]) => ({
      scope,
      timestamp: new Date(start + offset * 1000).toISOString(),
      ...fields,
    })),
    previous_event: previous ?? null,
    timestamp: new Date(sentAt).toISOString(),
  }
  const request = { requestId: randomUUID(), userAgent: 'world/1', remoteAddr: null, receivedAtMs: sentAt }
  await t.app.services.ingest.clientBatch(body, access, request)
}

export async function seedWorld(t: TestApp): Promise<void> {
  // walt, batch 1 on job 101: 0 | +10 gap +5 frame = 15 | +5 gap +5 frame = 10 | +15 gap = 15 → 40 s.
  await batch(t, 'walt', 'acme', at(9), [
    [0, 'load:cvat', { payload: platform('Chrome', 'Linux') }],
    [0, 'load:job', job101],
    [10, 'change:frame', { ...job101, duration: 5000, count: 1, obj_val: '1' }],
    [20, 'change:frame', { ...job101, duration: 5000, count: 1, obj_val: '2' }],
    [40, 'draw:object', job101],
  ])
  // walt, batch 2 after lunch on job 102, previous_event = the draw at 09:00:40 (gap > 100 s: dropped).
  // 0 | +2 gap +5 frame = 7 (credited to 102: the previous event there is load:job 102) | +5 = 5 → 12 s,
  // plus an exception and a heartbeat that feed the count but not the store.
  await batch(
    t,
    'walt',
    'acme',
    at(13),
    [
      [0, 'load:job', job102],
      [2, 'change:frame', { ...job102, duration: 5000, count: 1, obj_val: '7' }],
      [
        12,
        'send:exception',
        {
          ...job102,
          payload: JSON.stringify({
            message: 'TypeError: boom',
            filename: 'app.js',
            line: 1,
            column: 2,
            stack: 'at x\nat y',
          }),
        },
      ],
      [12, 'user:activity', job102],
      [12, 'zoom:image', job102],
    ],
    { scope: 'draw:object', timestamp: new Date(at(9, 0, 40)).toISOString(), ...job101 },
  )
  // sue reviews job 101: frame at 5 (gap 5 + 10 s) = 15, resize at 30 (+15) → 30 s.
  await batch(t, 'sue', 'acme', at(10), [
    [0, 'load:cvat', { payload: platform('Firefox', 'Windows') }],
    [0, 'load:job', job101],
    [5, 'change:frame', { ...job101, duration: 10_000, count: 1, obj_val: '3' }],
    [30, 'resize:object', job101],
  ])
  // olivia, no job: 0 | +20 → 20 s.
  await batch(t, 'olivia', 'acme', at(11), [
    [0, 'load:cvat', { payload: platform('Safari', 'macOS') }],
    [10, 'click:element', { obj_name: 'button', obj_val: 'Export' }],
    [20, 'click:element', { obj_name: 'button', obj_val: 'Save' }],
  ])
  // gina: the 5 s before load:job belong to load:cvat's context (no job); then on job 201:
  // frame at 10 (gap 5 + 10 s) = 15, draw at 25 (+5) → 20 s.
  await batch(t, 'gina', 'globex', at(12), [
    [0, 'load:cvat', { payload: platform('Chrome', 'Windows') }],
    [5, 'load:job', job201],
    [10, 'change:frame', { ...job201, duration: 10_000, count: 1, obj_val: '9' }],
    [25, 'draw:object', job201],
  ])
  // nora, alone, outside any organization.
  await batch(t, 'nora', undefined, at(14), [[0, 'draw:object', { job_id: 301, task_id: 31, project_id: 3 }]])

  // The host application's own events: creating acme's project, task and jobs in one request.
  const cascade = 'cvat-request-create-task-11'
  const server = (scope: string, seconds: number, fields: Fields) => ({
    scope,
    timestamp: (at(8, 30) + seconds * 1000) / 1000 + '',
    user_id: 10,
    user_name: 'olivia',
    org_id: Number(ORGS.acme.id),
    org_slug: 'acme',
    payload: JSON.stringify({ request: { id: cascade } }),
    ...fields,
  })
  const res = await t.request('POST', '/api/events/server', {
    headers: { authorization: `Bearer ${TOKENS.ingest}` },
    body: [
      server('create:project', 0, { obj_id: 1, project_id: 1 }),
      server('create:task', 1, { obj_id: 11, project_id: 1, task_id: 11 }),
      server('create:job', 2, { obj_id: 101, ...job101 }),
      server('create:job', 2, { obj_id: 102, ...job102 }),
    ],
  })
  if (res.status !== 201) throw new Error(`seeding server events failed: ${res.status} ${await res.text()}`)
}
