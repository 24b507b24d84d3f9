import { createHash } from 'node:crypto'
import { promises as fs } from 'node:fs'
import {
  readAccounts,
  type AccountsData,
  type Organization,
  type OrgRole,
  type UserAccount,
} from './accounts-file.js'
import { verifyPassword } from './passwords.js'
import type { Principal } from './principal.js'
import { hashToken } from './tokens.js'

const RELOAD_CHECK_MS = 1_000
const VERIFIED_TTL_MS = 5 * 60_000
const VERIFIED_MAX = 10_000

/**
 * The server's view of the accounts file. The admin command edits the file while the service
 * runs; the directory notices (by modification time, checked at most once a second) and reloads.
 * Verified passwords are remembered briefly (keyed by a hash of the credentials), so basic auth
 * costs one slow hash per user per few minutes instead of one per request.
 */
export class AccountDirectory {
  private data: AccountsData
  private loadedMtimeMs: number
  private checkedAt = 0
  private readonly verified = new Map<string, { userId: string; passwordHash: string; until: number }>()
  /** Checks under way, so concurrent first requests with the same credentials share one slow hash. */
  private readonly verifying = new Map<string, Promise<boolean>>()
  private readonly reloadListeners = new Set<() => void>()

  private constructor(
    private readonly file: string,
    data: AccountsData,
    mtimeMs: number,
  ) {
    this.data = data
    this.loadedMtimeMs = mtimeMs
  }

  static async open(file: string): Promise<AccountDirectory> {
    return new AccountDirectory(file, await readAccounts(file), await mtimeOf(file))
  }

  /** Reloads the file if it changed since the last look. */
  async refresh(force = false): Promise<void> {
    const now = Date.now()
    if (!force && now - this.checkedAt < RELOAD_CHECK_MS) return
    this.checkedAt = now
    const mtimeMs = await mtimeOf(this.file)
    if (mtimeMs === this.loadedMtimeMs && !force) return
    this.data = await readAccounts(this.file)
    this.loadedMtimeMs = mtimeMs
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

  membershipRole(orgId: string, userId: string): OrgRole | undefined {
    return this.data.memberships.find((m) => m.orgId === orgId && m.userId === userId)?.role
  }

  userByName(username: string): UserAccount | undefined {
    return this.data.users.find((u) => u.username === username)
  }

  private async fromPassword(encoded: string): Promise<Principal | null> {
    const decoded = Buffer.from(encoded, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return null
    const username = decoded.slice(0, colon)
    const password = decoded.slice(colon + 1)
    const user = this.userByName(username)
    if (!user) return null
    const key = createHash('sha256').update(`${username}\0${password}`).digest('hex')
    const remembered = this.verified.get(key)
    if (remembered && remembered.until > Date.now() && remembered.passwordHash === user.passwordHash) {
      return principalOf(user, null)
    }
    let check = this.verifying.get(key)
    if (!check) {
      check = verifyPassword(password, user.passwordHash).finally(() => this.verifying.delete(key))
      this.verifying.set(key, check)
    }
    if (!(await check)) return null
    if (this.verified.size >= VERIFIED_MAX) this.verified.clear()
    this.verified.set(key, {
      userId: user.id,
      passwordHash: user.passwordHash,
      until: Date.now() + VERIFIED_TTL_MS,
    })
    return principalOf(user, null)
  }

  private fromToken(token: string): Principal | null {
    const hash = hashToken(token)
    const record = this.data.tokens.find((t) => t.hash === hash && t.revokedAt === null)
    const user = record && this.data.users.find((u) => u.id === record.userId)
    return record && user ? principalOf(user, { id: record.id, kind: record.kind }) : null
  }
}

function principalOf(user: UserAccount, token: Principal['token']): Principal {
  return { user: { id: user.id, username: user.username, email: user.email, role: user.role }, token }
}

async function mtimeOf(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).mtimeMs
  } catch {
    return 0
  }
}
