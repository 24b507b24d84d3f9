import { stat } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Spool } from '../../src/ingest/spool.js'
import { startTestApp, tempDir, type TestApp } from '../support/app.js'
import { as } from '../support/fixtures.js'

const mode = async (file: string) => (await stat(file)).mode & 0o777

let t: TestApp
let dataDir: string
const previousUmask = process.umask(0o022) // what a service gets by default

beforeAll(async () => {
  dataDir = path.join(await tempDir('aa-modes-'), 'data')
  t = await startTestApp({ DATA_DIR: dataDir })
})
afterAll(async () => {
  await t?.stop()
  process.umask(previousUmask)
})

describe('file modes under a default umask', () => {
  it('creates DATA_DIR, the store, the spool and the export directory 0700', async () => {
    for (const dir of [dataDir, path.join(dataDir, 'clickhouse'), t.config.spoolDir, t.config.exportDir]) {
      expect((await mode(dir)).toString(8), dir).toBe('700')
    }
  })

  it('writes the accounts file and export files 0600 (export records are in the store)', async () => {
    expect((await mode(t.config.accountsFile)).toString(8)).toBe('600')
    const started = await t.request('POST', '/api/events/export', { headers: as('admin') })
    const { rq_id: id } = (await started.json()) as { rq_id: string }
    await expect
      .poll(
        async () =>
          (
            await t.request('GET', `/api/requests/${id}`, { headers: as('admin') })
          ).json() as Promise<unknown>,
        {
          timeout: 20_000,
        },
      )
      .toMatchObject({ status: 'finished' })
    expect((await mode(path.join(t.config.exportDir, `${id}.csv`))).toString(8)).toBe('600')
  })

  it('writes spool segments and their positions 0600', async () => {
    const dir = path.join(await tempDir('aa-spool-'), 'spool')
    const spool = await Spool.open(dir)
    await spool.append({ token: 't1', body: '{}' })
    await spool.append({ token: 't2', body: '{}' })
    // The first record is replayed (its position is written), the second finds the store away.
    let calls = 0
    const insert = () => (calls++ === 0 ? Promise.resolve() : Promise.reject(new Error('away')))
    await expect(spool.replay(insert, () => true)).rejects.toThrow('away')
    await spool.close()
    const segment = path.join(dir, 'segment-000000000001.log')
    expect((await mode(dir)).toString(8)).toBe('700')
    expect((await mode(segment)).toString(8)).toBe('600')
    expect((await mode(`${segment}.pos`)).toString(8)).toBe('600')
  })

  it('tightens a data directory an older version left open to others', async () => {
    const dir = await tempDir('aa-open-')
    const { chmod } = await import('node:fs/promises')
    await chmod(dir, 0o755)
    const { ensurePrivateDir } = await import('../../src/files/private-files.js')
    expect(await ensurePrivateDir(dir)).toBe(true)
    expect((await mode(dir)).toString(8)).toBe('700')
  })
})
