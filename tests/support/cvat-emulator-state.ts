import { randomBytes } from 'node:crypto'

/**
 * What the CVAT emulation knows: users, credentials, organizations and memberships, and how CVAT
 * (v2.73, docs/identity.md#credentials-cvat-accepts and the sections after it) authenticates a
 * request against them. The HTTP side lives in cvat-emulator.ts; this file has no sockets, so its
 * rules read on one screen each.
 */

export type EmulatedOrgRole = 'owner' | 'maintainer' | 'supervisor' | 'worker'

export interface EmulatedUser {
  readonly id: number
  readonly username: string
  email: string
  password: string
  /** Django group names; the privilege is the highest of admin, user, worker among them. */
  groups: string[]
  isSuperuser: boolean
  isActive: boolean
  hasAnalyticsAccess: boolean
}

export interface EmulatedOrganization {
  readonly id: number
  readonly slug: string
  readonly name: string
  readonly ownerId: number | null
}

export interface EmulatedMembership {
  readonly id: number
  readonly userId: number
  readonly orgId: number
  role: EmulatedOrgRole
  isActive: boolean
}

interface AccessToken {
  readonly userId: number
  revoked: boolean
  expired: boolean
}

/** Who a request is, as DRF's authentication classes decide; `scheme` is the class that won. */
export type Authentication =
  | { readonly kind: 'user'; readonly user: EmulatedUser; readonly scheme: Scheme }
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'failed'; readonly detail: string }

export type Scheme = 'token' | 'bearer' | 'session' | 'basic'

export const CREATED = '2024-01-01T00:00:00Z'

/** The emulation's data; tests change it directly or through CvatEmulator's helpers. */
export class EmulatorState {
  readonly users: EmulatedUser[] = []
  readonly organizations: EmulatedOrganization[] = []
  readonly memberships: EmulatedMembership[] = []
  /** Legacy `Token` keys (POST /api/auth/login) → user id. */
  readonly legacyKeys = new Map<string, number>()
  /** Personal access tokens by their full text. */
  readonly accessTokens = new Map<string, AccessToken>()
  /** `sessionid` → user id. */
  readonly sessions = new Map<string, number>()
  private nextId = { user: 1, org: 1, membership: 1 }

  addUser(input: {
    username: string
    password: string
    /** CVAT's id; the next free one when not given. */
    id?: number
    groups?: string[]
    email?: string
    superuser?: boolean
    active?: boolean
  }): EmulatedUser {
    const groups = input.groups ?? ['user']
    const superuser = input.superuser ?? false
    const user: EmulatedUser = {
      id: this.takeId('user', input.id),
      username: input.username,
      email: input.email ?? `${input.username}@example.com`,
      password: input.password,
      // CVAT's signal adds superusers to `admin`, and admins get analytics access (S10, S13).
      groups: superuser && !groups.includes('admin') ? [...groups, 'admin'] : groups,
      isSuperuser: superuser,
      isActive: input.active ?? true,
      hasAnalyticsAccess: superuser || groups.includes('admin'),
    }
    this.users.push(user)
    return user
  }

  /** Creating an organization adds its owner's active `owner` membership, as CVAT does. */
  addOrganization(input: { slug: string; name?: string; owner: string; id?: number }): EmulatedOrganization {
    const owner = this.user(input.owner)
    const org = {
      id: this.takeId('org', input.id),
      slug: input.slug,
      name: input.name ?? input.slug,
      ownerId: owner.id,
    }
    this.organizations.push(org)
    this.addMembership(org.slug, owner.username, 'owner')
    return org
  }

  /** An invitation not yet accepted is an inactive membership (`active: false`). */
  addMembership(
    orgSlug: string,
    username: string,
    role: EmulatedOrgRole,
    options: { active?: boolean } = {},
  ): EmulatedMembership {
    const membership = {
      id: this.nextId.membership++,
      userId: this.user(username).id,
      orgId: this.organization(orgSlug).id,
      role,
      isActive: options.active ?? true,
    }
    this.memberships.push(membership)
    return membership
  }

  /** The id asked for (later automatic ids continue after it), or the next free one. */
  private takeId(kind: 'user' | 'org', requested: number | undefined): number {
    const id = requested ?? this.nextId[kind]
    this.nextId[kind] = Math.max(this.nextId[kind], id + 1)
    return id
  }

  user(username: string): EmulatedUser {
    const user = this.users.find((u) => u.username === username)
    if (!user) throw new Error(`emulator: no user '${username}'`)
    return user
  }

  organization(slug: string): EmulatedOrganization {
    const org = this.organizations.find((o) => o.slug === slug)
    if (!org) throw new Error(`emulator: no organization '${slug}'`)
    return org
  }

  membership(orgSlug: string, username: string): EmulatedMembership {
    const org = this.organization(orgSlug)
    const user = this.user(username)
    const found = this.memberships.find((m) => m.orgId === org.id && m.userId === user.id)
    if (!found) throw new Error(`emulator: '${username}' is not a member of '${orgSlug}'`)
    return found
  }

  /** A key as `POST /api/auth/login` returns it: 40 hex characters (DRF's Token model). */
  issueLegacyKey(username: string): string {
    const key = randomBytes(20).toString('hex')
    this.legacyKeys.set(key, this.user(username).id)
    return key
  }

  /** A personal access token, `<8-char prefix>.<32-char secret>` as CVAT's key generator makes them. */
  issueAccessToken(username: string): string {
    const token = `${alnum(8)}.${alnum(32)}`
    this.accessTokens.set(token, { userId: this.user(username).id, revoked: false, expired: false })
    return token
  }

  /** A signed-in browser: the `sessionid` cookie and the `csrftoken` cookie beside it. */
  openSession(username: string): { sessionid: string; csrftoken: string } {
    const sessionid = alnum(32).toLowerCase()
    this.sessions.set(sessionid, this.user(username).id)
    return { sessionid, csrftoken: alnum(32) }
  }

  /** The privilege CVAT's policy sees: the first of its role list among the user's groups. */
  privilegeOf(user: EmulatedUser): 'admin' | 'user' | 'worker' | null {
    return (['admin', 'user', 'worker'] as const).find((role) => user.groups.includes(role)) ?? null
  }

  activeMembership(userId: number, orgId: number): EmulatedMembership | undefined {
    return this.memberships.find((m) => m.userId === userId && m.orgId === orgId && m.isActive)
  }

  /**
   * DRF's chain in CVAT's order: TokenAuthentication, AccessTokenAuthentication,
   * SessionAuthentication, BasicAuthenticationEx. The first class that returns a user wins; one
   * that raises ends the chain with 401. An unknown `sessionid` reads as anonymous.
   */
  authenticate(authorization: string | undefined, cookies: Map<string, string>): Authentication {
    const parts = (authorization ?? '').trim().split(/\s+/).filter(Boolean)
    const keyword = parts[0]?.toLowerCase()
    for (const scheme of ['token', 'bearer'] as const) {
      if (keyword !== scheme) continue
      if (parts.length === 1) return failed('Invalid token header. No credentials provided.')
      if (parts.length > 2) return failed('Invalid token header. Token string should not contain spaces.')
      const value = parts[1] as string
      const userId = scheme === 'token' ? this.legacyKeys.get(value) : this.validAccessToken(value)
      const user = this.users.find((u) => u.id === userId)
      if (!user) return failed('Invalid token.')
      if (!user.isActive) return failed('User inactive or deleted.')
      return { kind: 'user', user, scheme }
    }
    const sessionUserId = this.sessions.get(cookies.get('sessionid') ?? '')
    const sessionUser = this.users.find((u) => u.id === sessionUserId && u.isActive)
    if (sessionUser) return { kind: 'user', user: sessionUser, scheme: 'session' }
    if (keyword === 'basic') return this.basic(parts)
    return { kind: 'anonymous' }
  }

  private validAccessToken(value: string): number | undefined {
    const token = this.accessTokens.get(value)
    return token && !token.revoked && !token.expired ? token.userId : undefined
  }

  private basic(parts: string[]): Authentication {
    if (parts.length === 1) return failed('Invalid basic header. No credentials provided.')
    if (parts.length > 2) return failed('Invalid basic header. Credentials string should not contain spaces.')
    const decoded = Buffer.from(parts[1] as string, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) return failed('Invalid basic header. Credentials not correctly base64 encoded.')
    const username = decoded.slice(0, colon)
    const user = this.users.find((u) => u.username === username)
    // Django's ModelBackend refuses inactive users as if the password were wrong.
    const ok = user?.isActive && user.password === decoded.slice(colon + 1)
    if (!user || !ok) return failed('Invalid username/password.')
    return { kind: 'user', user, scheme: 'basic' }
  }
}

function failed(detail: string): Authentication {
  return { kind: 'failed', detail }
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

function alnum(length: number): string {
  return [...randomBytes(length)].map((b) => ALNUM[b % ALNUM.length]).join('')
}
