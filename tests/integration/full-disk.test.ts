import { execFileSync } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
import { mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EventsDocument } from '../../src/gql/graphql.js'
import { startTestApp, tempDir, type TestApp } from '../support/app.js'
import { basic } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'

// A real full disk: a small tmpfs, filled with a ballast file until the kernel says ENOSPC, and
// remounted read-only for EROFS. Mounting needs root (this workplace and its CI run as root);
// where mounting is refused, these tests are skipped rather than faked.
const mountPoint = await tempDir('aa-full-')
const mounted = tryMount(mountPoint)
afterAll(async () => {
  if (mounted) execFileSync('umount', ['-l', mountPoint])
  await rm(mountPoint, { recursive: true, force: true })
})

function tryMount(dir: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', dir], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const ballast = path.join(mountPoint, 'ballast')

/** Fills the disk: big writes, then page-sized ones, until nothing more fits. */
function fillDisk(): void {
  const fd = openSync(ballast, 'w')
  try {
    for (const size of [1 << 20, 4096, 512]) {
      const chunk = Buffer.alloc(size)
      try {
        for (;;) writeSync(fd, chunk)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error
      }
    }
  } finally {
    closeSync(fd)
  }
}

const nora = { authorization: basic('nora') }
const admin = { authorization: basic('admin') }
const batch = (marker: string) => ({
  events: [{ scope: 'draw:object', obj_val: marker, obj_id: 1, timestamp: new Date().toISOString() }],
  timestamp: new Date().toISOString(),
})
const send = (t: TestApp, marker: string) =>
  t.request('POST', '/api/events', { headers: nora, body: batch(marker) })
const markers = async (t: TestApp, prefix: string) =>
  (await t.events('startsWith(obj_val, {p:String})', { p: prefix })).map((e) => e.obj_val)

describe.skipIf(!mounted)('a full disk (tmpfs)', () => {
  it('refuses ingest with 503 and Retry-After without acknowledging, keeps reads, fails exports with a message, and recovers by itself', async () => {
    const dir = path.join(mountPoint, 'a')
    await mkdir(dir)
    const t = await startTestApp({ SPOOL_RETRY_MS: '100' }, { dir })
    try {
      expect((await send(t, 'full-before')).status).toBe(201)
      fillDisk()

      const refused = await send(t, 'full-refused')
      expect(refused.status).toBe(503)
      expect(refused.headers.get('retry-after')).toBe('30')
      expect(await refused.json()).toEqual({
        code: 'INSUFFICIENT_STORAGE',
        message:
          "the event store is unavailable and the spool's disk is full: nothing of this request was kept; send it again later",
      })
      const read = expectOk(await graphql(t, EventsDocument, { first: 10 }, admin))
      expect(read.events.edges.map((e) => e.node.scope)).toContain('draw:object')
      const exportStart = await t.request('GET', '/api/events?org_id=7', { headers: admin })
      expect(exportStart.status).toBe(503)
      expect(await exportStart.json()).toEqual({
        code: 'INSUFFICIENT_STORAGE',
        message: 'no space left in EXPORT_DIR to start an export',
      })

      await rm(ballast)
      expect((await send(t, 'full-after')).status).toBe(201)
      expect(await markers(t, 'full-')).toEqual(['full-before', 'full-after'])
    } finally {
      await t.stop()
    }
  })

  it('spools while the store’s disk is full and the spool’s is not, and replays once there is space', async () => {
    const dir = path.join(mountPoint, 'b')
    await mkdir(dir)
    const spoolDir = await tempDir('aa-full-spool-')
    const t = await startTestApp({ SPOOL_RETRY_MS: '100', SPOOL_DIR: spoolDir }, { dir })
    try {
      fillDisk()
      expect((await send(t, 'spooled-a')).status).toBe(202)
      expect((await send(t, 'spooled-b')).status).toBe(202)
      await rm(ballast)
      await expect.poll(() => t.app.services.writer.spoolBacklog, { timeout: 15_000 }).toBe(0)
      expect(await markers(t, 'spooled-')).toEqual(['spooled-a', 'spooled-b'])
    } finally {
      await t.stop()
      await rm(spoolDir, { recursive: true, force: true })
    }
  })

  it('refuses ingest with 503 while the spool cannot be written (read-only), and recovers once it can', async () => {
    // The spool on a tmpfs of its own, remounted read-only (EROFS; as root, permissions would not
    // stop a write), while the store's disk is full, so that ingest needs the spool.
    const dir = path.join(mountPoint, 'c')
    await mkdir(dir)
    const spoolDir = await tempDir('aa-ro-spool-')
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', spoolDir])
    const t = await startTestApp({ SPOOL_RETRY_MS: '100', SPOOL_DIR: spoolDir }, { dir })
    try {
      expect((await send(t, 'ro-before')).status).toBe(201)
      fillDisk()
      execFileSync('mount', ['-o', 'remount,ro', spoolDir])
      const refused = await send(t, 'ro-refused')
      expect(refused.status).toBe(503)
      expect(refused.headers.get('retry-after')).toBe('30')
      expect(await refused.json()).toEqual({
        code: 'INSUFFICIENT_STORAGE',
        message:
          'the event store is unavailable and the spool cannot be written: nothing of this request was kept; send it again later',
      })
      expect(
        expectOk(await graphql(t, EventsDocument, { first: 10 }, admin)).events.edges.length,
      ).toBeGreaterThan(0)

      execFileSync('mount', ['-o', 'remount,rw', spoolDir])
      expect((await send(t, 'ro-spooled')).status).toBe(202)
      await rm(ballast)
      await expect.poll(() => t.app.services.writer.spoolBacklog, { timeout: 15_000 }).toBe(0)
      expect((await send(t, 'ro-after')).status).toBe(201)
      expect(await markers(t, 'ro-')).toEqual(['ro-before', 'ro-spooled', 'ro-after'])
    } finally {
      await t.stop()
      execFileSync('umount', ['-l', spoolDir])
      await rm(spoolDir, { recursive: true, force: true })
    }
  })
})
