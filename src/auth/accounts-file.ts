import { promises as fs } from 'node:fs'
import path from 'node:path'
import { ensurePrivateDir } from '../private-files.js'

/** Global roles (CVAT's): admins see everything; the others see what their memberships allow. */
export const GLOBAL_ROLES = ['admin', 'user', 'worker'] as const
export type GlobalRole = (typeof GLOBAL_ROLES)[number]

/** Organization roles (CVAT's): owners and maintainers see the org's events, the others their own. */
export const ORG_ROLES = ['owner', 'maintainer', 'supervisor', 'worker'] as const
export type OrgRole = (typeof ORG_ROLES)[number]

/** `ingest`: may send server events with any identity. `read`: may query and export as its user. */
export const TOKEN_KINDS = ['ingest', 'read'] as const
export type TokenKind = (typeof TOKEN_KINDS)[number]

/** Ids are decimal strings: they are the host application's (CVAT's) user and organization ids. */
export interface UserAccount {
  readonly id: string
  readonly username: string
  readonly email: string | null
  readonly role: GlobalRole
  readonly passwordHash: string
  readonly createdAt: string
}

export interface Organization {
  readonly id: string
  readonly slug: string
  readonly name: string
}

export interface Membership {
  readonly orgId: string
  readonly userId: string
  readonly role: OrgRole
}

export interface ApiToken {
  readonly id: string
  readonly userId: string
  readonly kind: TokenKind
  readonly name: string
  /** sha256 of the token; the token itself is shown once, when created. */
  readonly hash: string
  readonly createdAt: string
  readonly revokedAt: string | null
}

export interface AccountsData {
  readonly version: 1
  readonly users: readonly UserAccount[]
  readonly organizations: readonly Organization[]
  readonly memberships: readonly Membership[]
  readonly tokens: readonly ApiToken[]
}

export const EMPTY_ACCOUNTS: AccountsData = {
  version: 1,
  users: [],
  organizations: [],
  memberships: [],
  tokens: [],
}

/** Reads the accounts file; a missing file is an empty directory of accounts. */
export async function readAccounts(file: string): Promise<AccountsData> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_ACCOUNTS
    throw error
  }
  const data = JSON.parse(text) as AccountsData
  if (data.version !== 1)
    throw new Error(`${file}: unsupported accounts file version ${String(data.version)}`)
  return data
}

/** Replaces the file atomically (write, sync, rename), readable by its owner only. */
export async function writeAccounts(file: string, data: AccountsData): Promise<void> {
  await ensurePrivateDir(path.dirname(file))
  const temporary = `${file}.${process.pid}.tmp`
  const handle = await fs.open(temporary, 'w', 0o600)
  try {
    await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fs.rename(temporary, file)
}

/**
 * Read-modify-write under an exclusive lock file, so two admin commands (or a command and the
 * server's bootstrap) never lose each other's change.
 */
export async function updateAccounts<T>(
  file: string,
  change: (
    data: AccountsData,
  ) => Promise<{ data: AccountsData; result: T }> | { data: AccountsData; result: T },
): Promise<T> {
  await ensurePrivateDir(path.dirname(file))
  const lock = `${file}.lock`
  const deadline = Date.now() + 10_000
  for (;;) {
    try {
      await fs.writeFile(lock, String(process.pid), { flag: 'wx', mode: 0o600 })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (Date.now() > deadline)
        throw new Error(`${lock} is held by another process; remove it if none is running`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
  try {
    const { data, result } = await change(await readAccounts(file))
    await writeAccounts(file, data)
    return result
  } finally {
    await fs.rm(lock, { force: true })
  }
}

/** The next free numeric id in a list (ids may also be given explicitly, to match CVAT's). */
export function nextId(items: readonly { id: string }[]): string {
  return String(items.reduce((max, item) => (BigInt(item.id) > max ? BigInt(item.id) : max), 0n) + 1n)
}
