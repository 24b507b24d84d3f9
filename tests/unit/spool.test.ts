import { appendFile, readdir, readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SpoolUnavailableError } from '../../src/errors.js'
import { Spool, type SpoolRecord } from '../../src/ingest/spool.js'
import { tempDir } from '../support/app.js'

class Unreachable extends Error {}
const retryable = (error: unknown) => error instanceof Unreachable

describe('Spool', () => {
  let dir: string
  beforeEach(async () => {
    dir = await tempDir('aa-spool-')
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('replays records in append order and then holds nothing', async () => {
    const spool = await Spool.open(dir)
    for (const i of [1, 2, 3]) await spool.append({ token: `t${i}`, body: `["row ${i}"]` })
    expect(spool.backlog).toBe(3)
    const seen: SpoolRecord[] = []
    expect(await spool.replay(async (r) => void seen.push(r), retryable)).toBe(3)
    expect(seen.map((r) => r.token)).toEqual(['t1', 't2', 't3'])
    expect(spool.backlog).toBe(0)
    expect(await readdir(dir)).toEqual([])
    await spool.close()
  })

  it('stops at a retryable failure and resumes from the same record, also after a restart', async () => {
    const first = await Spool.open(dir)
    for (const i of [1, 2, 3]) await first.append({ token: `t${i}`, body: 'x' })
    const seen: string[] = []
    await expect(
      first.replay(async (r) => {
        if (r.token === 't2') throw new Unreachable()
        seen.push(r.token)
      }, retryable),
    ).rejects.toBeInstanceOf(Unreachable)
    expect(first.backlog).toBe(2)
    await first.close()

    const reopened = await Spool.open(dir)
    expect(reopened.backlog).toBe(2)
    await reopened.replay(async (r) => void seen.push(r.token), retryable)
    expect(seen).toEqual(['t1', 't2', 't3'])
    await reopened.close()
  })

  it('sets aside a record the store rejects for good, and keeps going', async () => {
    const spool = await Spool.open(dir)
    for (const i of [1, 2]) await spool.append({ token: `t${i}`, body: `b${i}` })
    const seen: string[] = []
    await spool.replay(async (r) => {
      if (r.token === 't1') throw new Error('schema mismatch')
      seen.push(r.token)
    }, retryable)
    expect(seen).toEqual(['t2'])
    expect(await readFile(path.join(dir, 'rejected.log'), 'utf8')).toContain('"token":"t1"')
    await spool.close()
  })

  it('ignores a torn last line left by a crash during an append', async () => {
    const spool = await Spool.open(dir)
    await spool.append({ token: 't1', body: 'b1' })
    await spool.close()
    const [segment] = (await readdir(dir)).filter((f) => f.endsWith('.log'))
    await appendFile(path.join(dir, segment as string), '{"v":1,"token":"t2","bo')
    const reopened = await Spool.open(dir)
    expect(reopened.backlog).toBe(1)
    const seen: string[] = []
    await reopened.replay(async (r) => void seen.push(r.token), retryable)
    expect(seen).toEqual(['t1'])
    await reopened.close()
  })

  it('refuses an append past SPOOL_MAX_BYTES and keeps nothing of it; replays free the room', async () => {
    const record = { token: 't', body: 'x'.repeat(100) }
    const size = Buffer.byteLength(`${JSON.stringify({ v: 1, ...record })}\n`)
    const spool = await Spool.open(dir, { maxBytes: size * 2 + 10 })
    await spool.append(record)
    await spool.append(record)
    const refused = await spool.append(record).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(SpoolUnavailableError)
    expect((refused as SpoolUnavailableError).reason).toBe('limit')
    expect([spool.backlog, spool.bytes]).toEqual([2, size * 2])
    await spool.close()

    const reopened = await Spool.open(dir, { maxBytes: size * 2 + 10 })
    expect([reopened.backlog, reopened.bytes]).toEqual([2, size * 2])
    await reopened.replay(async () => {}, retryable)
    expect([reopened.backlog, reopened.bytes]).toEqual([0, 0])
    await reopened.append(record)
    expect(reopened.backlog).toBe(1)
    await reopened.close()
  })

  it('stops a replay between records when told to, and the next replay starts where it stopped', async () => {
    const spool = await Spool.open(dir)
    for (const i of [1, 2, 3, 4]) await spool.append({ token: `t${i}`, body: 'x' })
    const seen: string[] = []
    const replayed = await spool.replay(
      async (r) => void seen.push(r.token),
      retryable,
      () => seen.length >= 2,
    )
    expect(replayed).toBe(2)
    expect(spool.backlog).toBe(2)
    await spool.close()
    const reopened = await Spool.open(dir)
    await reopened.replay(async (r) => void seen.push(r.token), retryable)
    expect(seen).toEqual(['t1', 't2', 't3', 't4'])
    await reopened.close()
  })

  it('does not advance past a record whose insert was still running when the spool closed', async () => {
    const spool = await Spool.open(dir)
    for (const i of [1, 2]) await spool.append({ token: `t${i}`, body: 'x' })
    const replaying = spool.replay(async (r) => {
      if (r.token === 't1') await spool.close()
    }, retryable)
    expect(await replaying).toBe(0)
    const reopened = await Spool.open(dir)
    expect(reopened.backlog).toBe(2)
    await reopened.close()
  })
})
