import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createHttpSink,
  DemoSendError,
  generateIntoStore,
  historyWindow,
  prepareDemoAccounts,
  runSimulation,
  simulate,
  type RunSummary,
  type Simulation,
} from '../../src/demo/index.js'
import { createStore, type Store } from '../../src/store/index.js'
import { startTestApp, type TestApp } from '../support/app.js'

// Two organizations of three (owner, supervisor, worker) over a week ending on a Thursday evening.
const END = Date.UTC(2026, 10, 26, 18, 0)
const SEED = 'ingest-test'
const options = () => ({ seed: SEED, users: 6, window: historyWindow(END, 2) })
const PASSWORD = 'demo-test-password'
const BASE_URL = 'http://test.local'

let t: TestApp
let viaHttp: Simulation
let httpRun: RunSummary
let direct: Store
let viaStore: Simulation
let copies: Store

beforeAll(async () => {
  t = await startTestApp()
  viaHttp = simulate(options())
  const accounts = await prepareDemoAccounts(t.config.accountsFile, viaHttp.world, PASSWORD)
  await t.app.services.directory.refresh(true)
  // The app's own fetch: the whole HTTP pipeline without a socket (tests/integration/demo-cli.test.ts
  // drives a real port through the command).
  const sink = createHttpSink({
    url: BASE_URL,
    password: PASSWORD,
    ingestToken: accounts.ingestToken,
    fetch: (request) => t.app.fetch(request),
  })
  httpRun = await runSimulation(viaHttp, { sink })

  // The direct path writes the same seed into another database of the same engine.
  direct = createStore({ ...t.config.store, database: 'demo_direct' })
  await direct.migrate()
  viaStore = (
    await generateIntoStore(direct, { seed: SEED, users: 6, days: 2, endMs: END, blockRows: 7_000 })
  ).simulation
  // And into a third, with two more copies of the window made by the engine.
  copies = createStore({ ...t.config.store, database: 'demo_copies' })
  await copies.migrate()
  await generateIntoStore(copies, { seed: SEED, users: 6, days: 2, endMs: END, copies: 2 })
}, 120_000)
afterAll(async () => {
  await copies.close()
  await direct.close()
  await t.stop()
})

async function scopeCounts(database: string): Promise<Record<string, number>> {
  const rows = await t.sql.rows<{ scope: string; n: string }>({
    name: 'test.demo.scopes',
    sql: `SELECT scope, count() AS n FROM ${database}.events WHERE user_id > 1000 GROUP BY scope`,
  })
  return Object.fromEntries(rows.map((r) => [r.scope, Number(r.n)]))
}

/** Stored working time per (user, job): the sum of `send:working_time` durations, as dashboards compute it. */
async function workingTime(database: string): Promise<Record<string, number>> {
  const rows = await t.sql.rows<{ user_id: string; job_id: string | null; ms: string }>({
    name: 'test.demo.working_time',
    sql: `SELECT user_id, job_id, sum(duration) AS ms FROM ${database}.events
          WHERE scope = 'send:working_time' AND user_id > 1000 GROUP BY user_id, job_id`,
  })
  return Object.fromEntries(rows.map((r) => [`${r.user_id}|${r.job_id ?? '-'}`, Number(r.ms)]))
}

function expectedWorkingTime(simulation: Simulation): Record<string, number> {
  return Object.fromEntries(
    simulation.truth
      .rows()
      .filter((r) => r.cvatMs > 0)
      .map((r) => [`${r.userId}|${r.jobId ?? '-'}`, r.cvatMs]),
  )
}

describe('demo through the service', () => {
  it('stores every event it sends, scope by scope', async () => {
    expect(httpRun.events).toBeGreaterThan(10_000)
    expect(httpRun.events).toBe(viaHttp.stats.storedRows)
    expect(await scopeCounts('default')).toEqual(Object.fromEntries(viaHttp.stats.byScope))
  })

  it("stores exactly the working time the simulator computed with CVAT's rule, per user and job", async () => {
    const stored = await workingTime('default')
    const expected = expectedWorkingTime(viaHttp)
    expect(Object.keys(expected).length).toBeGreaterThan(10)
    expect(stored).toEqual(expected)
  })

  it('stamps client events with each person, organization and browser, and keeps history in place', async () => {
    const person = viaHttp.world.people.find((p) => p.orgRole === 'worker')
    if (!person) throw new Error('no worker')
    const [row] = await t.events(`user_id = {id:UInt64} AND scope = 'load:cvat'`, { id: person.id })
    expect(row).toMatchObject({
      user_name: person.username,
      user_email: person.email,
      org_id: String(person.orgId),
      org_slug: person.orgSlug,
      source: 'client',
    })
    expect(JSON.parse(row?.payload ?? '{}')).toMatchObject({
      platform: person.platform.platform,
      request: { user_agent: person.platform.userAgent },
    })
    const [range] = await t.sql.rows<{ first: string; last: string }>({
      name: 'test.demo.range',
      sql: `SELECT min(timestamp) AS first, max(timestamp) AS last FROM default.events WHERE user_id > 1000`,
    })
    expect(Date.parse(range?.first ?? '')).toBeGreaterThanOrEqual(viaHttp.window.startMs)
    expect(Date.parse(range?.last ?? '')).toBeLessThanOrEqual(viaHttp.window.endMs + 1_000)
  })

  it('keeps one request id across a cascade', async () => {
    const rows = await t.events(`scope IN ('delete:project', 'delete:task', 'delete:job')`)
    const byRequest = new Map<string, string[]>()
    for (const r of rows) byRequest.set(r.request_id, [...(byRequest.get(r.request_id) ?? []), r.scope])
    // One sandbox project per organization, each deleted with its task and two jobs in one request.
    expect(byRequest.size).toBe(viaHttp.world.organizations.length)
    for (const scopes of byRequest.values()) {
      expect(scopes.sort()).toEqual(['delete:job', 'delete:job', 'delete:project', 'delete:task'])
    }
  })

  it('answers a clear error when the service refuses a request', async () => {
    const sink = createHttpSink({
      url: BASE_URL,
      password: 'wrong-password',
      ingestToken: 'aat_nope',
      concurrency: 1,
      fetch: (request) => t.app.fetch(request),
    })
    const [send] = [...simulate(options()).sends()].map((s) => s.send).filter((s) => s.kind === 'client')
    await sink.send(send as NonNullable<typeof send>)
    const failure = await sink.drain().catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(DemoSendError)
    expect((failure as DemoSendError).status).toBe(401)
    expect((failure as Error).message).toMatch(
      /POST \/api\/events as \S+ in '\w+' answered 401: .*same DATA_DIR/s,
    )
  })
})

describe('demo straight into a store', () => {
  it('produces the same rows as the HTTP path for the same seed: scopes and working time', async () => {
    expect(viaStore.stats.storedRows).toBe(viaHttp.stats.storedRows)
    expect(await scopeCounts('demo_direct')).toEqual(await scopeCounts('default'))
    expect(await workingTime('demo_direct')).toEqual(await workingTime('default'))
  })
})

describe('demo copies made by the engine', () => {
  const one = (sql: string) =>
    t.sql.rows<Record<string, string>>({ name: 'test.demo.copies', sql }).then((rows) => rows[0] ?? {})

  it('adds whole copies of the simulated window: scopes, weekdays and working time three times over', async () => {
    const original = await scopeCounts('demo_direct')
    const tripled = Object.fromEntries(Object.entries(original).map(([scope, n]) => [scope, 3 * n]))
    expect(await scopeCounts('demo_copies')).toEqual(tripled)
    const weekdays = (db: string) =>
      t.sql.rows<{ d: number; n: string }>({
        name: 'test.demo.weekdays',
        sql: `SELECT toDayOfWeek(timestamp) AS d, count() AS n FROM ${db}.events GROUP BY d ORDER BY d`,
      })
    expect((await weekdays('demo_copies')).map((r) => [r.d, Number(r.n)])).toEqual(
      (await weekdays('demo_direct')).map((r) => [r.d, 3 * Number(r.n)]),
    )
    const total = (db: string) =>
      one(`SELECT sum(duration) AS ms FROM ${db}.events WHERE scope = 'send:working_time'`)
    expect(Number((await total('demo_copies')).ms)).toBe(3 * Number((await total('demo_direct')).ms))
  })

  it('gives each copy fresh event ids, other jobs, and its own request id per cascade', async () => {
    const ids = await one(
      `SELECT count() AS rows, uniqExact(event_id) AS events, uniqExact(job_id) AS jobs FROM demo_copies.events`,
    )
    expect(Number(ids.events)).toBe(Number(ids.rows))
    const jobs = await one(`SELECT uniqExact(job_id) AS jobs FROM demo_direct.events`)
    expect(Number(ids.jobs)).toBe(3 * Number(jobs.jobs))
    const cascades = await t.sql.rows<{ request_id: string; scopes: string[] }>({
      name: 'test.demo.cascades',
      sql: `SELECT request_id, arraySort(groupArray(scope)) AS scopes FROM demo_copies.events
            WHERE scope IN ('delete:project', 'delete:task', 'delete:job') GROUP BY request_id`,
    })
    expect(cascades).toHaveLength(3 * viaStore.world.organizations.length)
    for (const c of cascades)
      expect(c.scopes).toEqual(['delete:job', 'delete:job', 'delete:project', 'delete:task'])
  })
})
