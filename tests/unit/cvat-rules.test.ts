import { describe, expect, it } from 'vitest'
import type { GlobalRole, OrgRole } from '../../src/auth/accounts-file.js'
import type { CvatIdentity } from '../../src/auth/cvat/identity.js'
import { readOrgSelector } from '../../src/auth/cvat/organization.js'
import { placeInOrganization } from '../../src/auth/cvat/organization.js'
import { cvatInputOf, cvatMay, cvatVisibility, type CvatAccessInput } from '../../src/auth/cvat/rules.js'
import { cvatPrincipal } from '../../src/auth/cvat/access.js'

const acme = { id: '7', slug: 'acme', name: 'Acme' }

function identity(privilege: GlobalRole | null, extra: Partial<CvatIdentity> = {}): CvatIdentity {
  return {
    userId: '42',
    username: 'ann',
    email: null,
    privilege,
    isSuperuser: false,
    hasAnalyticsAccess: false,
    memberships: [],
    credential: 'basic',
    ...extra,
  }
}
const personal = (privilege: GlobalRole | null, extra?: Partial<CvatIdentity>): CvatAccessInput => ({
  identity: identity(privilege, extra),
  org: null,
  orgRole: null,
})
const inOrg = (privilege: GlobalRole | null, orgRole: OrgRole | null): CvatAccessInput => ({
  identity: identity(privilege),
  org: acme,
  orgRole,
})
const own = { userId: '42', userName: 'ann' }

describe('cvatMay', () => {
  it('lets anyone authenticated send events, even without a privilege, in any context', () => {
    for (const access of [
      personal(null),
      personal('worker'),
      inOrg('user', 'worker'),
      inOrg('admin', null),
    ]) {
      expect(cvatMay('send', access)).toEqual({ allowed: true })
    }
  })

  it('refuses events sent with a personal access token, and lets it view and export', () => {
    const pat = personal('user', { credential: 'bearer' })
    expect(cvatMay('send', pat)).toEqual({
      allowed: false,
      reason: 'personal access tokens may not send events (as in CVAT)',
    })
    expect(cvatMay('view', pat).allowed).toBe(true)
    expect(cvatMay('export', pat).allowed).toBe(true)
  })

  it.each([
    ['admin', null, true],
    ['user', null, true],
    ['worker', null, true],
    [null, null, false],
  ] as const)('lets privilege %s view and export in the personal workspace: %s', (privilege, _, allowed) => {
    expect(cvatMay('view', personal(privilege)).allowed).toBe(allowed)
    expect(cvatMay('export', personal(privilege)).allowed).toBe(allowed)
  })

  it.each([
    ['admin', null, true],
    ['user', 'worker', true],
    ['worker', 'owner', true],
    ['worker', 'supervisor', true],
    ['user', null, false],
    [null, 'owner', false],
  ] as const)(
    'lets privilege %s with org role %s view in an organization: %s',
    (privilege, role, allowed) => {
      expect(cvatMay('view', inOrg(privilege, role)).allowed).toBe(allowed)
    },
  )
})

describe('cvatVisibility', () => {
  it.each([
    ['an admin outside organizations sees everything', personal('admin'), {}],
    ['an admin in an organization sees its events', inOrg('admin', null), { orgId: '7' }],
    ['a user outside organizations sees its own', personal('user'), own],
    ['a worker outside organizations sees its own', personal('worker'), own],
    ['an owner sees the organization', inOrg('user', 'owner'), { orgId: '7' }],
    ['a maintainer sees the organization', inOrg('user', 'maintainer'), { orgId: '7' }],
    ['a supervisor sees its own in the organization', inOrg('user', 'supervisor'), { orgId: '7', ...own }],
    ['a worker member sees its own in the organization', inOrg('user', 'worker'), { orgId: '7', ...own }],
    ['a global worker who owns the org sees its own there', inOrg('worker', 'owner'), { orgId: '7', ...own }],
    ['a user without privilege sees nothing', personal(null), null],
  ] as const)('%s', (_, access, expected) => {
    expect(cvatVisibility(access)).toEqual(expected)
  })

  it('applies to an Access built from a CVAT principal, and not to the accounts file', () => {
    const principal = cvatPrincipal(identity('user'), { confirmedAtMs: 0, freshUntilMs: 60_000 })
    const input = cvatInputOf({ principal, org: acme, orgRole: 'owner' })
    expect(input && cvatVisibility(input)).toEqual({ orgId: '7' })
    const fromFile = { ...principal, source: { kind: 'accounts-file' as const } }
    expect(cvatInputOf({ principal: fromFile, org: null, orgRole: null })).toBeNull()
  })
})

describe('readOrgSelector', () => {
  const read = (org: string | null, xOrganization: string | null, orgId: string | null) =>
    readOrgSelector({ org, xOrganization, orgId })

  it('reads a slug from org or X-Organization, an id from org_id, or the personal workspace', () => {
    expect(read('acme', null, null)).toEqual({ ok: true, selector: { kind: 'slug', slug: 'acme' } })
    expect(read(null, 'acme', null)).toEqual({ ok: true, selector: { kind: 'slug', slug: 'acme' } })
    expect(read('acme', 'acme', null)).toEqual({ ok: true, selector: { kind: 'slug', slug: 'acme' } })
    expect(read(null, null, '007')).toEqual({ ok: true, selector: { kind: 'id', id: '7' } })
    for (const empty of [
      read(null, null, null),
      read('', null, null),
      read(null, '', null),
      read(null, null, ''),
    ]) {
      expect(empty).toEqual({ ok: true, selector: { kind: 'personal' } })
    }
  })

  it('refuses conflicting values as CVAT does: 400 even when org_id agrees with the slug', () => {
    expect(read('acme', 'beta', null)).toMatchObject({
      ok: false,
      field: 'org',
      message: expect.stringContaining("'beta'") as string,
    })
    expect(read('acme', null, '7')).toMatchObject({ ok: false, field: 'org_id' })
    expect(read(null, 'acme', '7')).toMatchObject({ ok: false, field: 'org_id' })
    expect(read('', 'acme', null)).toMatchObject({ ok: false, field: 'org' })
    expect(read(null, null, 'seven')).toMatchObject({ ok: false, field: 'org_id', message: /^org_id: / })
  })
})

describe('placeInOrganization', () => {
  const member = identity('user', {
    memberships: [{ orgId: '7', slug: 'acme', name: 'Acme', role: 'supervisor' }],
  })

  it('places a caller in an organization it is an active member of, by slug or id', () => {
    const placed = { kind: 'placed', org: acme, orgRole: 'supervisor' }
    expect(placeInOrganization(member, { kind: 'slug', slug: 'acme' })).toEqual(placed)
    expect(placeInOrganization(member, { kind: 'id', id: '7' })).toEqual(placed)
    expect(placeInOrganization(member, { kind: 'personal' })).toEqual({
      kind: 'placed',
      org: null,
      orgRole: null,
    })
  })

  it('refuses other organizations, existing or not, with 403', () => {
    expect(placeInOrganization(member, { kind: 'slug', slug: 'beta' })).toEqual({
      kind: 'forbidden',
      message: "organization 'beta' does not exist or you are not an active member of it",
    })
    expect(placeInOrganization(identity('admin'), { kind: 'id', id: '8' }).kind).toBe('forbidden')
  })

  it('asks for a look-up when a superuser names an organization it is not in', () => {
    const root = identity('admin', { isSuperuser: true })
    expect(placeInOrganization(root, { kind: 'slug', slug: 'beta' })).toEqual({ kind: 'look-up' })
  })
})
