import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { updateAccounts } from '../../src/auth/accounts-file.js'
import { setMembership } from '../../src/auth/account-admin.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, basic, bearer, ORGS, TOKENS } from '../support/fixtures.js'
import { seedWorld } from '../support/world.js'

/**
 * Every role against every read path, with the test world's history in two organizations (and
 * outside any): each caller sees exactly the events the policy
 * (docs/cvat-compatibility.md#who-sees-what) gives it, on every path, or gets exactly the refusal
 * it should.
 */

interface Row {
  id: string
  userId: string | null
  orgId: string | null
  jobId: string | null
  scope: string
  source: string
}

type Visible = (row: Row) => boolean
const own = (userId: string, orgId?: string) => (r: Row) =>
  r.userId === userId && (orgId === undefined || r.orgId === orgId)
const inOrg = (orgId: string) => (r: Row) => r.orgId === orgId
const everything = () => true

const ACME = ORGS.acme.id
const GLOBEX = ORGS.globex.id

/** Who calls, and what it must see (or the status it must get). */
const CALLERS: { name: string; headers: Record<string, string>; sees: Visible | 401 | 403 }[] = [
  { name: 'admin without organization', headers: as('admin'), sees: everything },
  { name: 'admin in acme', headers: as('admin', 'acme'), sees: inOrg(ACME) },
  { name: 'owner of acme', headers: as('olivia', 'acme'), sees: inOrg(ACME) },
  { name: 'maintainer of acme', headers: as('mark', 'acme'), sees: inOrg(ACME) },
  { name: 'supervisor in acme', headers: as('sue', 'acme'), sees: own('12', ACME) },
  { name: 'worker in acme', headers: as('walt', 'acme'), sees: own('13', ACME) },
  { name: 'worker without organization', headers: as('walt'), sees: own('13') },
  { name: 'user with no organization', headers: as('nora'), sees: own('30') },
  { name: 'member of two orgs, in globex', headers: as('gina', 'globex'), sees: own('20', GLOBEX) },
  { name: 'member of two orgs, in acme', headers: as('gina', 'acme'), sees: own('20', ACME) },
  { name: 'member of two orgs, without organization', headers: as('gina'), sees: own('20') },
  { name: 'read token of a worker', headers: { authorization: bearer(TOKENS.waltRead) }, sees: own('13') },
  {
    name: 'read token of an owner, in acme',
    headers: { authorization: bearer(TOKENS.oliviaRead), 'x-organization': 'acme' },
    sees: inOrg(ACME),
  },
  { name: 'ingest token', headers: { authorization: bearer(TOKENS.ingest) }, sees: 403 },
  { name: 'anonymous', headers: {}, sees: 401 },
  { name: 'worker naming an organization it is not in', headers: as('walt', 'globex'), sees: 403 },
]

const RANGE = 'from: "2024-05-06T00:00:00Z", to: "2024-05-07T00:00:00Z"'

let t: TestApp
let world: Row[]

beforeAll(async () => {
  t = await startTestApp()
  await seedWorld(t)
  // gina: worker in globex (the fixtures) and, here, in acme too.
  await updateAccounts(t.config.accountsFile, (data) => ({
    data: setMembership(data, 'acme', 'gina', 'worker'),
    result: undefined,
  }))
  await t.app.services.directory.refresh(true)
  world = (await t.events()).map((e) => ({
    id: e.event_id,
    userId: e.user_id,
    orgId: e.org_id,
    jobId: e.job_id,
    scope: e.scope,
    source: e.source,
  }))
  expect(new Set(world.map((r) => r.orgId))).toEqual(new Set([ACME, GLOBEX, null]))
}, 60_000)
afterAll(async () => {
  await t?.stop()
})

async function gql(headers: Record<string, string>, query: string) {
  const res = await t.request('POST', '/graphql', { headers, body: { query } })
  return {
    status: res.status,
    body: (await res.json()) as { data?: Record<string, never>; errors?: unknown[] },
  }
}

const sorted = (values: Iterable<string | null>) => [...new Set(values)].map(String).sort()

/** Each read path: the query and how to take the answer apart, and what it must equal for `seen` rows. */
const PATHS: {
  name: string
  query: string
  actual: (data: never) => unknown
  expected: (seen: Row[]) => unknown
}[] = [
  {
    name: 'events',
    query: `{ events(first: 1000, filter: { ${RANGE} }) { nodes { id } } }`,
    actual: (d: { events: { nodes: { id: string }[] } }) => sorted(d.events.nodes.map((n) => n.id)),
    expected: (seen) => sorted(seen.map((r) => r.id)),
  },
  {
    name: 'activity',
    query: `{ activity(filter: { ${RANGE} }, interval: "1d") { buckets { count } } }`,
    actual: (d: { activity: { buckets: { count: number }[] } }) =>
      d.activity.buckets.reduce((sum, b) => sum + b.count, 0),
    expected: (seen) => seen.length,
  },
  {
    name: 'scopeDurations',
    query: `{ scopeDurations(filter: { ${RANGE} }) { count } }`,
    actual: (d: { scopeDurations: { count: number }[] }) => d.scopeDurations.reduce((s, r) => s + r.count, 0),
    expected: (seen) => seen.length,
  },
  {
    name: 'filterOptions',
    query: `{ filterOptions(filter: { ${RANGE} }) { users { id } jobIds } }`,
    actual: (d: { filterOptions: { users: { id: string }[]; jobIds: string[] } }) => ({
      users: sorted(d.filterOptions.users.map((u) => u.id)),
      jobs: sorted(d.filterOptions.jobIds),
    }),
    expected: (seen) => ({
      users: sorted(seen.flatMap((r) => (r.userId ? [r.userId] : []))),
      jobs: sorted(seen.flatMap((r) => (r.jobId ? [r.jobId] : []))),
    }),
  },
  {
    name: 'exceptions',
    query: `{ exceptions(first: 100, filter: { ${RANGE} }) { nodes { id } } }`,
    actual: (d: { exceptions: { nodes: { id: string }[] } }) => sorted(d.exceptions.nodes.map((n) => n.id)),
    expected: (seen) => sorted(seen.filter((r) => r.scope === 'send:exception').map((r) => r.id)),
  },
  {
    name: 'exceptionsOverTime',
    query: `{ exceptionsOverTime(filter: { ${RANGE} }, interval: "1d") { buckets { count } } }`,
    actual: (d: { exceptionsOverTime: { buckets: { count: number }[] } }) =>
      d.exceptionsOverTime.buckets.reduce((s, b) => s + b.count, 0),
    expected: (seen) => seen.filter((r) => r.scope === 'send:exception').length,
  },
  {
    name: 'users',
    query: `{ users(filter: { ${RANGE} }) { id } }`,
    actual: (d: { users: { id: string }[] }) => sorted(d.users.map((u) => u.id)),
    expected: (seen) => sorted(seen.flatMap((r) => (r.userId ? [r.userId] : []))),
  },
  {
    name: 'jobs',
    query: `{ jobs(filter: { ${RANGE} }) { id } }`,
    actual: (d: { jobs: { id: string }[] }) => sorted(d.jobs.map((j) => j.id)),
    expected: (seen) => sorted(seen.flatMap((r) => (r.jobId ? [r.jobId] : []))),
  },
  {
    name: 'job(id) events',
    query: `{ job(id: "101") { events(first: 100) { nodes { id } } } }`,
    actual: (d: { job: { events: { nodes: { id: string }[] } } }) =>
      sorted(d.job.events.nodes.map((n) => n.id)),
    expected: (seen) => sorted(seen.filter((r) => r.jobId === '101').map((r) => r.id)),
  },
  {
    name: 'workingTime',
    query: `{ workingTime(filter: { ${RANGE} }, groupBy: [USER]) { userId } }`,
    actual: (d: { workingTime: { userId: string }[] }) => sorted(d.workingTime.map((r) => r.userId)),
    // A row per user with working time or client events (actions).
    expected: (seen) =>
      sorted(
        seen
          .filter((r) => r.scope === 'send:working_time' || r.source === 'client')
          .flatMap((r) => (r.userId ? [r.userId] : [])),
      ),
  },
  {
    name: 'platforms',
    query: `{ platforms(filter: { ${RANGE} }) { browsers { users } } }`,
    actual: (d: { platforms: { browsers: { users: number }[] } }) =>
      d.platforms.browsers.reduce((s, b) => s + b.users, 0),
    expected: (seen) => new Set(seen.filter((r) => r.scope === 'load:cvat').map((r) => r.userId)).size,
  },
  {
    name: 'activeUsers',
    query: '{ activeUsers { count } }',
    actual: (d: { activeUsers: { count: number } }) => d.activeUsers.count,
    expected: () => 0, // the world is in 2024: nobody is active now (the writes below run after every read)
  },
]

describe.each(CALLERS)('$name', ({ headers, sees }) => {
  it.each(PATHS)(
    'sees exactly its events through $name, or the refusal',
    async ({ query, actual, expected }) => {
      const answer = await gql(headers, query)
      if (typeof sees === 'number') {
        expect(answer.status).toBe(sees)
        expect(answer.body.data ?? null).toBeNull()
        return
      }
      expect(answer.status, JSON.stringify(answer.body)).toBe(200)
      expect(actual(answer.body.data as never)).toEqual(expected(world.filter(sees)))
    },
  )

  it('gets the export of exactly its events, and nobody else can see or download it', async () => {
    const start = await t.request('GET', '/api/events?from=2024-05-06T00:00:00&to=2024-05-07T00:00:00', {
      headers,
    })
    if (typeof sees === 'number') {
      expect(start.status).toBe(sees)
      return
    }
    expect(start.status).toBe(202)
    const { query_id: id } = (await start.json()) as { query_id: string }
    const base = `/api/events?from=2024-05-06T00:00:00&to=2024-05-07T00:00:00&query_id=${id}`
    await expect
      .poll(async () => (await t.request('GET', base, { headers })).status, { timeout: 20_000 })
      .toBe(201)
    const csv = await (await t.request('GET', `${base}&action=download`, { headers })).text()
    const rows = csv.trim().split('\r\n').slice(1)
    const expectedRows = world.filter(sees).filter((r) => r.scope !== 'send:exception')
    expect(rows).toHaveLength(expectedRows.length)
    // Someone else (another user) does not see it: 404 on every path.
    const stranger = headers.authorization === basic('admin') ? as('nora') : as('admin')
    expect((await t.request('GET', base, { headers: stranger })).status).toBe(404)
    expect((await t.request('GET', `/api/requests/${id}`, { headers: stranger })).status).toBe(404)
    expect((await t.request('GET', `/api/events/download?rq_id=${id}`, { headers: stranger })).status).toBe(
      404,
    )
    expect((await t.request('GET', `/api/requests/${id}`, { headers })).status).toBe(200)
  })
})

// Writes after every read, so the reads above see the world as seeded.
describe.each(CALLERS)('$name', ({ headers, sees }) => {
  it('sends client events through logEvents only as a user, never as a token', async () => {
    const answer = await gql(
      headers,
      'mutation { logEvents(batch: { events: [{ scope: "click:element", timestamp: "2024-05-06T09:00:00Z" }], timestamp: "2024-05-06T09:00:01Z" }) { __typename } }',
    )
    const isToken = (headers.authorization ?? '').startsWith('Bearer')
    if (sees === 401) expect(answer.status).toBe(401)
    else if (sees === 403 || isToken) expect(answer.status).toBe(403)
    else expect(answer.body).toEqual({ data: { logEvents: { __typename: 'LogEventsSuccess' } } })
  })

  it('sends server events only with an ingest token or as an admin', async () => {
    const res = await t.request('POST', '/api/events/server', {
      headers,
      body: [{ scope: 'create:task', timestamp: '2024-05-08T09:00:00.000Z', user_id: 13, org_id: ACME }],
    })
    const allowed =
      headers.authorization === bearer(TOKENS.ingest) || headers.authorization === basic('admin')
    if (sees === 401) expect(res.status).toBe(401)
    else if (headers['x-organization'] === 'globex' && headers.authorization === basic('walt')) {
      expect(res.status).toBe(403) // refused its organization before anything else
    } else expect(res.status).toBe(allowed ? 201 : 403)
  })
})

describe('filters naming what the caller may not see', () => {
  it.each([
    ['a worker without organization naming another organization', as('walt'), `orgIds: ["${GLOBEX}"]`],
    ['a worker in acme naming another organization', as('walt', 'acme'), `orgIds: ["${GLOBEX}"]`],
    ['a worker naming another user', as('walt', 'acme'), 'userIds: ["12"]'],
    ['an owner naming another organization', as('olivia', 'acme'), `orgIds: ["${GLOBEX}"]`],
    ['a read token naming another user', { authorization: bearer(TOKENS.waltRead) }, 'userNames: ["sue"]'],
  ])('refuses %s with 403 FORBIDDEN, in GraphQL and REST exports alike', async (_what, headers, filter) => {
    const answer = await gql(headers, `{ events(filter: { ${filter} }) { nodes { id } } }`)
    expect(answer.status).toBe(403)
    const param = filter.startsWith('orgIds')
      ? `org_id=${GLOBEX}`
      : filter.startsWith('userIds')
        ? 'user_id=12'
        : null
    // org_id is also CVAT's organization context: naming another one beside X-Organization is a
    // conflict (400, as CVAT answers), not a filter.
    const conflicting = param?.startsWith('org_id') && 'x-organization' in headers
    if (param)
      expect((await t.request('GET', `/api/events?${param}`, { headers })).status).toBe(
        conflicting ? 400 : 403,
      )
  })
})
