import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ExportStatusDocument,
  StartExportDocument,
  type EventFilter,
  type ExportStatusQuery,
} from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { csvObjects, expectedRecords, parseCsv } from '../support/export-helpers.js'
import { as, bearer, type Person, TOKENS } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'
import { seedWorld, WORLD_FROM, WORLD_TO } from '../support/world.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ EXPORT_WINDOW_ROWS: '3' })
  await seedWorld(t)
})
afterAll(async () => {
  await t.stop()
})

type ExportStatus = ExportStatusQuery['export']

async function waitForExport(queryId: string, headers: Record<string, string>): Promise<ExportStatus> {
  for (let i = 0; i < 1000; i += 1) {
    const status = expectOk(await graphql(t, ExportStatusDocument, { queryId }, headers)).export
    if (status.status !== 'QUEUED' && status.status !== 'RUNNING') return status
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`export ${queryId} did not finish`)
}

describe('startExport and export(queryId)', () => {
  it('runs an export of the filter and reports rows, bytes, bounds and the download URL', async () => {
    const headers = as('olivia', 'acme')
    const from = new Date(WORLD_FROM).toISOString()
    const to = new Date(WORLD_TO).toISOString()
    const started = expectOk(
      await graphql(
        t,
        StartExportDocument,
        { filter: { from, to, projectIds: ['1'] }, filename: 'p1.csv' },
        headers,
      ),
    )
    const { queryId } = started.startExport
    expect(['QUEUED', 'RUNNING', 'DONE']).toContain(started.startExport.export.status)

    const done = await waitForExport(queryId, headers)
    const expected = await expectedRecords(
      t,
      `org_id = 7 AND project_id = 1 AND scope != 'send:exception'
       AND timestamp BETWEEN fromUnixTimestamp64Milli({from:Int64}) AND fromUnixTimestamp64Milli({to:Int64})`,
      { from: WORLD_FROM, to: WORLD_TO },
    )
    expect(done).toMatchObject({
      queryId,
      status: 'DONE',
      format: 'CSV',
      includeExceptions: false,
      from,
      to,
      rowsWritten: expected.length,
      rowsPlanned: expected.length,
      error: null,
      filename: 'p1.csv',
      downloadUrl: `/api/events/download?rq_id=${queryId}`,
    })
    expect(Date.parse(done.expiresAt ?? '') - Date.parse(done.finishedAt ?? '')).toBe(24 * 3_600_000)

    const res = await t.request('GET', done.downloadUrl ?? '', { headers })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="p1.csv"')
    const text = await res.text()
    expect(Buffer.byteLength(text)).toBe(done.bytesWritten)
    expect(parseCsv(text).slice(1)).toEqual(expected)
  })

  it('keeps send:exception rows with includeExceptions, or when the filter names the scope', async () => {
    const headers = as('walt', 'acme')
    for (const variables of [
      { filter: { jobIds: ['102'] }, includeExceptions: true },
      { filter: { jobIds: ['102'], scopes: ['send:exception'] } },
    ]) {
      const { queryId } = expectOk(await graphql(t, StartExportDocument, variables, headers)).startExport
      const done = await waitForExport(queryId, headers)
      expect(done.includeExceptions).toBe(true)
      const text = await (await t.request('GET', done.downloadUrl ?? '', { headers })).text()
      expect(csvObjects(text).rows.map((r) => r.scope)).toContain('send:exception')
    }
  })

  it('writes JSON lines with format JSONL', async () => {
    const headers = as('admin')
    const { queryId } = expectOk(
      await graphql(t, StartExportDocument, { filter: { jobIds: ['201'] }, format: 'JSONL' }, headers),
    ).startExport
    const done = await waitForExport(queryId, headers)
    const lines = (await (await t.request('GET', done.downloadUrl ?? '', { headers })).text())
      .trimEnd()
      .split('\n')
    expect(lines).toHaveLength(done.rowsWritten)
    expect(lines.map((l) => (JSON.parse(l) as { user_name: string }).user_name)).toEqual(
      lines.map(() => 'gina'),
    )
  })

  it('answers FORBIDDEN (403) when the filter names what the caller may not see', async () => {
    for (const [person, org, filter] of [
      ['walt', 'acme', { userIds: ['10'] }],
      ['olivia', 'acme', { orgIds: ['8'] }],
    ] satisfies [Person, string, EventFilter][]) {
      const result = await graphql(t, StartExportDocument, { filter }, as(person, org))
      expect(result.status).toBe(403)
      expect(codeOf(result)).toBe('FORBIDDEN')
    }
    const ingest = await graphql(t, StartExportDocument, {}, { authorization: bearer(TOKENS.ingest) })
    expect(ingest.status).toBe(403)
  })

  it("answers NOT_FOUND (404) for someone else's export, and for an id that never existed", async () => {
    const { queryId } = expectOk(
      await graphql(t, StartExportDocument, { filter: { jobIds: ['101'] } }, as('sue', 'acme')),
    ).startExport
    for (const [person, org] of [
      ['olivia', 'acme'],
      ['admin', undefined],
    ] as const) {
      const result = await graphql(t, ExportStatusDocument, { queryId }, as(person, org))
      expect(result.status).toBe(404)
      expect(codeOf(result)).toBe('NOT_FOUND')
    }
    const missing = await graphql(t, ExportStatusDocument, { queryId: 'nope' }, as('sue'))
    expect(codeOf(missing)).toBe('NOT_FOUND')
    expect((await waitForExport(queryId, as('sue'))).status).toBe('DONE')
  })

  it('rejects a bad filename, id or time range with BAD_USER_INPUT', async () => {
    for (const variables of [
      { filename: 'a/b.csv' },
      { filter: { jobIds: ['x'] } },
      { filter: { from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' } },
    ]) {
      const result = await graphql(t, StartExportDocument, variables, as('admin'))
      expect(result.status, JSON.stringify(variables)).toBe(400)
      expect(codeOf(result)).toBe('BAD_USER_INPUT')
    }
  })
})

describe('time windows', () => {
  it('exports every row once, in order, when a single millisecond holds more rows than a window', async () => {
    const burst = Array.from({ length: 10 }, (_, i) => ({
      scope: 'create:label',
      timestamp: '2024-07-01T00:00:00.000Z',
      obj_id: i,
      task_id: 777,
      org_id: 7,
    }))
    const around = ['2024-06-30T23:59:59.999Z', '2024-07-01T00:00:00.001Z', '2024-07-02T00:00:00Z'].map(
      (timestamp, i) => ({ scope: 'create:label', timestamp, obj_id: 100 + i, task_id: 777, org_id: 7 }),
    )
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: [...burst, ...around],
    })
    expect(res.status).toBe(201)
    const headers = as('admin')
    const { queryId } = expectOk(
      await graphql(t, StartExportDocument, { filter: { taskIds: ['777'] } }, headers),
    ).startExport
    const done = await waitForExport(queryId, headers)
    const records = parseCsv(
      await (await t.request('GET', done.downloadUrl ?? '', { headers })).text(),
    ).slice(1)
    expect(records).toHaveLength(13)
    expect(records).toEqual(await expectedRecords(t, 'task_id = 777'))
    expect(done.rowsWritten).toBe(13)
  })
})
