import { describe, expect, it } from 'vitest'
import { startServerTestApp } from '../support/server-app.js'
import { basic } from '../support/fixtures.js'
import { DERIVED_TABLES } from '../../src/store/rollups/catalog.js'

// How the rollups are fed depends on the server: a pass needs one snapshot per table and query
// (ClickHouse 25.6); an older server gets the views. Either way an acknowledged batch is counted.
const batch = (n: number) => ({
  events: Array.from({ length: n }, (_, i) => ({
    scope: 'change:frame',
    timestamp: new Date(Date.now() - 60_000 + i).toISOString(),
    duration: 100,
    job_id: 7,
  })),
  previous_event: null,
  timestamp: new Date().toISOString(),
})

async function counted(version: string | undefined) {
  const t = await startServerTestApp({}, version ? { shim: { version } } : {})
  try {
    await t.app.services.store.rollups.whenReady()
    const res = await t.request('POST', '/api/events', {
      body: batch(30),
      headers: { authorization: basic('walt'), 'x-organization': 'acme' },
    })
    expect(res.status).toBe(201)
    const [stored] = await t.sql.rows<{ n: string }>({
      name: 'test.stored',
      sql: 'SELECT count() AS n FROM default.events',
    })
    const [views] = await t.sql.rows<{ n: string }>({
      name: 'test.views',
      sql: "SELECT count() AS n FROM system.tables WHERE database = 'default' AND name LIKE '%\\_mv'",
    })
    const answer = await t.request('POST', '/graphql', {
      body: { query: '{ activity(interval: "1h") { buckets { count } } }' },
      headers: { authorization: basic('admin') },
    })
    const body = (await answer.json()) as { data: { activity: { buckets: { count: number }[] } } }
    return {
      feed: t.app.services.store.rollups.status().feed,
      views: Number(views?.n),
      // The batch and the working-time event ingest adds to it.
      counted: body.data.activity.buckets.reduce((n, b) => n + b.count, 0) === Number(stored?.n),
      stored: Number(stored?.n) > 30,
    }
  } finally {
    await t.stop()
  }
}

describe('the rollups on a ClickHouse server', { timeout: 120_000 }, () => {
  it('are fed by passes from 25.6, and count what was just acknowledged', async () => {
    expect(await counted(undefined)).toEqual({ feed: 'pass', views: 0, counted: true, stored: true })
  })

  it('are fed by views before 25.6', async () => {
    // One view per derived table: the rollups, the exceptions' copy, the job trail.
    expect(await counted('25.3.2.1')).toEqual({
      feed: 'view',
      views: DERIVED_TABLES.length,
      counted: true,
      stored: true,
    })
  })
})
