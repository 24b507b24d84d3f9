import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportStatusDocument } from '../../src/gql/graphql.js'
import { expectedRecords, exportViaRest, parseCsv } from '../support/export-helpers.js'
import { basic } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'
import { startServerTestApp, type ServerTestApp } from '../support/server-app.js'
import { seedWorld } from '../support/world.js'

let t: ServerTestApp

beforeAll(async () => {
  t = await startServerTestApp({ EXPORT_WINDOW_ROWS: '4' })
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
})

describe('export with CLICKHOUSE_URL', () => {
  it("streams the server's CSV over HTTP into the same file, window by window", async () => {
    const headers = { authorization: basic('admin') }
    const { queryId, status, download } = await exportViaRest(t, 'org_id=7', headers)
    expect(status.status).toBe(201)
    const records = parseCsv(await (await download()).text())
    const expected = await expectedRecords(t, `org_id = 7 AND scope != 'send:exception'`)
    expect(records.slice(1)).toEqual(expected)
    expect(expected.length).toBeGreaterThan(8)
    const view = expectOk(await graphql(t, ExportStatusDocument, { queryId }, headers)).export
    expect(view.rowsWritten).toBe(expected.length)
  })
})
