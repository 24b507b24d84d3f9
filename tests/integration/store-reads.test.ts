import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authorize } from '../../src/auth/policy.js'
import type { Access } from '../../src/auth/principal.js'
import { emptyRecord } from '../../src/ingest/records.js'
import type { EventCursor, EventRecord } from '../../src/store/index.js'
import { startTestApp, type TestApp } from '../support/app.js'

let t: TestApp
const admin: Access = {
  principal: {
    user: { id: '1', username: 'admin', email: null, role: 'admin' },
    token: null,
    source: { kind: 'accounts-file' },
  },
  org: null,
  orgRole: null,
}
const T0 = Date.UTC(2024, 4, 1, 12)
const hostile = `it's a "tab"\there\\and\nnewline`

beforeAll(async () => {
  t = await startTestApp()
  const records: EventRecord[] = Array.from({ length: 25 }, (_, i) => ({
    ...emptyRecord(),
    scope: i % 5 === 0 ? 'send:exception' : 'change:frame',
    source: 'client',
    timestampMs: T0 + Math.floor(i / 2) * 1000, // pairs share a timestamp: the event id breaks ties
    userId: String(10 + (i % 3)),
    userName: i === 7 ? hostile : `user${i % 3}`,
    orgId: '7',
    jobId: i % 4 === 0 ? null : String(100 + (i % 4)),
  }))
  await t.app.services.writer.write(records)
})
afterAll(async () => {
  await t.stop()
})

describe('listEvents', () => {
  it('pages through every event once, in order, across inserts between pages', async () => {
    const filter = authorize(admin, { from: T0, to: T0 + 3_600_000 })
    const seen: string[] = []
    let after: EventCursor | undefined
    let pages = 0
    for (;;) {
      const page = await t.app.services.store.events.page(filter, {
        first: 4,
        order: 'asc',
        ...(after ? { after } : {}),
      })
      seen.push(...page.events.map((e) => e.eventId))
      pages += 1
      if (pages === 2) {
        // A late event before the cursor and a new one after it.
        await t.app.services.writer.write([
          { ...emptyRecord(), scope: 'draw:object', source: 'client', timestampMs: T0 - 1, orgId: '7' },
          { ...emptyRecord(), scope: 'draw:object', source: 'client', timestampMs: T0 + 100_000, orgId: '7' },
        ])
      }
      after = page.cursors.at(-1)
      if (!page.hasNextPage || !after) break
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen).toHaveLength(26) // the 25, plus the one inserted after the cursor
  })

  it('filters on jobs, users and hasJob', async () => {
    const noJob = await t.app.services.store.events.page(
      authorize(admin, { from: T0, to: T0 + 50_000, hasJob: false }),
      {
        first: 100,
        order: 'desc',
      },
    )
    expect(noJob.events.every((e) => e.jobId === null)).toBe(true)
    expect(noJob.events).toHaveLength(7)
    const job101 = await t.app.services.store.events.page(
      authorize(admin, { jobIds: ['101'], userIds: ['11'] }),
      {
        first: 100,
        order: 'desc',
      },
    )
    expect(job101.events.map((e) => [e.jobId, e.userId])).toEqual(expect.arrayContaining([['101', '11']]))
    expect(job101.events.every((e) => e.jobId === '101' && e.userId === '11')).toBe(true)
  })
})

describe('engine.stream', () => {
  it('streams a query with hostile string parameters and matches exactly', async () => {
    const engine = t.sql
    const chunks: Buffer[] = []
    for await (const chunk of engine.stream(
      {
        name: 'test.stream',
        sql: `SELECT user_name, count() AS n FROM default.events WHERE user_name IN {names:Array(String)} AND timestamp >= fromUnixTimestamp64Milli({from:Int64}, 'UTC') GROUP BY user_name`,
        params: { names: [hostile, 'nobody'], from: T0 },
      },
      { format: 'JSONEachRow' },
    )) {
      chunks.push(Buffer.from(chunk))
    }
    expect(JSON.parse(Buffer.concat(chunks).toString('utf8'))).toEqual({ user_name: hostile, n: '1' })
  })

  it('stops the query when the reader stops early', async () => {
    const engine = t.sql
    let chunks = 0
    for await (const _chunk of engine.stream(
      { name: 'test.early', sql: 'SELECT number FROM numbers(50000000)' },
      { format: 'TabSeparated' },
    )) {
      chunks += 1
      if (chunks === 2) break
    }
    expect(chunks).toBe(2)
    // The engine is still usable afterwards.
    expect(await engine.rows<{ one: number }>({ name: 'test.after', sql: 'SELECT 1 AS one' })).toEqual([
      { one: 1 },
    ])
  })
})
