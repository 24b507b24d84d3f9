import { createHmac, randomBytes } from 'node:crypto'
import { promises as fs } from 'node:fs'
import { LRUCache } from 'lru-cache'
import pLimit, { type LimitFunction } from 'p-limit'
import { tooManyRequests } from '../errors.js'
import {
  readAccounts,
  type AccountsData,
  type Organization,
  type OrgRole,
  type UserAccount,
} from './accounts-file.js'
import { silentLogger, type Logger } from '../observability/logger.js'
import { ACCOUNTS_FILE } from './identity-source.js'
import { hashPassword, verifyPassword } from './passwords.js'
import type { Principal } from './principal.js'
import { hashToken } from './tokens.js'

const RELOAD_CHECK_MS = 1_000
const VERIFIED_TTL_MS = 5 * 60_000
const VERIFIED_MAX = 10_000

export interface DirectoryOptions {
  /** AUTH_HASH_CONCURRENCY: password hashes computed at once (each ~50 ms of a core and 32 MiB). @default 2 */
  readonly hashConcurrency?: number
  /** Password checks waiting for a slot past which new ones are refused (429). @default 64 */
  readonly maxWaitingChecks?: number
  /** Where a broken reload of the file is reported. @default silent */
  readonly log?: Logger
}

/**
 * The server's view of the accounts file. The admin command edits the file while the service
 * runs; the directory notices (by modification time, checked at most once a second) and reloads.
 * Verified passwords are remembered briefly (keyed by an HMAC of the credentials under a key of
 * this process), so basic auth costs one slow hash per user per few minutes instead of one per
 * request. Slow hashes run a few at a time (AUTH_HASH_CONCURRENCY), so a flood of wrong passwords
 * queues behind itself instead of starving every other request of CPU and libuv's thread pool;
 * an unknown username costs the same hash as a wrong password, so timing does not tell them apart.
 */
export class AccountDirectory {
  private data: AccountsData
  private loadedMtimeMs: number
  private checkedAt = 0
  private readonly verified = new LRUCache<string, { userId: string; passwordHash: string }>({
    max: VERIFIED_MAX,
    ttl: VERIFIED_TTL_MS,
  })
  /** Checks under way, so concurrent first requests with the same credentials share one slow hash. */
  private readonly verifying = new Map<string, Promise<boolean>>()
  private readonly reloadListeners = new Set<() => void>()
  private readonly hashing: LimitFunction
  private readonly maxWaiting: number
  private readonly cacheKey = randomBytes(32)
  private readonly log: Logger

  private constructor(
    private readonly file: string,
    data: AccountsData,
    mtimeMs: number,
    /** A hash of a random password, checked for unknown usernames. */
    private readonly decoyHash: string,
    options: DirectoryOptions,
  ) {
    this.data = data
    this.loadedMtimeMs = mtimeMs
    this.hashing = pLimit(options.hashConcurrency ?? 2)
    this.maxWaiting = options.maxWaitingChecks ?? 64
    this.log = options.log ?? silentLogger
  }

  /** Loads the file; a broken one fails the start (nothing half-valid is used). */
  static async open(file: string, options: DirectoryOptions = {}): Promise<AccountDirectory> {
    const decoy = await hashPassword(randomBytes(18).toString('base64url'))
    return new AccountDirectory(file, await readAccounts(file), await mtimeOf(file), decoy, options)
  }

  /** Reloads the file if it changed since the last look. */
  async refresh(force = false): Promise<void> {
    const now = Date.now()
    if (!force && now - this.checkedAt < RELOAD_CHECK_MS) return
    this.checkedAt = now
    const mtimeMs = await mtimeOf(this.file)
    if (mtimeMs === this.loadedMtimeMs && !force) return
    this.loadedMtimeMs = mtimeMs
    try {
      this.data = await readAccounts(this.file)
    } catch (error) {
      // A broken edit must not lock everyone out: the last good accounts stay until it is fixed.
      this.log.warn('accounts file not reloaded; the last good version stays in use', {
        file: this.file,
        error: error instanceof Error ? error.message : String(error),
      })
      return
    }
    for (const listener of this.reloadListeners) listener()
  }

  /** Calls `listener` after every reload (open subscriptions re-check their access); returns the undo. */
  onReload(listener: () => void): () => void {
    this.reloadListeners.add(listener)
    return () => this.reloadListeners.delete(listener)
  }

  /** Resolves an Authorization header; null when it is absent or its credentials are wrong. */
  async authenticate(authorization: string | null): Promise<Principal | null> {
    if (!authorization) return null
    await this.refresh()
    const space = authorization.indexOf(' ')
    const scheme = authorization.slice(0, space).toLowerCase()
    const value = authorization.slice(space + 1).trim()
    if (scheme === 'basic') return this.fromPassword(value)
    if (scheme === 'bearer' || scheme === 'token') return this.fromToken(value)
    return null
  }

  organizationBySlug(slug: string): Organization | undefined {
    return this.data.organizations.find((o) => o.slug === slug)
  }

  organizationById(id: string): Organization | undefined {
    return this.data.organizations.find((o) => o.id === id)
  }

  membershipRole(orgId: string, userId: string): OrgRole | undefined {
    return this.data.memberships.find((m) => m.orgId === orgId && m.userId === userId)?.role
  }

  /** Ids of the organizations a user is a member of. */
  memberOrgIds(userId: string): string[] {
    return this.data.memberships.filter((m) => m.userId === userId).map((m) => m.orgId)
  }

  userByName(username: string): UserAccount | undefined {
    return this.data.users.find((u) => u.username === username)
  }

  userById(id: string): UserAccount | undefined {
    return this.data.users.find((u) => u.id === id)
  }

  /** Every organization (admins may enter any). */
  organizations(): readonly Organization[] {
    return this.data.organizations
  }

  private async fromPassword(encoded: string): Promise<Principal | null> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return null
    const username = decoded.slice(0, colon)
    const password = decoded.slice(colon + 1)
    const user = this.userByName(username)
    const key = createHmac('sha256', this.cacheKey).update(`${username}\0${password}`).digest('base64url')
    const remembered = user && this.verified.get(key)
    if (user && remembered && remembered.passwordHash === user.passwordHash) return principalOf(user, null)
    let check = this.verifying.get(key)
    if (!check) {
      if (this.hashing.pendingCount >= this.maxWaiting) {
        throw tooManyRequests('too many sign-ins are being checked at once; try again shortly', 1)
      }
      // An unknown user is checked against a decoy hash: the answer takes as long as a wrong password's.
      const stored = user?.passwordHash ?? this.decoyHash
      check = this.hashing(() => verifyPassword(password, stored)).finally(() => this.verifying.delete(key))
      this.verifying.set(key, check)
    }
    if (!(await check) || !user) return null
    this.verified.set(key, { userId: user.id, passwordHash: user.passwordHash })
    return principalOf(user, null)
  }

  private fromToken(token: string): Principal | null {
    const hash = hashToken(token)
    const record = this.data.tokens.find((t) => t.hash === hash && t.revokedAt === null)
    const user = record && this.data.users.find((u) => u.id === record.userId)
    return record && user ? principalOf(user, { id: record.id, kind: record.kind }) : null
  }
}

/** The principal of an account, signed in as itself (a password or a browser session), or through one of its tokens. */
export function principalOf(user: UserAccount, token: Principal['token']): Principal {
  return {
    user: { id: user.id, username: user.username, email: user.email, role: user.role },
    token,
    source: ACCOUNTS_FILE,
  }
}

async function mtimeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).mtimeMs
  } catch {
    return 0
  }
}
