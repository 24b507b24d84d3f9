import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'

/**
 * Debian's redis-server, which .ci/run installs. Without it the Redis tests are skipped with this
 * message, unless E2E_REQUIRED is set (as in CI), where a missing binary is a failure.
 */
export const REDIS_SERVER = 'redis-server'
export const redisAvailable = !spawnSync(REDIS_SERVER, ['--version']).error
export const REDIS_MISSING = `${REDIS_SERVER} is not installed (apt-get install redis-server): Redis tests skipped`
if (!redisAvailable && process.env.E2E_REQUIRED) throw new Error(`E2E_REQUIRED is set but ${REDIS_MISSING}`)

export interface RedisServer {
  readonly url: string
  stop(): Promise<void>
}

/** A free loopback port (listen on 0, read it, let go). */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A throw-away redis-server on a free loopback port, without persistence. */
export async function startRedis(): Promise<RedisServer> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const child = spawn(
      REDIS_SERVER,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    try {
      await readyOf(child)
      return { url: `redis://127.0.0.1:${port}`, stop: () => stopChild(child) }
    } catch (error) {
      await stopChild(child)
      if (attempt >= 3) throw error // the port was taken in between: try another
    }
  }
}

function readyOf(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${output}`)), 10_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}: ${output}`))
    })
  })
}

/** Stops a child process and waits for it to exit. */
export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}
