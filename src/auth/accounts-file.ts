import { promises as fs } from 'node:fs'
import path from 'node:path'
import lockfile from 'proper-lockfile'
import writeFileAtomic from 'write-file-atomic'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../files/private-files.js'
import { EMPTY_ACCOUNTS, type AccountsData } from './accounts-data.js'
import { parseAccounts } from './accounts-schema.js'

export * from './accounts-data.js'
export { AccountsFileError } from './accounts-schema.js'

/** Reads and checks the accounts file; a missing file is an empty directory of accounts. */
export async function readAccounts(file: string): Promise<AccountsData> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_ACCOUNTS
    throw error
  }
  return parseAccounts(text, file)
}

/** Replaces the file atomically (a temporary file synced, then renamed), readable by its owner only. */
export async function writeAccounts(file: string, data: AccountsData): Promise<void> {
  await ensurePrivateDir(path.dirname(file))
  await writeFileAtomic(file, `${JSON.stringify(data, null, 2)}\n`, { mode: PRIVATE_FILE_MODE, fsync: true })
}

/**
 * How long a lock may go without being refreshed before another process takes it: a crashed
 * `admin` command leaves its lock behind, and the next one must not wait on it forever.
 */
const STALE_MS = 10_000

/**
 * Read-modify-write under an exclusive, stale-aware lock (`<file>.lock`), so two admin commands
 * (or a command and the server's bootstrap) never lose each other's change.
 */
export async function updateAccounts<T>(
  file: string,
  change: (
    data: AccountsData,
  ) => Promise<{ data: AccountsData; result: T }> | { data: AccountsData; result: T },
): Promise<T> {
  await ensurePrivateDir(path.dirname(file))
  const release = await lockfile.lock(file, {
    realpath: false,
    stale: STALE_MS,
    retries: { retries: 100, minTimeout: 20, maxTimeout: 250 },
  })
  try {
    const { data, result } = await change(await readAccounts(file))
    await writeAccounts(file, data)
    return result
  } finally {
    await release()
  }
}
