import { randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import type { SessionConfig } from '../config.js'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../files/private-files.js'

const KEY_BYTES = 32

/**
 * The key session cookies are signed with: `SESSION_SECRET` when set; otherwise the key file
 * under DATA_DIR, created at the first start with 256 random bits (0600) and read at every start
 * after, so sessions outlive a restart. Two processes creating it at once agree: the file is
 * created exclusively, and the loser reads the winner's.
 */
export async function loadSessionKey(config: SessionConfig): Promise<string | Buffer> {
  if (config.secret !== undefined) return config.secret
  const existing = await readKey(config.keyFile)
  if (existing) return existing
  await ensurePrivateDir(path.dirname(config.keyFile))
  const key = randomBytes(KEY_BYTES)
  try {
    await fs.writeFile(config.keyFile, key.toString('base64'), { mode: PRIVATE_FILE_MODE, flag: 'wx' })
    return key
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    const written = await readKey(config.keyFile)
    if (!written) throw new Error(`${config.keyFile} is empty; delete it to have a new session key made`)
    return written
  }
}

async function readKey(file: string): Promise<Buffer | undefined> {
  try {
    const key = Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64')
    return key.length >= 16 ? key : undefined
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
