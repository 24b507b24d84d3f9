import { closeSync, openSync, readFileSync, constants, ftruncateSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import fsx from 'fs-native-extensions'

/** Who holds a lock, as the holder wrote it into the lock file. */
export interface LockHolder {
  readonly pid: number | null
  readonly host: string | null
  readonly since: string | null
}

export type LockResult =
  { readonly ok: true; release(): void } | { readonly ok: false; readonly holder: LockHolder }

/**
 * Takes an exclusive lock on `file` (created if missing), held until release() or the process
 * ends, crash included: it is the kernel's (an open-file-description lock, as flock), so a stale
 * lock cannot outlive its process the way a pid file can. The holder writes its pid, host and
 * start time into the file so that a second process can say who holds it. The file is never
 * deleted: deleting a lock file lets two processes each lock a different inode.
 */
export function tryLockFile(file: string): LockResult {
  const fd = openSync(file, constants.O_RDWR | constants.O_CREAT, 0o644)
  let locked: boolean
  try {
    locked = fsx.tryLock(fd)
  } catch (error) {
    closeSync(fd)
    throw error
  }
  if (!locked) {
    closeSync(fd)
    return { ok: false, holder: readHolder(file) }
  }
  const text = JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })
  ftruncateSync(fd, 0)
  writeSync(fd, `${text}\n`, 0)
  let released = false
  return {
    ok: true,
    release() {
      if (released) return
      released = true
      fsx.unlock(fd)
      closeSync(fd)
    },
  }
}

function readHolder(file: string): LockHolder {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Record<keyof LockHolder, unknown>>
    return {
      pid: typeof parsed.pid === 'number' ? parsed.pid : null,
      host: typeof parsed.host === 'string' ? parsed.host : null,
      since: typeof parsed.since === 'string' ? parsed.since : null,
    }
  } catch {
    return { pid: null, host: null, since: null }
  }
}
