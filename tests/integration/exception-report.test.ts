import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { categoryOf, isExcluded, OTHER_CATEGORY } from '../../src/domain/exception-categories.js'
import { ExceptionReportDocument, type ExceptionReportQuery } from '../../src/gql/graphql.js'
import type { Statement } from '../../src/store/index.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, TOKENS, type Person } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'

// CVAT's "Users Exceptions" figures over a known history. The range is Tuesday 2024-05-07 (UTC);
// the period before it is Monday. Server rows carry their user; acme is org 7.
const MONDAY = (h: number) => Date.UTC(2024, 4, 6, h)
const TUESDAY = (h: number) => Date.UTC(2024, 4, 7, h)
const FROM = new Date(TUESDAY(0)).toISOString()
const TO = new Date(Date.UTC(2024, 4, 8) - 1).toISOString() // one day less a millisecond

interface Row {
  readonly at: number
  readonly source: 'client' | 'server'
  readonly user: number | null
  readonly message: string
}

const HISTORY: readonly Row[] = [
  // Monday: 3 kept (2 users), 1 excluded.
  { at: MONDAY(9), source: 'client', user: 13, message: 'Network Error' },
  { at: MONDAY(10), source: 'client', user: 13, message: 'Network Error' },
  { at: MONDAY(11), source: 'server', user: 12, message: 'redis.exceptions.ConnectionError: refused' },
  { at: MONDAY(12), source: 'server', user: 12, message: 'PermissionDenied: you do not have permission' },
  // Tuesday: 6 kept (3 users, one null user), blanks and refusals left out.
  { at: TUESDAY(8), source: 'client', user: 13, message: 'Network Error' },
  {
    at: TUESDAY(9),
    source: 'client',
    user: 10,
    message: "TypeError: Cannot read properties of undefined (reading 'points')",
  },
  // The same message from the server is not a client JavaScript error.
  {
    at: TUESDAY(10),
    source: 'server',
    user: 10,
    message: "TypeError: Cannot read properties of undefined (reading 'points')",
  },
  {
    at: TUESDAY(11),
    source: 'server',
    user: null,
    message: 'Request failed with status code 504 "Gateway Timeout"',
  },
  { at: TUESDAY(12), source: 'client', user: 13, message: '**SHAPES** dump: [...]' },
  { at: TUESDAY(23), source: 'client', user: 12, message: 'label "car" is not registered for this task' },
  { at: TUESDAY(13), source: 'client', user: 13, message: '   ' },
  {
    at: TUESDAY(14),
    source: 'server',
    user: 12,
    message: 'django.http.response.Http404: No Job matches the given query.',
  },
  { at: TUESDAY(15), source: 'client', user: 13, message: 'Request failed with status code 429' },
]

let t: TestApp
const statements: Statement[] = []
beforeAll(async () => {
  t = await startTestApp({}, { observeStore: (s) => void statements.push(s) })
  const res = await t.request('POST', '/api/events/server', {
    headers: { authorization: bearer(TOKENS.ingest) },
    body: HISTORY.map((r) => ({
      scope: 'send:exception',
      source: r.source,
      timestamp: r.at,
      org_id: 7,
      ...(r.user === null ? {} : { user_id: r.user }),
      payload: { message: r.message, stack: 'at f (x.js:1:1)' },
    })),
  })
  expect(res.status).toBe(201)
})
afterAll(async () => {
  await t.stop()
})

type Report = ExceptionReportQuery['exceptionReport']
const report = async (
  person: Person,
  org?: string,
  variables: Record<string, unknown> = {},
): Promise<Report> =>
  expectOk(
    await graphql(
      t,
      ExceptionReportDocument,
      { filter: { from: FROM, to: TO }, ...variables },
      as(person, org),
    ),
  ).exceptionReport

describe('Query.exceptionReport', () => {
  it('counts kept errors and users in the range and the equal period before it, with the change', async () => {
    const r = await report('olivia', 'acme')
    expect(r.previousFrom).toBe(
      new Date(Date.parse(FROM) - (Date.parse(TO) - Date.parse(FROM))).toISOString(),
    )
    expect(r.totals).toEqual({
      count: 6,
      previousCount: 3,
      deltaPercent: 100,
      users: 3,
      previousUsers: 2,
      usersDeltaPercent: 50,
    })
    expect(r.bySource).toEqual([
      { source: 'client', count: 4, previousCount: 2, deltaPercent: 100 },
      { source: 'server', count: 2, previousCount: 1, deltaPercent: 100 },
    ])
  })

  it('puts each error in the first category whose rule matches, client-only rules for the client', async () => {
    const r = await report('olivia', 'acme')
    const share = (n: number) => (n * 100) / 6
    expect(r.categories).toEqual(
      expect.arrayContaining([
        { category: 'Network Error', count: 1, share: share(1) },
        { category: 'JS null/undefined access', count: 1, share: share(1) },
        { category: '504 Gateway Timeout', count: 1, share: share(1) },
        { category: 'Debug logging / shapes dump', count: 1, share: share(1) },
        { category: 'Labels not registered', count: 1, share: share(1) },
        { category: OTHER_CATEGORY, count: 1, share: share(1) },
        // Only Monday's: in the list with its previous count, none now.
        { category: 'Redis / kvrocks', count: 0, share: 0 },
      ]),
    )
    expect(r.categories).toHaveLength(7)
    const network = r.summary.find((s) => s.category === 'Network Error')
    expect(network).toEqual({
      source: 'client',
      category: 'Network Error',
      count: 1,
      share: share(1),
      users: 1,
      previousCount: 2,
      deltaPercent: -50,
      previousUsers: 1,
    })
    expect(r.summary.find((s) => s.category === OTHER_CATEGORY)?.source).toBe('server')
  })

  it('counts the range per UTC day and category, and the messages of one category', async () => {
    const r = await report('olivia', 'acme', { category: 'Network Error' })
    expect(new Set(r.byDay.map((d) => d.day))).toEqual(new Set([new Date(TUESDAY(0)).toISOString()]))
    expect(r.byDay.reduce((sum, d) => sum + d.count, 0)).toBe(6)
    expect(r.topMessages).toEqual([
      { category: 'Network Error', message: 'network error', source: 'client', count: 1, users: 1 },
    ])
    const all = await report('olivia', 'acme')
    expect(all.topMessages.reduce((sum, m) => sum + m.count, 0)).toBe(6)
  })

  it('agrees with the rules as the domain module applies them, message by message', async () => {
    const r = await report('olivia', 'acme', { messages: 200 })
    for (const m of r.topMessages) expect(categoryOf(m.message, m.source), m.message).toBe(m.category)
    for (const row of HISTORY.filter((h) => isExcluded(h.message))) {
      expect(r.topMessages.map((m) => m.message)).not.toContain(row.message.toLowerCase())
    }
  })

  it("shows a worker only the worker's own errors", async () => {
    const r = await report('walt', 'acme')
    expect(r.totals).toMatchObject({ count: 2, previousCount: 2, users: 1, previousUsers: 1 })
    expect(r.topMessages.map((m) => m.message).sort()).toEqual(['**shapes** dump: [...]', 'network error'])
  })

  it("reads the report's figures once, and not at all for the top messages alone (the drill-down panel)", async () => {
    const ask = async (selection: string) => {
      const first = statements.length
      const res = await t.request('POST', '/graphql', {
        headers: as('olivia', 'acme'),
        body: { query: `{ exceptionReport(filter: { from: "${FROM}", to: "${TO}" }) { ${selection} } }` },
      })
      expect(res.status).toBe(200)
      return statements
        .slice(first)
        .map((s) => s.name)
        .filter((name) => name.startsWith('exceptions.'))
    }
    expect(await ask('topMessages(first: 10) { message }')).toEqual(['exceptions.report_messages'])
    expect(await ask('totals { count } categories { category } byDay { count }')).toEqual([
      'exceptions.report',
    ])
  })

  it('refuses a category it does not know, naming the argument', async () => {
    const answer = await graphql(
      t,
      ExceptionReportDocument,
      { filter: { from: FROM, to: TO }, category: 'Nope' },
      as('olivia', 'acme'),
    )
    expect(codeOf(answer)).toBe('BAD_USER_INPUT')
    expect(answer.errors?.[0]?.extensions?.field).toBe('category')
  })
})
