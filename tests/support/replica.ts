import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { stopChild } from './redis.js'
import { whenReady } from './service-process.js'

const ROOT = path.resolve(import.meta.dirname, '../..')

export interface Replica {
  readonly url: string
  readonly process: ChildProcess
  /** What the process wrote on stderr (its log), for failure messages. */
  readonly log: () => string
  /** SIGTERM, as an orchestrator stops a replica; resolves when it exited. */
  stop(): Promise<void>
}

/**
 * The service as a process of its own (`src/main.ts` under tsx), as a replica runs in
 * production; resolves once it is ready (its store migrated), as a load balancer sends it traffic.
 */
export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`replica did not start in time:\n${stderr}`)), 60_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const found = /serving on (http:\/\/\S+)/.exec(stdout)?.[1]
      if (found) {
        clearTimeout(timer)
        resolve(found.replace('localhost', '127.0.0.1'))
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`replica exited with ${code}:\n${stderr}`))
    })
  })
  const replica = { url, process: child, log: () => stderr, stop: () => stopChild(child) }
  await whenReady(url).catch(async (error: unknown) => {
    await replica.stop()
    throw new Error(`${String(error)}\n${stderr}`)
  })
  return replica
}
