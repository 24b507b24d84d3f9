import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'
import type { Access } from '../../src/auth/principal.js'
import type { ExportRequest, ExportView } from '../../src/export/record.js'
import { CSV_HEADER } from '../../src/store/export-read.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { generateEvents } from '../support/export-helpers.js'
import { as, basic, credentialsFrom, type Person } from '../support/fixtures.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ EXPORT_CONCURRENCY: '2', EXPORT_USER_CONCURRENCY: '1' })
  // Many rows, so an export is many engine chunks per window (the test holds exports running itself).
  await generateEvents(t, 300_000, 'jobs')
})
afterAll(async () => {
  await t.stop()
})

const accessOf = (person: Person, org?: string): Promise<Access> =>
  t.app.services.auth.access(credentialsFrom(as(person, org)))
const request = (
  filter: ExportRequest['filter'] = {},
  format: ExportRequest['format'] = 'csv',
): ExportRequest => ({
  filter,
  format,
  includeExceptions: false,
  filename: null,
})

const asAdmin = { authorization: basic('admin') }

function occurrences(haystack: Buffer, needle: string): number {
  let count = 0
  for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + needle.length))
    count += 1
  return count
}

function settle(access: Access, ids: string[]): Promise<ExportView[]> {
  return vi.waitFor(
    async () => {
      const views = await Promise.all(ids.map((id) => t.app.services.exports.get(access, id)))
      if (views.some((v) => v.status === 'queued' || v.status === 'running'))
        throw new Error('exports still running')
      return views
    },
    { timeout: 30_000, interval: 25 },
  )
}

/**
 * Holds every export of all jobs (a, b and d below) before its first chunk until `release()`:
 * they are running, whatever the machine's speed, for as long as the test needs them to be. The
 * engine's stream itself is untouched; exports naming jobs (c, e) pass straight through.
 */
function holdExportsOfAllJobs(): { release(): void; restore(): void } {
  const reads = t.app.services.store.exports
  const stream = reads.stream.bind(reads)
  let release = () => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  const spy = vi.spyOn(reads, 'stream').mockImplementation((query, window, options) => {
    if ((query.filter.jobIds ?? []).length > 0) return stream(query, window, options)
    return (async function* () {
      await gate
      yield* stream(query, window, options)
    })()
  })
  return { release, restore: () => spy.mockRestore() }
}

describe('export jobs', () => {
  it('runs one export per principal and two in all, shares identical in-flight requests, queues the rest', async () => {
    const exports = t.app.services.exports
    const held = holdExportsOfAllJobs()
    onTestFinished(() => {
      held.release()
      held.restore()
    })
    const [admin, olivia, sue] = await Promise.all([
      accessOf('admin'),
      accessOf('olivia', 'acme'),
      accessOf('sue', 'acme'),
    ])

    const a = await exports.start(admin, request())
    const b = await exports.start(admin, request({}, 'jsonl'))
    expect((await exports.get(admin, a.id)).status).toBe('running')
    // admin is at its limit of one: b waits although a second slot is free.
    expect((await exports.get(admin, b.id)).status).toBe('queued')

    // An export in flight (a running, b queued) is not downloadable yet: CVAT's flow keeps
    // answering 202, the newer one 400.
    for (const inFlight of [a, b]) {
      const legacy = await t.request('GET', `/api/events?query_id=${inFlight.id}&action=download`, {
        headers: asAdmin,
      })
      expect(legacy.status).toBe(202)
      const newer = await t.request('GET', `/api/events/download?rq_id=${inFlight.id}`, { headers: asAdmin })
      expect(newer.status).toBe(400)
    }

    // Identical requests of the same principal while in flight: the same export.
    expect((await exports.start(admin, request())).id).toBe(a.id)
    expect((await exports.start(admin, request({}, 'jsonl'))).id).toBe(b.id)
    // The same filter from someone else is another export.
    const c = await exports.start(olivia, request({ jobIds: ['999999'] }))
    expect(c.id).not.toBe(a.id)
    // olivia's small export takes the free slot and finishes while admin's first still runs.
    const [cDone] = await settle(olivia, [c.id])
    expect(cDone?.status).toBe('done')
    expect((await exports.get(admin, a.id)).status).toBe('running')

    // Two running now (a and d): the next principal's export waits for a slot.
    // (c's slot frees a moment after its status says done.)
    const d = await exports.start(sue, request())
    await vi.waitFor(async () => expect((await exports.get(sue, d.id)).status).toBe('running'))
    const e = await exports.start(olivia, request({ jobIds: ['999998'] }))
    expect((await exports.get(olivia, e.id)).status).toBe('queued')
    expect((await exports.get(admin, a.id)).status).toBe('running')
    held.release()

    const [aDone, bDone] = await settle(admin, [a.id, b.id])
    const [dDone] = await settle(sue, [d.id])
    const [eDone] = await settle(olivia, [e.id])
    expect([aDone?.status, bDone?.status, dDone?.status, eDone?.status]).toEqual([
      'done',
      'done',
      'done',
      'done',
    ])
    expect(aDone?.rows).toBe(300_000)
    expect(bDone?.rows).toBe(300_000)
    expect(dDone?.rows).toBe(150_000)
    expect((bDone?.startedAt ?? 0) >= (aDone?.finishedAt ?? Infinity)).toBe(true)

    // Many engine chunks per window: still one header, one line per row (these payloads hold no raw newline).
    const file = Buffer.from(
      await (
        await t.request('GET', `/api/events/download?rq_id=${a.id}`, { headers: asAdmin })
      ).arrayBuffer(),
    )
    expect(file.byteLength).toBe(aDone?.bytes)
    expect(occurrences(file, CSV_HEADER)).toBe(1)
    expect(file.indexOf(CSV_HEADER)).toBe(0)
    expect(occurrences(file, '\r\n')).toBe(300_001)
    const jsonl = Buffer.from(
      await (
        await t.request('GET', `/api/events/download?rq_id=${b.id}`, { headers: asAdmin })
      ).arrayBuffer(),
    )
    expect(occurrences(jsonl, '\n')).toBe(300_000)

    // Once done, the same request starts afresh (the data may have changed).
    const again = await exports.start(admin, request({ jobIds: ['999999'] }))
    expect(again.id).not.toBe(a.id)
    await settle(admin, [again.id])
  }, 120_000) // a hang guard: four exports of 150k–300k rows on a shared machine
})
