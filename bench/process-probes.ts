/**
 * What a benchmark reads of the process a service runs in: its main thread's CPU time and a CPU
 * profile. Node's modules only, so that a service process of another checkout (bench/service-process.ts
 * running a release) loads nothing of this one's.
 */
import { readFileSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import inspector from 'node:inspector/promises'
import path from 'node:path'

/**
 * CPU time of this process's main thread in µs (Linux's schedstat): what the event loop spent,
 * without the engine's own threads (chDB's inserts and merges), which process.cpuUsage counts too.
 */
export function mainThreadUs(): number {
  try {
    const schedstat = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8')
    return Number(schedstat.split(' ')[0]) / 1000
  } catch {
    const { user, system } = process.cpuUsage()
    return user + system
  }
}

/** Starts the CPU profiler of this process; the function returned writes the profile to `file`. */
export async function startProfile(): Promise<(file: string) => Promise<void>> {
  const session = new inspector.Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  return async (file) => {
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, JSON.stringify(profile))
  }
}
