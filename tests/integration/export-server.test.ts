import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportStatusDocument } from '../../src/gql/graphql.js'
import { startTestApp, tempDir, type TestApp } from '../support/app.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { expectedRecords, exportViaRest, parseCsv } from '../support/export-helpers.js'
import { basic } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'
import { seedWorld } from '../support/world.js'

let dir: string
let shim: ClickHouseShim
let t: TestApp

beforeAll(async () => {
  dir = await tempDir('aa-export-server-')
  shim = await startClickHouseShim(path.join(dir, 'server'))
  t = await startTestApp({ CLICKHOUSE_URL: shim.url, EXPORT_WINDOW_ROWS: '4' }, { dir })
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
  await shim.close()
  await rm(dir, { recursive: true, force: true })
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
