import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActivityDocument, EventsDocument, WorkingTimeDocument } from '../../src/gql/graphql.js'
import { startServerTestApp, type ServerTestApp } from '../support/server-app.js'
import { basic } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'
import { seedWorld, WORLD_FROM, WORLD_TO } from '../support/world.js'

// The same API over CLICKHOUSE_URL: real HTTP to a ClickHouse endpoint (chDB behind it).
let t: ServerTestApp
beforeAll(async () => {
  // Long enough for the aggregations on a loaded CI machine (1 s once was not), short enough for
  // the timeout test to see the server cancel a statement slowed past it.
  t = await startServerTestApp({ QUERY_TIMEOUT_MS: '3000' })
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
})

const admin = { authorization: basic('admin') }
const window = { from: new Date(WORLD_FROM).toISOString(), to: new Date(WORLD_TO).toISOString() }

describe('GraphQL on a ClickHouse server', () => {
  it('answers the same aggregations as on the embedded engine', async () => {
    const data = expectOk(await graphql(t, WorkingTimeDocument, { filter: window, groupBy: ['USER'] }, admin))
    expect(data.workingTime.map((r) => [r.userName, r.milliseconds])).toEqual([
      ['walt', 52_000],
      ['sue', 30_000],
      ['gina', 25_000],
      ['olivia', 20_000],
      ['nora', 0],
    ])
    const events = expectOk(
      await graphql(t, EventsDocument, { filter: { ...window, jobIds: ['101'] }, first: 100 }, admin),
    )
    expect(events.events.edges).toHaveLength(10)
  })

  it('answers QUERY_TIMEOUT with HTTP 504 when the server cancels a slow query', async () => {
    t.clickhouse.slowDown(/^aa:analytics\.activity:/, 10_000)
    const started = Date.now()
    const result = await graphql(t, ActivityDocument, { filter: window, interval: '1h' }, admin)
    expect(result.status).toBe(504)
    expect(codeOf(result)).toBe('QUERY_TIMEOUT')
    expect(Date.now() - started).toBeLessThan(8_000)
  })
})
