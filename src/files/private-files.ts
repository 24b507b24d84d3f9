import { promises as fs } from 'node:fs'

/** Files we write are readable by the service's user only: events, exports and accounts are private. */
export const PRIVATE_FILE_MODE = 0o600
export const PRIVATE_DIR_MODE = 0o700

/**
 * Creates a directory (and its parents) readable by the service's user only, whatever the umask;
 * one that exists, is ours and is open to others (made by an older version under umask 022) is
 * tightened. Returns whether it tightened an existing one, for the log.
 */
export async function ensurePrivateDir(dir: string): Promise<boolean> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  const stat = await fs.stat(dir)
  const ours = typeof process.getuid !== 'function' || stat.uid === process.getuid()
  if (!ours || (stat.mode & 0o077) === 0) return false
  await fs.chmod(dir, stat.mode & ~0o077 & 0o7777)
  return true
}
