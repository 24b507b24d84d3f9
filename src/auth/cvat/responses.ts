import { ORG_ROLES, type OrgRole } from '../accounts-file.js'
import { CvatUnavailableError } from './errors.js'

/**
 * The parts of CVAT's response bodies we read (docs/identity.md#who-the-caller-is,
 * docs/identity.md#organizations-and-memberships), checked on the way in: a body of another shape
 * is a `bad-response`, never a half-filled principal.
 */

/** `GET /api/users/self` (UserSerializer), the fields the identity needs. */
export interface CvatUser {
  readonly id: number
  readonly username: string
  readonly email: string
  readonly groups: readonly string[]
  readonly isSuperuser: boolean
  readonly isActive: boolean
  readonly hasAnalyticsAccess: boolean
}

/** One row of `GET /api/memberships` (MembershipRead): `organization` is the org's id, not its slug. */
export interface CvatMembership {
  readonly userId: number
  readonly orgId: number
  readonly role: OrgRole
  readonly isActive: boolean
}

/** `GET /api/organizations/{id}` (OrganizationRead). */
export interface CvatOrganization {
  readonly id: number
  readonly slug: string
  readonly name: string
}

/** A PageNumberPagination page: `count`, `next` (null on the last page), `results`. */
export interface CvatPage<T> {
  readonly count: number
  readonly hasNext: boolean
  readonly results: readonly T[]
}

type Json = Record<string, unknown>

export function readUser(body: unknown): CvatUser {
  const o = object(body, 'user')
  return {
    id: integer(o, 'id'),
    username: string(o, 'username'),
    email: typeof o.email === 'string' ? o.email : '',
    groups: Array.isArray(o.groups) ? o.groups.filter((g): g is string => typeof g === 'string') : [],
    isSuperuser: o.is_superuser === true,
    isActive: o.is_active !== false,
    hasAnalyticsAccess: o.has_analytics_access === true,
  }
}

export function readMembership(body: unknown): CvatMembership {
  const o = object(body, 'membership')
  const user = object(o.user, 'membership.user')
  const role = string(o, 'role')
  if (!(ORG_ROLES as readonly string[]).includes(role)) bad(`membership role '${role}'`)
  return {
    userId: integer(user, 'id'),
    orgId: integer(o, 'organization'),
    role: role as OrgRole,
    isActive: o.is_active === true,
  }
}

export function readOrganization(body: unknown): CvatOrganization {
  const o = object(body, 'organization')
  return { id: integer(o, 'id'), slug: string(o, 'slug'), name: typeof o.name === 'string' ? o.name : '' }
}

export function readPage<T>(body: unknown, readItem: (item: unknown) => T): CvatPage<T> {
  const o = object(body, 'page')
  if (!Array.isArray(o.results)) bad('page without results')
  return {
    count: integer(o, 'count'),
    hasNext: typeof o.next === 'string' && o.next !== '',
    results: (o.results as unknown[]).map(readItem),
  }
}

function object(value: unknown, what: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) bad(`${what} is not an object`)
  return value as Json
}

function integer(o: Json, field: string): number {
  const value = o[field]
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) bad(`'${field}' is not an integer`)
  return value
}

function string(o: Json, field: string): string {
  const value = o[field]
  if (typeof value !== 'string' || value === '') bad(`'${field}' is not a string`)
  return value
}

function bad(message: string): never {
  throw new CvatUnavailableError('bad-response', `unexpected answer from CVAT: ${message}`)
}
