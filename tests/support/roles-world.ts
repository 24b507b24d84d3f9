import { randomUUID } from 'node:crypto'
import { addToken, setMembership } from '../../src/auth/account-admin.js'
import { updateAccounts } from '../../src/auth/accounts-file.js'
import { hashToken } from '../../src/auth/tokens.js'
import type { TestApp } from './app.js'
import { as, credentialsFrom, MEMBERSHIPS, ORGS, TOKENS, type Person } from './fixtures.js'
import { seedWorld } from './world.js'

/**
 * The roles × paths world: the test world (./world.ts) plus what makes every read path's answer
 * depend on who asks, in rows and not only in totals:
 * - gina works in acme too (worker), with events there;
 * - walt loads CVAT in a second browser, so browsers' distinct users do not sum to the users;
 * - the same error hits walt, sue and gina in acme (one group of three users), another gina in globex;
 * - annotation saves (create:shapes, create:tags) and job changes (update:job) in both organizations;
 * - events a minute ago of walt (acme), gina (globex) and nora (no organization): active users;
 * - one event the CVAT-logger listener quarantined.
 */

/** A grafana token (the admin's) that delegates with X-Grafana-User. */
export const GRAFANA_TOKEN = 'aat_test-roles-grafana-token-0123456789abcdef'

/** Every membership of this world: the test world's, and gina's in acme. */
export const ROLES_MEMBERSHIPS: typeof MEMBERSHIPS = [...MEMBERSHIPS, ['acme', 'gina', 'worker']]

export const DAY = Date.UTC(2024, 4, 6)
const at = (hour: number, minute = 0, second = 0) => DAY + ((hour * 60 + minute) * 60 + second) * 1000
const platform = (name: string, os: string) =>
  JSON.stringify({ platform: { name, version: '125.0', os, engine: 'Blink' } })
export const error = (message: string) =>
  JSON.stringify({ message, filename: 'app.js', line: 1, column: 2, stack: `at ${message}\nat y` })

/** A client batch of `person` working in `org`, written through the real ingest (exact times). */
export async function clientBatch(
  t: TestApp,
  person: Person,
  org: string | undefined,
  start: number,
  steps: [offsetSeconds: number, scope: string, fields?: Record<string, unknown>][],
): Promise<void> {
  const access = await t.app.services.auth.access(credentialsFrom(as(person, org)))
  const sentAt = start + steps.at(-1)![0] * 1000 + 1000
  const body = {
    events: steps.map(([offset, scope, fields]) => ({
      scope,
      timestamp: new Date(start + offset * 1000).toISOString(),
      ...fields,
    })),
    timestamp: new Date(sentAt).toISOString(),
  }
  const request = { requestId: randomUUID(), userAgent: 'roles/1', remoteAddr: null, receivedAtMs: sentAt }
  await t.app.services.ingest.clientBatch(body, access, request)
}

/** Server events (the host application's), through POST /api/events/server with the ingest token. */
export async function serverEvents(t: TestApp, events: Record<string, unknown>[]): Promise<void> {
  const res = await t.request('POST', '/api/events/server', {
    headers: { authorization: `Bearer ${TOKENS.ingest}` },
    body: events,
  })
  if (res.status !== 201) throw new Error(`server events failed: ${res.status} ${await res.text()}`)
}

/** A server event of `userId` in `org` (a slug, or null) at `ms`. */
export function serverEvent(
  scope: string,
  ms: number,
  userId: number,
  org: 'acme' | 'globex' | null,
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    scope,
    timestamp: String(ms / 1000),
    user_id: userId,
    ...(org ? { org_id: Number(ORGS[org].id), org_slug: org } : {}),
    ...fields,
  }
}

const job101 = { job_id: 101, task_id: 11, project_id: 1 }
const job102 = { job_id: 102, task_id: 11, project_id: 1 }
const job201 = { job_id: 201, task_id: 21, project_id: 2 }

export async function seedRolesWorld(t: TestApp): Promise<void> {
  await updateAccounts(t.config.accountsFile, (data) => ({
    data: addToken(
      ROLES_MEMBERSHIPS.reduce((d, [org, person, role]) => setMembership(d, org, person, role), data),
      {
        username: 'admin',
        kind: 'grafana',
        name: 'grafana',
        hash: hashToken(GRAFANA_TOKEN),
      },
    ).data,
    result: undefined,
  }))
  await t.app.services.directory.refresh(true)
  await seedWorld(t)

  await clientBatch(t, 'walt', 'acme', at(15), [
    [0, 'load:cvat', { payload: platform('Firefox', 'Linux') }],
    [0, 'load:job', job101],
    [20, 'send:exception', { ...job101, payload: error('TypeError: boom') }],
  ])
  await clientBatch(t, 'sue', 'acme', at(15, 30), [
    [0, 'load:job', job101],
    [3, 'send:exception', { ...job101, payload: error('TypeError: boom') }],
  ])
  await clientBatch(t, 'gina', 'acme', at(16), [
    [0, 'load:cvat', { payload: platform('Chrome', 'Windows') }],
    [0, 'load:job', job102],
    [10, 'draw:object', job102],
    [30, 'send:exception', { ...job102, payload: error('TypeError: boom') }],
  ])
  await clientBatch(t, 'gina', 'globex', at(16, 30), [
    [0, 'load:job', job201],
    [8, 'send:exception', { ...job201, payload: error('RangeError: far') }],
  ])

  // Saves (objects) and job changes (flows), by the host application.
  await serverEvents(t, [
    serverEvent('create:shapes', at(9, 30), 13, 'acme', { ...job101, count: 3, obj_name: 'rectangle' }),
    serverEvent('create:tags', at(10, 30), 12, 'acme', { ...job101, count: 1 }),
    serverEvent('create:shapes', at(16, 5), 20, 'acme', { ...job102, count: 2, obj_name: 'polygon' }),
    serverEvent('create:shapes', at(12, 30), 20, 'globex', { ...job201, count: 4, obj_name: 'points' }),
    serverEvent('update:job', at(17), 12, 'acme', {
      ...job101,
      obj_name: 'stage',
      obj_val: 'validation',
      payload: JSON.stringify({ old_value: 'annotation' }),
    }),
    serverEvent('update:job', at(17, 10), 13, 'acme', {
      ...job102,
      obj_name: 'state',
      obj_val: 'in progress',
      payload: JSON.stringify({ old_value: 'new' }),
    }),
    serverEvent('update:job', at(17, 20), 20, 'globex', {
      ...job201,
      obj_name: 'state',
      obj_val: 'completed',
      payload: JSON.stringify({ old_value: 'in progress' }),
    }),
  ])

  // Now: who is active (a minute ago).
  const now = Date.now() - 60_000
  await clientBatch(t, 'walt', 'acme', now, [[0, 'zoom:image', job101]])
  await clientBatch(t, 'gina', 'globex', now, [[0, 'zoom:image', job201]])
  await clientBatch(t, 'nora', undefined, now, [[0, 'zoom:image']])

  // One event the CVAT-logger listener could not store.
  const bytes = Buffer.from('{"scope":"create:job","timestamp":"not a time"}')
  await t.app.services.loggerIngest.batch(
    { bytes, items: [JSON.parse(bytes.toString()) as unknown], isArray: false },
    { requestId: randomUUID(), receivedAtMs: Date.now() },
  )
}

/**
 * The `user:activity` heartbeats stored rows carry (offsets in milliseconds from the row's time,
 * src/ingest/heartbeats.ts), by event id: a MATERIALIZED column, which `t.events()` leaves out.
 */
export async function heartbeatsByEvent(t: TestApp): Promise<Map<string, number[]>> {
  const rows = await t.sql.rows<{ id: string; heartbeats: number[] }>({
    name: 'test.heartbeats',
    sql: `SELECT toString(event_id) AS id, heartbeats FROM ${t.config.store.database}.events WHERE notEmpty(heartbeats)`,
  })
  return new Map(rows.map((r) => [r.id, r.heartbeats.map(Number)]))
}
