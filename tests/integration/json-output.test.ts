import { spawn } from 'node:child_process'
import { rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../support/app.js'
import { basic } from '../support/fixtures.js'
import { startService, type ServiceExit } from '../support/service-process.js'

// The service's stdout and stderr are read by log collectors that expect one JSON object a line.
// The real service (src/main.ts, production defaults: the response cache on) gets a run of hostile
// input, then stops; every line it wrote must parse.

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** Lines that are not JSON objects, with where they were written. */
function notJson(exit: Pick<ServiceExit, 'stdout' | 'stderr'>): string[] {
  return (['stdout', 'stderr'] as const).flatMap((stream) =>
    exit[stream]
      .split('\n')
      .filter((line) => line !== '')
      .filter((line) => {
        try {
          const value: unknown = JSON.parse(line)
          return value === null || typeof value !== 'object' || Array.isArray(value)
        } catch {
          return true
        }
      })
      .map((line) => `${stream}: ${line}`),
  )
}

/** Sends raw bytes on a connection and waits until the service closes it (or a second passes). */
function raw(url: string, bytes: string): Promise<void> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname, () => socket.end(bytes))
    const done = () => {
      socket.destroy()
      resolve()
    }
    socket.on('data', () => {})
    socket.on('close', done)
    socket.on('error', done)
    socket.setTimeout(1_000, done)
  })
}

describe('what the service process writes', () => {
  let dir: string
  let exit: ServiceExit
  let tooComplex = 0

  beforeAll(async () => {
    dir = await tempDir()
    const service = await startService({ DATA_DIR: dir, GRAPHQL_MAX_COST: '1000' })
    const { url } = service
    const admin = { authorization: basic('admin'), 'content-type': 'application/json' }
    const post = (path: string, body: string, headers: Record<string, string> = admin) =>
      fetch(`${url}${path}`, { method: 'POST', headers, body }).then((r) =>
        r.arrayBuffer().then(() => r.status),
      )
    try {
      // Refused for their cost, repeatedly: each printed a plain-text [useResponseCache] line.
      for (let i = 0; i < 5; i++) {
        const status = await post(
          '/graphql',
          JSON.stringify({ query: `{ events(first: ${900 + i}) { nodes { id scope objVal payload } } }` }),
        )
        if (status === 400) tooComplex += 1
      }
      const hostile: [string, string, Record<string, string>?][] = [
        ['/graphql', '{"query": '],
        [
          '/graphql',
          JSON.stringify({
            query: '{ events(filter: { from: "2026-12-06T10:00:00+99:99" }) { nodes { id } } }',
          }),
        ],
        ['/graphql', JSON.stringify({ query: '{ nope }' })],
        [
          '/graphql',
          JSON.stringify({ query: '{ viewer { username } }' }),
          { 'content-type': 'application/json' },
        ],
        ['/graphql', JSON.stringify({ query: `{ ${'a: viewer { username } '.repeat(60)} }` })],
        [
          '/api/events',
          JSON.stringify({ events: [{ scope: 'x', timestamp: '2026-12-06T10:00:00+99:99' }], timestamp: 1 }),
        ],
        ['/api/events', '\xff\xfe not utf-8'],
        ['/api/events/server', `[${'['.repeat(5_000)}${']'.repeat(5_000)}]`],
        [
          '/api/events',
          JSON.stringify({
            events: [
              { scope: 'click:element', timestamp: new Date().toISOString(), payload: '{"a":'.repeat(100) },
            ],
            timestamp: new Date().toISOString(),
          }),
        ],
      ]
      for (const [path, body, headers] of hostile) await post(path, body, headers)
      for (const path of [
        '/nope',
        '/api/events?from=2026-12-06T10:00:00%2B99:99',
        '/api/requests/%E0%A4%A',
        '/graphql?query=%7B',
      ]) {
        await fetch(`${url}${path}`, { headers: { authorization: basic('admin') } }).then((r) =>
          r.arrayBuffer(),
        )
      }
      await raw(url, 'GET /%%% HTTP/1.1\r\nHost: [bad\r\n\r\n')
      await raw(url, 'NOT HTTP AT ALL\r\n\r\n')
      await raw(url, `GET / HTTP/1.1\r\nHost: x\r\n${'X-Big: y\r\n'.repeat(5_000)}\r\n`)
    } finally {
      exit = await service.stop()
    }
  }, 180_000)

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('answered the hostile run (queries refused for their cost among it)', () => {
    expect(tooComplex).toBe(5)
    expect(exit.code).toBe(0)
  })

  it('is JSON, every line of stdout and stderr', () => {
    expect(exit.stdout.length + exit.stderr.length).toBeGreaterThan(0)
    expect(notJson(exit)).toEqual([])
  })

  it('says where it serves on stdout, as JSON', () => {
    const [first] = exit.stdout.split('\n')
    const line = JSON.parse(first ?? '') as { level: string; message: string; url: string }
    expect(line.level).toBe('info')
    expect(line.message).toMatch(/serving on http/)
    expect(line.url).toMatch(/^http:\/\//)
  })

  it('has no [useResponseCache] complaint about refused operations', () => {
    expect(exit.stderr).not.toContain('useResponseCache')
  })
})

describe('messages of libraries and of Node', () => {
  it('are wrapped as JSON lines (console calls and process warnings)', async () => {
    const script = `
      import { createLogger } from './src/observability/logger.ts'
      import { routeProcessOutput } from './src/observability/process-output.ts'
      routeProcessOutput(createLogger('debug'))
      console.warn('[useResponseCache] The cached execute function was not called, %s', 'another plugin…')
      console.log('plain', { a: 1 })
      console.error(new Error('printed by a library'))
      console.debug('debugging')
      process.emitWarning('something is deprecated', 'DeprecationWarning', 'DEP0000')
      setTimeout(() => {}, 50)
    `
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise((resolve) => child.on('exit', resolve))
    expect(code).toBe(0)
    expect(notJson({ stdout, stderr })).toEqual([])
    const lines = stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; message: string; source: string; code?: string })
    expect(lines.map((l) => [l.level, l.source])).toEqual([
      ['warn', 'console'],
      ['info', 'console'],
      ['error', 'console'],
      ['debug', 'console'],
      ['warn', 'process'],
    ])
    expect(lines[0]?.message).toBe(
      '[useResponseCache] The cached execute function was not called, another plugin…',
    )
    expect(lines[2]?.message).toMatch(/printed by a library/)
    expect(lines[4]).toMatchObject({
      message: 'DeprecationWarning: something is deprecated',
      code: 'DEP0000',
    })
  })
})
