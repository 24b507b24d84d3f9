import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ExportStatusDocument } from '../../src/gql/graphql.js'
import { createEngine } from '../../src/store/engine.js'
import { startTestApp, tempDir, type TestApp } from '../support/app.js'
import { exportViaRest, generateEvents, parseCsv } from '../support/export-helpers.js'
import { as, basic, bearer, credentialsFrom, TOKENS } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'

const admin = { authorization: basic('admin') }

async function seedFew(t: TestApp): Promise<void> {
  const res = await t.request('POST', '/api/events/server', {
    headers: { authorization: bearer(TOKENS.ingest) },
    body: [1, 2, 3].map((i) => ({
      scope: 'create:job',
      timestamp: `2024-05-06T10:00:0${i}Z`,
      job_id: i,
      org_id: 7,
    })),
  })
  if (res.status !== 201) throw new Error(`seeding failed: ${res.status}`)
}

describe('expiry', () => {
  const HOUR = 3_600_000
  // The export service's clock: the test moves it past the TTL instead of waiting for it.
  let clock = Date.now()
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp({ EXPORT_TTL_HOURS: '1' }, { now: () => clock })
    await seedFew(t)
  })
  afterAll(async () => {
    await t.stop()
  })

  it('deletes the file once the TTL has passed: the download is then 404, the status EXPIRED, later unknown', async () => {
    const { queryId, status, download } = await exportViaRest(t, '', admin)
    expect(status.status).toBe(201)
    expect((await download()).status).toBe(200)
    const done = expectOk(await graphql(t, ExportStatusDocument, { queryId }, admin)).export
    expect(Date.parse(done.expiresAt ?? '') - Date.parse(done.finishedAt ?? '')).toBe(HOUR)
    const exportDir = t.config.exportDir
    // The file only: records are in the store, the claim goes with the run (released just after
    // the finished record is saved, which is when the status already answers 201).
    await expect.poll(() => readdir(exportDir)).toEqual([`${queryId}.csv`])

    clock += HOUR - 1
    expect((await download()).status).toBe(200)
    clock += 2
    const late = await download()
    expect(late.status).toBe(404)
    expect(await late.json()).toMatchObject({ code: 'NOT_FOUND' })
    expect((await t.request('GET', `/api/events?query_id=${queryId}`, { headers: admin })).status).toBe(404)
    const expired = expectOk(await graphql(t, ExportStatusDocument, { queryId }, admin)).export
    expect(expired).toMatchObject({ status: 'EXPIRED', downloadUrl: null })
    // The file went with the expiry (the record, in the store, says EXPIRED).
    expect(await readdir(exportDir)).toEqual([])

    // The status lingers one more TTL, then the sweeper forgets the export, record and all.
    clock += HOUR
    await t.app.services.exports.sweep()
    expect(codeOf(await graphql(t, ExportStatusDocument, { queryId }, admin))).toBe('NOT_FOUND')
    expect(await readdir(exportDir)).toEqual([])
  })
})

describe('restarts', () => {
  const dirs: string[] = []
  const freshDir = async () => {
    const dir = await tempDir('aa-export-restart-')
    dirs.push(dir)
    return dir
  }
  afterAll(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  /** A service that finished one export and stopped, with that export's stored record. */
  async function stoppedAfterOneExport() {
    const first = await startTestApp({}, { dir: await freshDir() })
    await seedFew(first)
    const finished = await exportViaRest(first, 'org_id=7', admin)
    const before = await (await finished.download()).text()
    await first.stop()
    const engine = createEngine(first.config.store)
    const [row] = await engine.rows<{ document: string }>({
      name: 'test.record',
      sql: 'SELECT document FROM export_records FINAL WHERE id = {id:String}',
      params: { id: finished.queryId },
    })
    const document = JSON.parse(row?.document ?? '{}') as Record<string, unknown>
    return { first, finished, before, engine, document, exportDir: first.config.exportDir }
  }

  /** CVAT's download of an export, by the restarted service: the bytes the first one served. */
  async function expectSameDownload(service: TestApp, queryId: string, before: string) {
    const again = await service.request('GET', `/api/events?org_id=7&query_id=${queryId}&action=download`, {
      headers: admin,
    })
    expect(again.status).toBe(200)
    expect(await again.text()).toBe(before)
  }

  it('keeps finished exports downloadable and marks interrupted ones failed', async () => {
    // What a crash leaves: a record still "running" by a process of this host that is gone, its
    // claim, and the partial file it was writing.
    const { first, finished, before, engine, document, exportDir } = await stoppedAfterOneExport()
    const crashedId = '11111111-2222-4333-8444-555555555555'
    const crashed = {
      ...document,
      id: crashedId,
      key: 'crashed',
      status: 'running',
      finishedAt: null,
      expiresAt: null,
      runner: { host: hostname(), pid: 2 ** 22 + 17, instance: 'gone' },
    }
    await engine.command({
      name: 'test.crashed',
      sql: `INSERT INTO export_records (id, owner_id, dedup_key, status, document, version)
            VALUES ({id:String}, '1', 'crashed', 'running', {document:String}, 1)`,
      params: { id: crashedId, document: JSON.stringify(crashed) },
    })
    await engine.close()
    await mkdir(path.join(exportDir, `${crashedId}.lock`))
    await writeFile(path.join(exportDir, `${crashedId}.csv.part`), '"scope"\r\n"half a')

    const second = await first.restart()
    try {
      await expectSameDownload(second, finished.queryId, before)
      expect(parseCsv(before)).toHaveLength(4)

      const failed = await second.request('GET', `/api/events?query_id=${crashedId}`, { headers: admin })
      expect(failed.status).toBe(500)
      expect(await failed.json()).toMatchObject({
        code: 'EXPORT_FAILED',
        message: expect.stringContaining('restarted') as unknown,
      })
      const status = expectOk(
        await graphql(second, ExportStatusDocument, { queryId: crashedId }, admin),
      ).export
      expect(status).toMatchObject({ status: 'FAILED', downloadUrl: null })
      expect(status.expiresAt).not.toBeNull()
      expect(await readdir(exportDir)).not.toContain(`${crashedId}.csv.part`)
      expect(await readdir(exportDir)).not.toContain(`${crashedId}.lock`)
    } finally {
      await second.stop()
    }
  })

  it('adopts the records an earlier version kept as files: finished ones stay downloadable, running ones fail', async () => {
    // What the version before records in the store left in EXPORT_DIR: the file and its record
    // beside it as `<id>.json` (that version's document, the store's now), and no store record.
    const { first, finished, before, engine, document, exportDir } = await stoppedAfterOneExport()
    await engine.command({ name: 'test.forget_records', sql: 'TRUNCATE TABLE export_records' })
    await engine.close()
    const { runner: _runner, ...legacyFinished } = document
    await writeFile(path.join(exportDir, `${finished.queryId}.json`), JSON.stringify(legacyFinished))
    const runningId = '66666666-2222-4333-8444-555555555555'
    const legacyRunning = {
      ...legacyFinished,
      id: runningId,
      key: 'old',
      status: 'running',
      finishedAt: null,
      expiresAt: null,
    }
    await writeFile(path.join(exportDir, `${runningId}.json`), JSON.stringify(legacyRunning))
    await writeFile(path.join(exportDir, `${runningId}.csv.part`), '"scope"\r\n"half a')

    const second = await first.restart()
    try {
      await expectSameDownload(second, finished.queryId, before)
      const status = expectOk(
        await graphql(second, ExportStatusDocument, { queryId: runningId }, admin),
      ).export
      expect(status).toMatchObject({ status: 'FAILED', downloadUrl: null })
      expect((await readdir(exportDir)).sort()).toEqual([`${finished.queryId}.csv`])
    } finally {
      await second.stop()
    }
  })

  it('cancels a running export on stop and reports it failed after the restart', async () => {
    const first = await startTestApp({}, { dir: await freshDir() })
    await generateEvents(first, 200_000, 'stop')
    const access = await first.app.services.auth.access(credentialsFrom(as('admin')))
    const started = await first.app.services.exports.start(access, {
      filter: {},
      format: 'csv',
      includeExceptions: false,
      filename: null,
    })
    await expect
      .poll(async () => (await first.app.services.exports.get(access, started.id)).rows, {
        interval: 5,
        timeout: 30_000,
      })
      .toBeGreaterThan(0)
    expect((await first.app.services.exports.get(access, started.id)).status).toBe('running')
    await first.stop()

    const second = await first.restart()
    try {
      const res = await second.request('GET', `/api/events?query_id=${started.id}`, { headers: admin })
      expect(res.status).toBe(500)
      expect(await res.json()).toMatchObject({ message: expect.stringContaining('stopped') as unknown })
      expect((await readdir(second.config.exportDir)).filter((f) => f.startsWith(started.id))).toEqual([])
    } finally {
      await second.stop()
    }
  })
})
