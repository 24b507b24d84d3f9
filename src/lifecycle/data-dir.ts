import { existsSync, readFileSync } from 'node:fs'
import { rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config } from '../config.js'
import type { Logger } from '../observability/logger.js'
import { ensurePrivateDir } from '../files/private-files.js'
import { tryLockFile } from './lock-file.js'
import { StartupError } from './startup-error.js'

/** The lock a running service holds in its DATA_DIR. */
export const LOCK_FILE = 'annotation-analytics.lock'

export interface DataDirClaim {
  /** Lets another process have DATA_DIR (at stop). */
  release(): void
}

/**
 * Makes sure the folders the service writes are folders it may write (DATA_DIR, the embedded
 * store, SPOOL_DIR, EXPORT_DIR), and takes DATA_DIR's lock, so that a second service on the same
 * DATA_DIR stops at once with a line naming the holder, instead of two processes sharing a spool
 * or chDB failing with its own trace. A full disk is no reason not to start: reads still work,
 * and ingest answers 503 until there is space.
 */
export async function claimDataDir(config: Config, log: Logger): Promise<DataDirClaim> {
  await ensureWritable(config.dataDir, 'DATA_DIR', log)
  const lockFile = path.join(config.dataDir, LOCK_FILE)
  const lock = tryLockFile(lockFile)
  if (!lock.ok) {
    const { pid, host, since } = lock.holder
    const who = [pid === null ? null : `pid ${pid}`, host && `on ${host}`, since && `since ${since}`]
      .filter(Boolean)
      .join(' ')
    throw new StartupError(
      `DATA_DIR ${config.dataDir} is in use by another process (${who ? `${who}, ` : ''}holding ${lockFile}); stop it or give this instance another DATA_DIR`,
    )
  }
  try {
    if (config.store.kind === 'embedded') {
      await ensureWritable(config.store.path, 'DATA_DIR', log)
      checkEngineLock(config.store.path)
    }
    await ensureWritable(config.spoolDir, 'SPOOL_DIR', log)
    await ensureWritable(config.exportDir, 'EXPORT_DIR', log)
  } catch (error) {
    lock.release()
    throw error
  }
  return { release: () => lock.release() }
}

/** Creates `dir` if needed and writes a file into it, to learn now what a first write would. */
async function ensureWritable(dir: string, variable: string, log: Logger): Promise<void> {
  const probe = path.join(dir, `.write-check-${process.pid}`)
  try {
    // Events, exports and accounts are private: every folder we write is 0700, older ones tightened.
    if (await ensurePrivateDir(dir)) log.warn('made a data directory private to the service (0700)', { dir })
    await writeFile(probe, '')
    await rm(probe, { force: true })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown'
    const uid = process.getuid?.()
    const fix = `set ${variable} to a writable folder`
    switch (code) {
      case 'ENOSPC':
      case 'EDQUOT':
        log.warn(`${variable} ${dir} has no space left: ingest answers 503 until there is`)
        return
      case 'EACCES':
      case 'EPERM':
        throw new StartupError(
          `${variable} ${dir} is not writable by this process (uid ${uid ?? 'unknown'}): permission denied; give it to that user (chown) or ${fix}`,
          error,
        )
      case 'EROFS':
        throw new StartupError(
          `${variable} ${dir} is on a read-only file system; mount it writable or ${fix}`,
          error,
        )
      case 'ENOTDIR':
      case 'EEXIST':
        throw new StartupError(`${variable} ${dir} is not a folder (a file is in its way); ${fix}`, error)
      default:
        throw new StartupError(`${variable} ${dir} cannot be written (${code}); ${fix}`, error)
    }
  }
}

/**
 * chDB keeps its own lock (ClickHouse's `status` file, which names the holder's pid): another
 * process on the same folder (a second chDB program, clickhouse-local) makes chDB fail with a
 * trace of its own, so the holder is looked up first and named.
 */
function checkEngineLock(enginePath: string): void {
  const statusFile = path.join(enginePath, 'status')
  if (!existsSync(statusFile)) return
  let pid: number
  try {
    pid = Number(/^PID:\s*(\d+)/m.exec(readFileSync(statusFile, 'utf8'))?.[1])
  } catch {
    return
  }
  if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || !isAlive(pid)) return
  throw new StartupError(
    `the embedded store ${enginePath} is in use by another process (pid ${pid}, holding ${statusFile}); stop it or give this instance another DATA_DIR`,
  )
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
