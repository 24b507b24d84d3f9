import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ActivityDocument, EventsDocument } from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { cvatEventsTableDdl, cvatVectorRow } from '../support/cvat-table.js'
import { generateEvents } from '../support/export-helpers.js'
import { as, credentialsFrom, markedBatch } from '../support/fixtures.js'
import { codeOf, graphql } from '../support/graphql.js'

/**
 * CVAT's REST-test fixture (`init.py --clear`) runs `TRUNCATE DATABASE cvat`, which drops every
 * table in the database: a running service notices at its next read or insert, migrates again,
 * answers 503 STORE_UNAVAILABLE meanwhile (never 500), and loses none of what it holds: what it
 * acknowledged while the tables were gone is spooled and stored once they are back.
 */
let t: TestApp
const walt = as('walt', 'acme')
const admin = as('admin')
beforeAll(async () => {
  t = await startTestApp({ SPOOL_RETRY_MS: '100', STORE_RETRY_MAX_MS: '400' })
})
afterAll(async () => {
  await t.stop()
})

/** Marked events at one instant: a millisecond between them would add a working-time row to what is read. */
const batch = (marker: string, n: number) => markedBatch(marker, n, 'click:element')

describe('the tables dropped under a running service', () => {
  it('migrates again, answers 503 meanwhile, and stores what it acknowledged', async () => {
    expect((await t.request('POST', '/api/events', { headers: walt, body: batch('before', 2) })).status).toBe(
      201,
    )
    await t.sql.command({ name: 'test.truncate', sql: 'TRUNCATE DATABASE default' })

    const statuses = new Set<number>()
    const first = await graphql(t, EventsDocument, { first: 10 }, admin)
    statuses.add(first.status)
    expect(first.status).toBe(503)
    expect(codeOf(first)).toBe('STORE_UNAVAILABLE')
    const during = await t.request('POST', '/api/events', { headers: walt, body: batch('during', 3) })
    expect([201, 202]).toContain(during.status)

    await expect
      .poll(
        async () => {
          const read = await graphql(t, EventsDocument, { first: 50, orderBy: 'TIMESTAMP_ASC' }, admin)
          statuses.add(read.status)
          return read.data?.events.edges.map((e) => e.node.objVal) ?? []
        },
        { timeout: 30_000, interval: 100 },
      )
      .toEqual(['during', 'during', 'during'])
    expect([...statuses].filter((s) => s !== 200 && s !== 503)).toEqual([])
    await expect.poll(() => t.app.services.writer.spoolBacklog).toBe(0)
    // Every family works again: aggregations, the rollups behind them, exports, the quarantine.
    const activity = await graphql(t, ActivityDocument, { interval: '1h' }, admin)
    expect(activity.status).toBe(200)
    expect((await t.request('GET', '/ready')).status).toBe(200)
  }, 120_000)

  it("heals when CVAT's own events table is back first, without our columns", async () => {
    await t.sql.command({ name: 'test.truncate', sql: 'TRUNCATE DATABASE default' })
    // CVAT's fixture restores its table (CVAT's DDL) and a row CVAT's Vector wrote.
    await t.sql.command({ name: 'test.cvat_table', sql: cvatEventsTableDdl('default.events') })
    await t.sql.command({
      name: 'test.cvat_row',
      sql: `INSERT INTO default.events FORMAT JSONEachRow ${JSON.stringify(
        cvatVectorRow({
          org_id: 7,
          org_slug: 'acme',
          timestamp: new Date().toISOString().replace('T', ' ').replace('Z', ''),
        }),
      )}`,
    })
    const statuses = new Set<number>()
    const sent = await t.request('POST', '/api/events', { headers: walt, body: batch('after-cvat', 2) })
    statuses.add(sent.status)
    await expect
      .poll(
        async () => {
          const read = await graphql(t, EventsDocument, { first: 50, orderBy: 'TIMESTAMP_ASC' }, admin)
          statuses.add(read.status)
          return read.data?.events.edges.map((e) => e.node.scope).sort() ?? []
        },
        { timeout: 30_000, interval: 100 },
      )
      .toEqual(['click:element', 'click:element', 'create:task'])
    expect([...statuses].filter((s) => ![200, 201, 202, 503].includes(s))).toEqual([])
    await expect.poll(() => t.app.services.writer.spoolBacklog).toBe(0)
    // The rollups were rebuilt too: CVAT's row, written before their views, is counted again.
    const counted = async () => {
      const { data } = await graphql(t, ActivityDocument, { interval: '1h' }, admin)
      return data?.activity.buckets.reduce((sum, b) => sum + b.count, 0)
    }
    await expect.poll(counted, { timeout: 20_000 }).toBe(3)
    await t.app.services.store.rollups.whenReady()
    expect(await counted()).toBe(3)
  }, 120_000)

  it('keeps the record of an export that ended while the tables were gone, and saves it once they are back', async () => {
    await generateEvents(t, 500_000, 'export-heal')
    const access = await t.app.services.auth.access(credentialsFrom(admin))
    const started = await t.app.services.exports.start(access, {
      filter: {},
      format: 'csv',
      includeExceptions: false,
      filename: null,
    })
    await expect
      .poll(async () => (await t.app.services.exports.get(access, started.id)).rows, {
        timeout: 60_000,
        interval: 5,
      })
      .toBeGreaterThan(0)
    expect(t.app.services.exports.counts().running).toBe(1)
    await t.sql.command({ name: 'test.truncate', sql: 'TRUNCATE DATABASE default' })
    // It ends (done, from what its query had read, or failed) while its record cannot be saved.
    await expect.poll(() => t.app.services.exports.counts().running, { timeout: 120_000 }).toBe(0)
    const recorded = async () => {
      try {
        const [row] = await t.sql.rows<{ status: string }>({
          name: 'test.export_record',
          sql: 'SELECT status FROM default.export_records FINAL WHERE id = {id:String}',
          params: { id: started.id },
        })
        return row?.status ?? 'absent'
      } catch {
        return 'no table'
      }
    }
    // Recorded once the tables are back, and answered as it ended, never as unknown.
    await expect.poll(recorded, { timeout: 30_000 }).toMatch(/^(done|failed)$/)
    const res = await t.request('GET', `/api/events?query_id=${started.id}`, { headers: admin })
    expect(res.status).toBe((await recorded()) === 'done' ? 201 : 500)
  }, 300_000)
})
