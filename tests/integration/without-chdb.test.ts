import { existsSync, readFileSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/app.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { as } from '../support/fixtures.js'
import { errorLines, runService, startService } from '../support/service-process.js'

// The service on a platform where chDB has no build (linux/arm64 with this lock file, Alpine, …),
// re-enacted by a preload that makes `chdb` and `@chdb/*` unloadable in the service process:
// pointed at a ClickHouse server it starts, serves and stops without ever asking for the engine;
// with the embedded store it stops at once with one line that names CLICKHOUSE_URL.
const PRELOAD = fileURLToPath(new URL('../support/without-chdb.js', import.meta.url))

// A password with every XML metacharacter (and a colon and a dollar): ClickHouse's image writes
// CLICKHOUSE_PASSWORD into an XML file, which is why deploy/ hands it over with from_env instead;
// on this side it only travels in the client's basic-auth header.
const PASSWORD = `p&ss<w>rd"'x:$y`

let root: string
let shim: ClickHouseShim
beforeAll(async () => {
  root = await tempDir('aa-no-chdb-')
  shim = await startClickHouseShim(path.join(root, 'server'), { users: { analytics: PASSWORD } })
})
afterAll(async () => {
  await shim.close()
  await rm(root, { recursive: true, force: true })
})

const withoutChdb = (dir: string) => ({
  DATA_DIR: path.join(root, dir),
  NODE_OPTIONS: `--import ${PRELOAD}`,
  CHDB_BLOCK_LOG: path.join(root, `${dir}.chdb-attempts`),
})

describe('the ClickHouse the stack pins', () => {
  it("is the one these tests run against: chDB's engine, behind the ClickHouse HTTP interface here", async () => {
    const [row] = await shim.query<{ version: string }>('SELECT version() AS version')
    const pinned = /clickhouse\/clickhouse-server:(\d+\.\d+)/.exec(
      readFileSync(new URL('../../deploy/docker-compose.yml', import.meta.url), 'utf8'),
    )?.[1]
    expect(row?.version.startsWith(`${pinned}.`)).toBe(true)
  })
})

describe('a service without chDB', { timeout: 180_000 }, () => {
  it('starts, serves and stops against a ClickHouse server (CLICKHOUSE_URL) without loading chDB', async () => {
    const env = withoutChdb('server')
    const service = await startService({
      ...env,
      CLICKHOUSE_URL: shim.url,
      CLICKHOUSE_USER: 'analytics',
      CLICKHOUSE_PASSWORD: PASSWORD,
    })
    let stopped = false
    try {
      const call = (p: string, init: RequestInit = {}) => fetch(`${service.url}${p}`, init)
      await expect.poll(async () => (await call('/ready')).status, { timeout: 30_000 }).toBe(200)
      expect(await (await call('/ready')).json()).toMatchObject({ store: 'server' })

      const headers = { ...as('admin'), 'content-type': 'application/json' }
      const now = new Date().toISOString()
      const batch = { events: [{ scope: 'click:element', timestamp: now, job_id: 5 }], timestamp: now }
      const ingest = await call('/api/events', { method: 'POST', headers, body: JSON.stringify(batch) })
      expect(ingest.status).toBe(201)
      const query = await call('/graphql', {
        method: 'POST',
        headers,
        body: JSON.stringify({
          query: '{ events(first: 5, filter: { jobIds: ["5"] }) { edges { node { scope } } } }',
        }),
      })
      expect(await query.json()).toEqual({
        data: { events: { edges: [{ node: { scope: 'click:element' } }] } },
      })
      expect((await call('/metrics', { headers })).status).toBe(200)

      const exit = await service.stop()
      stopped = true
      expect(errorLines(exit)).toEqual([])
      expect(exit.code).toBe(0)
      // Never asked for, not merely failed and recovered from.
      expect(existsSync(env.CHDB_BLOCK_LOG)).toBe(false)
    } finally {
      if (!stopped) await service.stop('SIGKILL')
    }
  })

  it('stops at start with one line naming CLICKHOUSE_URL when the embedded store is asked for', async () => {
    const env = withoutChdb('embedded')
    const exit = await runService(env)
    const [line, ...others] = errorLines(exit)
    expect(others).toEqual([])
    expect(line).toMatch(
      new RegExp(
        `^the embedded ClickHouse \\(chDB\\) cannot run on ${process.platform}-${process.arch} here \\(.*chdb.*\\); set CLICKHOUSE_URL to use a ClickHouse server`,
      ),
    )
    expect(exit.code).toBe(1)
    // The preload did its work: the engine was asked for and refused.
    expect(await readFile(env.CHDB_BLOCK_LOG, 'utf8')).toMatch(/^chdb\/connection$/m)
  })
})
