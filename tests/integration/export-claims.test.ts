import { mkdir, readdir, utimes } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Access } from '../../src/auth/principal.js'
import { ExportService } from '../../src/export/service.js'
import type { ExportRecord } from '../../src/export/record.js'
import { silentLogger } from '../../src/observability/logger.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { generateEvents } from '../support/export-helpers.js'
import { as, credentialsFrom, type Person } from '../support/fixtures.js'

/**
 * Two export services on one store and one EXPORT_DIR, as two API replicas have: each export is
 * run by exactly one of them, whichever claims it first; a running export whose replica stopped
 * renewing its claim is failed by the other.
 */
let t: TestApp
let other: ExportService
beforeAll(async () => {
  t = await startTestApp({ EXPORT_CONCURRENCY: '1' })
  await generateEvents(t, 20_000, 'claims')
  other = await ExportService.open({
    store: t.app.services.store,
    dir: t.config.exportDir,
    ttlMs: 3_600_000,
    concurrency: 1,
    userConcurrency: 1,
    windowRows: 250_000,
    queryTimeoutMs: 60_000,
    log: silentLogger,
    pollMs: 50,
    claimStaleMs: 2_000,
  })
})
afterAll(async () => {
  await other.close()
  await t.stop()
})

const accessOf = (person: Person, org?: string): Promise<Access> =>
  t.app.services.auth.access(credentialsFrom(as(person, org)))

const record = async (id: string): Promise<ExportRecord> => {
  const [row] = await t.sql.rows<{ document: string }>({
    name: 'test.record',
    sql: 'SELECT document FROM default.export_records FINAL WHERE id = {id:String}',
    params: { id },
  })
  return JSON.parse(row?.document ?? '{}') as ExportRecord
}

describe('exports on two replicas', () => {
  it('runs each export once, on whichever replica claims it', async () => {
    const plans = () => t.app.services.store.statementCounts.get('export.stats') ?? 0
    const before = plans()
    const people: [Person, string | undefined][] = [
      ['admin', undefined],
      ['olivia', 'acme'],
      ['sue', 'acme'],
      ['nora', undefined],
    ]
    const started = await Promise.all(
      people.map(async ([person, org]) =>
        t.app.services.exports.start(await accessOf(person, org), {
          filter: {},
          format: 'csv',
          includeExceptions: false,
          filename: null,
        }),
      ),
    )
    const ids = started.map((s) => s.id)
    await expect
      .poll(async () => (await Promise.all(ids.map(record))).map((r) => r.status), { timeout: 60_000 })
      .toEqual(['done', 'done', 'done', 'done'])
    const runners = new Set((await Promise.all(ids.map(record))).map((r) => r.runner?.instance))
    // One slot each: the other replica ran some of them, and each export was planned once.
    expect(runners.size).toBe(2)
    expect(plans() - before).toBe(4)
    const files = await readdir(t.config.exportDir)
    for (const id of ids) expect(files).toContain(`${id}.csv`)
    for (const id of ids) expect(files).not.toContain(`${id}.lock`)
  })

  it('fails a running export whose replica stopped renewing its claim, and leaves a live one alone', async () => {
    // The records below are copies of one this test runs itself, marked running elsewhere.
    const { id: templateId } = await t.app.services.exports.start(await accessOf('nora'), {
      filter: {},
      format: 'csv',
      includeExceptions: false,
      filename: null,
    })
    await expect.poll(async () => (await record(templateId)).status, { timeout: 60_000 }).toBe('done')
    const template = await record(templateId)
    const insert = async (id: string, host: string) => {
      const document: ExportRecord = {
        ...template,
        id,
        key: id,
        status: 'running',
        finishedAt: null,
        expiresAt: null,
        runner: { host, pid: 1, instance: `gone-${id}` },
      }
      await t.sql.command({
        name: 'test.insert',
        sql: `INSERT INTO default.export_records (id, owner_id, dedup_key, status, document, version)
              VALUES ({id:String}, '1', {id:String}, 'running', {document:String}, 1)`,
        params: { id, document: JSON.stringify(document) },
      })
      await mkdir(path.join(t.config.exportDir, `${id}.lock`))
    }
    const stale = '22222222-2222-4222-8222-222222222222'
    const live = '33333333-3333-4333-8333-333333333333'
    await insert(stale, 'another-host')
    await insert(live, 'another-host')
    const old = new Date(Date.now() - 60_000)
    await utimes(path.join(t.config.exportDir, `${stale}.lock`), old, old)

    await other.sweep()
    expect(await record(stale)).toMatchObject({
      status: 'failed',
      error: 'the service running this export stopped before it finished; start it again',
    })
    expect((await record(live)).status).toBe('running')
    expect(await readdir(t.config.exportDir)).not.toContain(`${stale}.lock`)
  })
})
