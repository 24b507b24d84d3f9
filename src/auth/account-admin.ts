import { parseId } from '../domain/ids.js'
import {
  GLOBAL_ROLES,
  nextId,
  ORG_ROLES,
  TOKEN_KINDS,
  type AccountsData,
  type ApiToken,
  type GlobalRole,
  type OrgRole,
  type TokenKind,
} from './accounts-file.js'

/** A refused account change, worded for the person at the command line. */
export class AccountChangeError extends Error {
  override name = 'AccountChangeError'
}

const USERNAME = /^[A-Za-z0-9_.@+-]{1,150}$/
const SLUG = /^[A-Za-z0-9_-]{1,16}$/

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AccountChangeError(message)
}

function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  check(
    (allowed as readonly string[]).includes(value),
    `${what} must be one of ${allowed.join(', ')}, got '${value}'`,
  )
  return value as T
}

function userNamed(data: AccountsData, username: string) {
  const user = data.users.find((u) => u.username === username)
  check(user !== undefined, `no user '${username}'`)
  return user
}

function orgWithSlug(data: AccountsData, slug: string) {
  const org = data.organizations.find((o) => o.slug === slug)
  check(org !== undefined, `no organization '${slug}'`)
  return org
}

function freeId(items: readonly { id: string }[], requested: string | undefined, what: string): string {
  if (requested === undefined) return nextId(items)
  const id = parseId(requested)
  check(id !== undefined, `${what} id must be a non-negative integer below 2^64, got '${requested}'`)
  check(!items.some((i) => i.id === id), `${what} id ${id} is taken`)
  return id
}

export function addUser(
  data: AccountsData,
  input: { username: string; id?: string; email?: string; role: string; passwordHash: string },
): AccountsData {
  check(USERNAME.test(input.username), `username '${input.username}' may use letters, digits and _.@+- only`)
  check(!data.users.some((u) => u.username === input.username), `user '${input.username}' exists`)
  const user = {
    id: freeId(data.users, input.id, 'user'),
    username: input.username,
    email: input.email ?? null,
    role: oneOf<GlobalRole>(input.role, GLOBAL_ROLES, 'role'),
    passwordHash: input.passwordHash,
    createdAt: new Date().toISOString(),
  }
  return { ...data, users: [...data.users, user] }
}

export function updateUser(
  data: AccountsData,
  username: string,
  change: { passwordHash?: string; role?: string; email?: string },
): AccountsData {
  const user = userNamed(data, username)
  const updated = {
    ...user,
    ...(change.passwordHash === undefined ? {} : { passwordHash: change.passwordHash }),
    ...(change.role === undefined ? {} : { role: oneOf<GlobalRole>(change.role, GLOBAL_ROLES, 'role') }),
    ...(change.email === undefined ? {} : { email: change.email || null }),
  }
  return { ...data, users: data.users.map((u) => (u === user ? updated : u)) }
}

/** Removes the user with its memberships and tokens. */
export function removeUser(data: AccountsData, username: string): AccountsData {
  const user = userNamed(data, username)
  return {
    ...data,
    users: data.users.filter((u) => u !== user),
    memberships: data.memberships.filter((m) => m.userId !== user.id),
    tokens: data.tokens.filter((t) => t.userId !== user.id),
  }
}

export function addOrganization(
  data: AccountsData,
  input: { slug: string; id?: string; name?: string },
): AccountsData {
  check(
    SLUG.test(input.slug),
    `slug '${input.slug}' may use letters, digits, _ and - (16 at most), as in CVAT`,
  )
  check(!data.organizations.some((o) => o.slug === input.slug), `organization '${input.slug}' exists`)
  const org = {
    id: freeId(data.organizations, input.id, 'organization'),
    slug: input.slug,
    name: input.name ?? input.slug,
  }
  return { ...data, organizations: [...data.organizations, org] }
}

export function removeOrganization(data: AccountsData, slug: string): AccountsData {
  const org = orgWithSlug(data, slug)
  return {
    ...data,
    organizations: data.organizations.filter((o) => o !== org),
    memberships: data.memberships.filter((m) => m.orgId !== org.id),
  }
}

/** Adds the membership, or changes its role when it exists. */
export function setMembership(
  data: AccountsData,
  slug: string,
  username: string,
  role: string,
): AccountsData {
  const org = orgWithSlug(data, slug)
  const user = userNamed(data, username)
  const membership = {
    orgId: org.id,
    userId: user.id,
    role: oneOf<OrgRole>(role, ORG_ROLES, 'membership role'),
  }
  const others = data.memberships.filter((m) => !(m.orgId === org.id && m.userId === user.id))
  return { ...data, memberships: [...others, membership] }
}

export function removeMembership(data: AccountsData, slug: string, username: string): AccountsData {
  const org = orgWithSlug(data, slug)
  const user = userNamed(data, username)
  const kept = data.memberships.filter((m) => !(m.orgId === org.id && m.userId === user.id))
  check(kept.length < data.memberships.length, `'${username}' is not a member of '${slug}'`)
  return { ...data, memberships: kept }
}

export function addToken(
  data: AccountsData,
  input: { username: string; kind: string; name: string; hash: string },
): { data: AccountsData; token: ApiToken } {
  const user = userNamed(data, input.username)
  const token: ApiToken = {
    id: nextId(data.tokens),
    userId: user.id,
    kind: oneOf<TokenKind>(input.kind, TOKEN_KINDS, 'token kind'),
    name: input.name,
    hash: input.hash,
    createdAt: new Date().toISOString(),
    revokedAt: null,
  }
  return { data: { ...data, tokens: [...data.tokens, token] }, token }
}

export function revokeToken(data: AccountsData, id: string): AccountsData {
  const token = data.tokens.find((t) => t.id === id)
  check(token !== undefined, `no token ${id}`)
  check(token.revokedAt === null, `token ${id} is already revoked`)
  const revoked = { ...token, revokedAt: new Date().toISOString() }
  return { ...data, tokens: data.tokens.map((t) => (t === token ? revoked : t)) }
}
