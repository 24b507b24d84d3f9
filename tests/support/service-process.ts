import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LogLine } from './log-capture.js'
import { PEOPLE } from './fixtures.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** How a service process ended, and what it wrote. */
export interface ServiceExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
  /** stderr's lines, parsed (JSON log lines); a line that is not JSON comes back as level `raw`. */
  readonly lines: LogLine[]
  /** Milliseconds from the signal (stop) or the spawn (run) to the exit. */
  readonly ms: number
}

export interface ServiceProcess {
  readonly child: ChildProcess
  /** The API's base URL, from the line the service prints once it listens. */
  readonly url: string
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<ServiceExit>
  /**
   * Waits until `/ready` answers 200: the store is reached and migrated. Until then ingest is
   * acknowledged into the spool (202), so a test expecting 201 waits for this first.
   */
  whenReady(timeoutMs?: number): Promise<void>
}

export interface SpawnOptions {
  /** Run as this user and group (the tests run as root, whom permissions do not stop). */
  readonly uid?: number
  readonly gid?: number
  readonly timeoutMs?: number
  /** The folder to run `src/main.ts` from (with its node_modules). @default the checkout */
  readonly cwd?: string
}

/**
 * The real service (`src/main.ts` through tsx) in a child process, with only the environment
 * given (plus PATH and HOME), a free port and the test world's admin password unless overridden.
 */
function spawnService(env: Record<string, string>, options: SpawnOptions): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: options.cwd ?? ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: options.uid === undefined ? (process.env.HOME ?? '/root') : '/tmp',
      PORT: '0',
      HOST: '127.0.0.1',
      ANALYTICS_ADMIN_PASSWORD: PEOPLE.admin.password,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.gid ?? options.uid }),
  })
}

function collect(child: ChildProcess, startedAt: () => number, timeoutMs: number): Promise<ServiceExit> {
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`the service did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`),
      )
    }, timeoutMs)
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      const lines = stderr
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line): LogLine => {
          try {
            return JSON.parse(line) as LogLine
          } catch {
            return { level: 'raw', message: line }
          }
        })
      resolve({ code, signal, stdout, stderr, lines, ms: Date.now() - startedAt() })
    })
  })
}

/** Runs the service until it exits by itself (a start-up that fails). */
export function runService(env: Record<string, string>, options: SpawnOptions = {}): Promise<ServiceExit> {
  const started = Date.now()
  return collect(spawnService(env, options), () => started, options.timeoutMs ?? 150_000)
}

/** Starts the service and waits until it listens. */
export async function startService(
  env: Record<string, string>,
  options: SpawnOptions = {},
): Promise<ServiceProcess> {
  const child = spawnService(env, options)
  let signalledAt = Date.now()
  const exited = collect(child, () => signalledAt, options.timeoutMs ?? 120_000)
  const url = await new Promise<string>((resolve, reject) => {
    let seen = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8')
      const match = /serving on (http:\/\/\S+) /.exec(seen)
      if (match?.[1]) resolve(match[1].replace('localhost', '127.0.0.1'))
    })
    exited.then(
      (exit) => reject(new Error(`the service exited (${exit.code}) before listening:\n${exit.stderr}`)),
      reject,
    )
  })
  return {
    child,
    url,
    stop(signal = 'SIGTERM') {
      signalledAt = Date.now()
      child.kill(signal)
      return exited
    },
    whenReady: (timeoutMs?: number) => whenReady(url, timeoutMs),
  }
}

/**
 * Resolves once the service at `url` answers /ready with 200: its store is migrated and ingest
 * answers 201, not 202 (spooled), as a load balancer's readiness probe waits.
 */
export async function whenReady(url: string, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    const status = await fetch(`${url}/ready`).then(
      (r) => r.status,
      () => 0,
    )
    if (status === 200) return
    if (Date.now() > until) throw new Error(`${url}/ready still answers ${status} after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The error lines of a run: a start-up failure must have exactly one, and no raw (stack) lines. */
export function errorLines(exit: ServiceExit): string[] {
  return exit.lines.filter((l) => l.level === 'error' || l.level === 'raw').map((l) => l.message)
}
