import { spawn } from 'node:child_process'
import { chmod, mkdir, readFile, rm } from 'node:fs/promises'
import { createServer as createHttpServer, type Server } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LOCK_FILE } from '../../src/lifecycle/data-dir.js'
import { tryLockFile } from '../../src/lifecycle/lock-file.js'
import { tempDir } from '../support/app.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { runtimeForOthers } from '../support/runtime-for-others.js'
import { errorLines, runService, type ServiceExit } from '../support/service-process.js'

// Each start-up problem, in the real process (src/main.ts through tsx): it exits 1 with exactly
// one error line naming the cause and the fix, and no stack trace.
let root: string
beforeAll(async () => {
  root = await tempDir('aa-startup-')
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

let n = 0
const freshDir = async () => {
  const dir = path.join(root, `d${(n += 1)}`)
  await mkdir(dir, { recursive: true })
  return dir
}

function expectOneLine(exit: ServiceExit, message: string): void {
  expect(errorLines(exit)).toEqual([message])
  expect(exit.code).toBe(1)
  expect(exit.stdout).toBe('')
}

const listenOn = (server: Server | ReturnType<typeof createTcpServer>) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  )

// Each test starts a Node process that compiles the service with tsx (cold in a fresh clone): on a
// loaded shared machine that alone took 20–30 s, so the time limit only guards against a hang.
describe('start-up errors are one line naming the cause and the fix', { timeout: 180_000 }, () => {
  it('names the process and the lock file when DATA_DIR is held by another process', async () => {
    const dir = await freshDir()
    const lock = tryLockFile(path.join(dir, LOCK_FILE))
    if (!lock.ok) throw new Error('the test could not take the lock')
    try {
      const holder = JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')) as {
        host: string
        since: string
      }
      const exit = await runService({ DATA_DIR: dir })
      expectOneLine(
        exit,
        `DATA_DIR ${dir} is in use by another process (pid ${process.pid} on ${holder.host} since ${holder.since}, holding ${dir}/${LOCK_FILE}); stop it or give this instance another DATA_DIR`,
      )
    } finally {
      lock.release()
    }
  })

  it("names chDB's lock file and its holder when another program has the embedded store open", async () => {
    const dir = await freshDir()
    const enginePath = path.join(dir, 'clickhouse')
    // Another program on the same engine folder: chDB holds ClickHouse's own lock (`status`).
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const { Session } = require('chdb'); new Session(${JSON.stringify(enginePath)}); console.log('open'); setInterval(() => {}, 1000)`,
      ],
      { cwd: path.resolve('.'), stdio: ['ignore', 'pipe', 'inherit'] },
    )
    try {
      await new Promise<void>((resolve) => holder.stdout?.once('data', () => resolve()))
      const exit = await runService({ DATA_DIR: dir })
      expectOneLine(
        exit,
        `the embedded store ${enginePath} is in use by another process (pid ${holder.pid}, holding ${enginePath}/status); stop it or give this instance another DATA_DIR`,
      )
    } finally {
      holder.kill('SIGKILL')
    }
  })

  // Root ignores permissions, so this runs the service as `nobody` (65534) over a root-owned
  // folder; `nobody` needs a runtime it may read (runtime-for-others.ts: the checkout, or a copy
  // when the checkout is private), or the test says why it cannot run.
  it('names the user when DATA_DIR is not writable for it', async (context) => {
    const runtime = await runtimeForOthers()
    if (!runtime.ok) return context.skip(runtime.reason)
    try {
      const dir = await freshDir()
      await chmod(dir, 0o755)
      await chmod(root, 0o755)
      const exit = await runService({ DATA_DIR: dir }, { uid: 65534, gid: 65534, cwd: runtime.dir })
      expectOneLine(
        exit,
        `DATA_DIR ${dir} is not writable by this process (uid 65534): permission denied; give it to that user (chown) or set DATA_DIR to a writable folder`,
      )
    } finally {
      await runtime.remove()
    }
  })

  it('names the variable when CLICKHOUSE_URL is not a URL', async () => {
    const exit = await runService({ DATA_DIR: await freshDir(), CLICKHOUSE_URL: 'clickhouse:8123' })
    expectOneLine(exit, `invalid configuration: CLICKHOUSE_URL must be an http(s) URL, got 'clickhouse:8123'`)
  })

  it('says what answered when CLICKHOUSE_URL is not ClickHouse’s HTTP interface', async () => {
    // What ClickHouse's native-protocol port answers an HTTP request.
    const native = createHttpServer((_req, res) => {
      res.writeHead(400)
      res.end('Port 9000 is for clickhouse-client program\nYou must use port 8123 for HTTP.\n')
    })
    const port = await listenOn(native)
    try {
      const exit = await runService({
        DATA_DIR: await freshDir(),
        CLICKHOUSE_URL: `http://127.0.0.1:${port}`,
      })
      expectOneLine(
        exit,
        `CLICKHOUSE_URL http://127.0.0.1:${port} does not answer as ClickHouse's HTTP interface (it answered "Port 9000 is for clickhouse-client program"); point it at ClickHouse's HTTP port (8123, or 8443 with TLS)`,
      )
    } finally {
      native.close()
    }
  })

  describe('with a ClickHouse server', () => {
    // An old server that knows one user: wrong credentials are refused before the version shows.
    let shim: ClickHouseShim
    beforeAll(async () => {
      shim = await startClickHouseShim(path.join(root, 'server'), {
        users: { alice: 'right password' },
        version: '21.8.15.7',
      })
    })
    afterAll(async () => {
      await shim.close()
    })

    it('names the user and the variables when ClickHouse refuses the credentials; the detail is at debug', async () => {
      const exit = await runService({
        DATA_DIR: await freshDir(),
        CLICKHOUSE_URL: shim.url,
        CLICKHOUSE_USER: 'alice',
        CLICKHOUSE_PASSWORD: 'wrong password',
        LOG_LEVEL: 'debug',
      })
      expectOneLine(
        exit,
        `ClickHouse at ${shim.url} refused user 'alice' (AUTHENTICATION_FAILED); check CLICKHOUSE_USER and CLICKHOUSE_PASSWORD`,
      )
      expect(exit.lines.find((l) => l.message === 'start-up failure detail')).toMatchObject({
        level: 'debug',
      })
      expect(exit.stderr).not.toContain('wrong password')
    })

    it('names the version found and the one needed when ClickHouse is too old', async () => {
      const exit = await runService({
        DATA_DIR: await freshDir(),
        CLICKHOUSE_URL: shim.url,
        CLICKHOUSE_USER: 'alice',
        CLICKHOUSE_PASSWORD: 'right password',
      })
      expectOneLine(
        exit,
        `ClickHouse 21.8.15.7 is too old: this service needs 22.2 or newer (its statements set insert_deduplication_token); upgrade ClickHouse (CLICKHOUSE_URL ${shim.url})`,
      )
    })
  })

  it('names the port when it is in use', async () => {
    const taken = createTcpServer()
    const port = await listenOn(taken)
    try {
      const exit = await runService({ DATA_DIR: await freshDir(), PORT: String(port) })
      expectOneLine(
        exit,
        `PORT ${port} is already in use on 127.0.0.1; stop what listens there or set PORT to a free port`,
      )
    } finally {
      taken.close()
    }
  })
})
