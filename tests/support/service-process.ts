import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'

/** The service as its own process (`src/main.ts` through tsx), as a replica runs in production. */
export interface ServiceProcess {
  readonly url: string
  readonly pid: number
  /** What the process printed, for failure messages. */
  output(): string
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>
}

const ROOT = path.resolve(import.meta.dirname, '../..')

/** Starts `src/main.ts` with `env` (PORT=0: a free port) and resolves once it serves. */
export function startServiceProcess(
  env: Record<string, string>,
  timeoutMs = 120_000,
): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the service did not start in ${timeoutMs} ms:\n${output}`))
    }, timeoutMs)
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8')
      const url = /serving on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1]
      if (!url) return
      clearTimeout(timer)
      child.stdout?.off('data', onData)
      child.stdout?.on('data', (more: Buffer) => (output += more.toString('utf8')))
      resolve({
        url,
        pid: child.pid ?? 0,
        output: () => output,
        async stop() {
          child.kill('SIGTERM')
          await exited
        },
      })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the service exited with ${code} before serving:\n${output}`))
    })
  })
}
