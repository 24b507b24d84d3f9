import { describe, expect, it } from 'vitest'
import { canRead, canSendClientEvents, canSendServerEvents } from '../../src/auth/principal.js'
import { CvatUnavailableError } from '../../src/auth/cvat/errors.js'
import { toIdentity } from '../../src/auth/cvat/identity.js'
import { cvatPrincipal } from '../../src/auth/cvat/access.js'
import { readMembership, readPage, readUser } from '../../src/auth/cvat/responses.js'
import { privilegeOf } from '../../src/auth/cvat/roles.js'
import type { CvatUser } from '../../src/auth/cvat/responses.js'

const user: CvatUser = {
  id: 42,
  username: 'ann',
  email: 'ann@example.com',
  groups: ['worker'],
  isSuperuser: false,
  isActive: true,
  hasAnalyticsAccess: false,
}
const orgs = [
  { id: 7, slug: 'acme', name: 'Acme' },
  { id: 8, slug: 'beta', name: 'Beta' },
]

describe('privilegeOf', () => {
  it('takes the highest of admin, user, worker among the groups, as CVAT', () => {
    expect(privilegeOf(['worker', 'user'])).toBe('user')
    expect(privilegeOf(['annotators', 'admin', 'worker'])).toBe('admin')
    expect(privilegeOf(['worker'])).toBe('worker')
  })

  it('is null when no group is one of CVAT roles (business was removed in 2.22)', () => {
    expect(privilegeOf([])).toBeNull()
    expect(privilegeOf(['business', 'staff'])).toBeNull()
  })
})

describe('toIdentity', () => {
  it('keeps the active memberships of the user, with slugs, and CVAT ids as strings', () => {
    const identity = toIdentity(
      user,
      [
        { userId: 42, orgId: 7, role: 'worker', isActive: true },
        { userId: 42, orgId: 8, role: 'owner', isActive: false },
        { userId: 99, orgId: 8, role: 'owner', isActive: true },
      ],
      orgs,
      'basic',
    )
    expect(identity).toEqual({
      userId: '42',
      username: 'ann',
      email: 'ann@example.com',
      privilege: 'worker',
      isSuperuser: false,
      hasAnalyticsAccess: false,
      memberships: [{ orgId: '7', slug: 'acme', name: 'Acme', role: 'worker' }],
      credential: 'basic',
    })
  })

  it('leaves out memberships whose organization CVAT did not show, and reads an empty email as null', () => {
    const identity = toIdentity(
      { ...user, email: '' },
      [{ userId: 42, orgId: 9, role: 'worker', isActive: true }],
      orgs,
      'session',
    )
    expect(identity.memberships).toEqual([])
    expect(identity.email).toBeNull()
  })
})

describe('cvatPrincipal', () => {
  const identity = toIdentity(user, [], [], 'basic')

  it('lets a password, key or session act as the user: sends client events, reads', () => {
    for (const credential of ['basic', 'token', 'session'] as const) {
      const principal = cvatPrincipal({ ...identity, credential }, { confirmedAtMs: 0, freshUntilMs: 60_000 })
      expect(principal.token).toBeNull()
      expect(canSendClientEvents(principal)).toBe(true)
      expect(canRead(principal)).toBe(true)
      expect(canSendServerEvents(principal)).toBe(false)
    }
  })

  it('makes a personal access token a read token: it reads and exports but sends no events, as in CVAT', () => {
    const principal = cvatPrincipal(
      { ...identity, credential: 'bearer' },
      { confirmedAtMs: 0, freshUntilMs: 60_000 },
    )
    expect(principal.token).toEqual({ id: 'cvat-pat', kind: 'read' })
    expect(canSendClientEvents(principal)).toBe(false)
    expect(canRead(principal)).toBe(true)
  })

  it('says where the identity came from, and keeps a null privilege as a null role', () => {
    const principal = cvatPrincipal(
      { ...identity, privilege: null },
      { confirmedAtMs: 1234, freshUntilMs: 61_234 },
    )
    expect(principal.user).toEqual({ id: '42', username: 'ann', email: 'ann@example.com', role: null })
    expect(principal.source).toMatchObject({
      kind: 'cvat',
      confirmedAtMs: 1234,
      freshUntilMs: 61_234,
      identity: { privilege: null },
    })
  })
})

describe('CVAT response readers', () => {
  it('read the fields of /api/users/self and a membership page', () => {
    expect(
      readUser({
        id: 1,
        username: 'root',
        email: 'r@x',
        groups: ['admin'],
        is_superuser: true,
        is_active: true,
      }),
    ).toMatchObject({ id: 1, groups: ['admin'], isSuperuser: true, hasAnalyticsAccess: false })
    const page = readPage(
      {
        count: 11,
        next: 'http://cvat/api/memberships?page=2',
        previous: null,
        results: [
          { id: 3, user: { id: 1, username: 'root' }, organization: 7, is_active: true, role: 'owner' },
        ],
      },
      readMembership,
    )
    expect(page).toEqual({
      count: 11,
      hasNext: true,
      results: [{ userId: 1, orgId: 7, role: 'owner', isActive: true }],
    })
  })

  it('call a body of another shape a bad response, never a half-filled identity', () => {
    const bad = [
      () => readUser({ username: 'x' }),
      () => readUser([]),
      () => readMembership({ user: { id: 1 }, organization: 7, role: 'boss', is_active: true }),
      () => readPage({ count: 1 }, readMembership),
    ]
    for (const read of bad) {
      expect(read).toThrow(CvatUnavailableError)
      expect(read).toThrow(/unexpected answer from CVAT/)
    }
  })
})
