import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createCvatIdentityProvider,
  CvatCredential,
  cvatInputOf,
  cvatMay,
  cvatVisibility,
  type CvatAccessOutcome,
  type CvatIdentityProvider,
  type OrgSelector,
} from '../../src/auth/cvat/index.js'
import type { CvatConfig } from '../../src/config.js'
import { createLogger, type Logger } from '../../src/observability/logger.js'
import { CvatEmulator } from '../support/cvat-emulator.js'

// The provider against the CVAT emulation: every credential scheme and role, memberships across
// pages, outages, revocation and the cache. Time is a clock the tests move, so TTLs need no sleeps.

let cvat: CvatEmulator
let clock = 1_700_000_000_000

const basic = (user: string, password = `${user}-pw`) =>
  CvatCredential.fromHeaders(
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    null,
  ) as CvatCredential
const header = (authorization: string) => CvatCredential.fromHeaders(authorization, null) as CvatCredential
const personal: OrgSelector = { kind: 'personal' }
const slug = (s: string): OrgSelector => ({ kind: 'slug', slug: s })

function provider(
  overrides: Partial<CvatConfig> = {},
  pageSize?: number,
  log?: Logger,
): CvatIdentityProvider {
  return createCvatIdentityProvider({
    ...(log ? { log } : {}),
    config: {
      url: cvat.url,
      timeoutMs: 5_000,
      authTtlS: 60,
      authFailureTtlS: 10,
      authGraceS: 300,
      authCacheSize: 100,
      ...overrides,
    },
    now: () => clock,
    ...(pageSize === undefined ? {} : { pageSize }),
  })
}

function granted(outcome: CvatAccessOutcome) {
  if (outcome.kind !== 'granted') throw new Error(`expected access, got ${JSON.stringify(outcome)}`)
  return outcome.access
}

/** What the caller may see of events, by CVAT's rules. */
async function sees(p: CvatIdentityProvider, credential: CvatCredential, selector: OrgSelector) {
  const input = cvatInputOf(granted(await p.authenticate(credential, selector)))
  return input && cvatVisibility(input)
}

beforeAll(async () => {
  cvat = await CvatEmulator.start()
  cvat.addUser({ username: 'root', password: 'root-pw', superuser: true, groups: [] })
  cvat.addUser({ username: 'adm', password: 'adm-pw', groups: ['admin'] })
  for (const name of ['owner', 'maint', 'sup']) cvat.addUser({ username: name, password: `${name}-pw` })
  cvat.addUser({ username: 'wrk', password: 'wrk-pw', groups: ['worker'] })
  cvat.addUser({ username: 'nopriv', password: 'nopriv-pw', groups: [] })
  cvat.addOrganization({ slug: 'acme', name: 'Acme', owner: 'owner' })
  cvat.addOrganization({ slug: 'beta', owner: 'owner' })
  cvat.addMembership('acme', 'maint', 'maintainer')
  cvat.addMembership('acme', 'sup', 'supervisor')
  cvat.addMembership('acme', 'wrk', 'worker')
  cvat.addMembership('beta', 'wrk', 'supervisor', { active: false })
  cvat.addMembership('acme', 'nopriv', 'worker')
})
afterEach(async () => {
  await cvat.goUp()
})
afterAll(async () => {
  await cvat.stop()
})

describe('CVAT identity provider', () => {
  it('resolves the same identity from each credential scheme, forwarding only that credential', async () => {
    const p = provider()
    const key = cvat.issueLegacyKey('wrk')
    const pat = cvat.issueAccessToken('wrk')
    const { sessionid, csrftoken } = cvat.openSession('wrk')
    const credentials = {
      basic: basic('wrk'),
      token: header(`Token ${key}`),
      bearer: header(`Bearer ${pat}`),
      session: CvatCredential.fromHeaders(null, `theme=dark; csrftoken=${csrftoken}; sessionid=${sessionid}`),
    }
    for (const [kind, credential] of Object.entries(credentials)) {
      cvat.resetCounts()
      const resolution = await p.resolve(credential as CvatCredential)
      expect(resolution).toMatchObject({ kind: 'authenticated', from: 'cvat' })
      if (resolution.kind !== 'authenticated') continue
      expect(resolution.identity).toEqual({
        userId: String(cvat.state.user('wrk').id),
        username: 'wrk',
        email: 'wrk@example.com',
        privilege: 'worker',
        isSuperuser: false,
        hasAnalyticsAccess: false,
        memberships: [
          { orgId: String(cvat.state.organization('acme').id), slug: 'acme', name: 'Acme', role: 'worker' },
        ],
        credential: kind,
      })
      // self, memberships (one page), the one organization: each with the caller's credential alone.
      expect(cvat.requests.map((r) => [r.path, r.auth])).toEqual([
        ['/api/users/self', kind],
        ['/api/memberships', kind],
        [`/api/organizations/${cvat.state.organization('acme').id}`, kind],
      ])
      for (const request of cvat.requests) {
        expect(request.cookie).toBe(kind === 'session' ? `sessionid=${sessionid}` : undefined)
        expect(request.query.get('org')).toBeNull()
      }
    }
  })

  it('shows a worker its own events in its organization, an owner the organization, an admin everything', async () => {
    const p = provider()
    const acme = String(cvat.state.organization('acme').id)
    const own = (name: string) => ({ userId: String(cvat.state.user(name).id), userName: name })
    expect(await sees(p, basic('wrk'), slug('acme'))).toEqual({ orgId: acme, ...own('wrk') })
    expect(await sees(p, basic('sup'), slug('acme'))).toEqual({ orgId: acme, ...own('sup') })
    expect(await sees(p, basic('maint'), slug('acme'))).toEqual({ orgId: acme })
    expect(await sees(p, basic('owner'), slug('acme'))).toEqual({ orgId: acme })
    expect(await sees(p, basic('owner'), personal)).toEqual(own('owner'))
    expect(await sees(p, basic('root'), personal)).toEqual({})
    expect(await sees(p, basic('adm'), personal)).toEqual({})
    expect(await sees(p, basic('root'), slug('acme'))).toEqual({ orgId: acme })
  })

  it('gives a user without a CVAT role the right to send events but not to see them', async () => {
    const access = granted(await provider().authenticate(basic('nopriv'), slug('acme')))
    expect(access.orgRole).toBe('worker')
    const input = cvatInputOf(access)
    expect(input && cvatMay('send', input)).toEqual({ allowed: true })
    expect(input && cvatVisibility(input)).toBeNull()
  })

  it('refuses events from a personal access token and lets it read', async () => {
    const access = granted(
      await provider().authenticate(header(`Bearer ${cvat.issueAccessToken('sup')}`), personal),
    )
    const input = cvatInputOf(access)
    expect(input && cvatMay('send', input).allowed).toBe(false)
    expect(input && cvatMay('export', input).allowed).toBe(true)
    expect(access.principal.token).toEqual({ id: 'cvat-pat', kind: 'read' })
  })

  it('gives an inactive membership no organization context', async () => {
    expect(await provider().authenticate(basic('wrk'), slug('beta'))).toEqual({
      kind: 'forbidden',
      message: "organization 'beta' does not exist or you are not an active member of it",
    })
  })

  it('lets a superuser enter an organization it is not in, and no other admin', async () => {
    const p = provider()
    const beta = cvat.state.organization('beta')
    const access = granted(await p.authenticate(basic('root'), slug('beta')))
    expect(access.org).toEqual({ id: String(beta.id), slug: 'beta', name: 'beta' })
    expect(access.orgRole).toBeNull()
    expect(granted(await p.authenticate(basic('root'), { kind: 'id', id: String(beta.id) })).org?.slug).toBe(
      'beta',
    )
    expect(await p.authenticate(basic('root'), slug('nowhere'))).toEqual({
      kind: 'forbidden',
      message: "organization 'nowhere' does not exist",
    })
    expect((await p.authenticate(basic('adm'), slug('beta'))).kind).toBe('forbidden')
  })

  it('keeps an admin to its own memberships, although CVAT lists every membership to admins', async () => {
    // An admin of its own: the membership must not reach the tests that use `adm`.
    cvat.addUser({ username: 'adm-member', password: 'adm-member-pw', groups: ['admin'] })
    cvat.addMembership('beta', 'adm-member', 'maintainer')
    const resolution = await provider().resolve(basic('adm-member'))
    expect(resolution.kind === 'authenticated' && resolution.identity.memberships.map((m) => m.slug)).toEqual(
      ['beta'],
    )
  })

  it('reads memberships across pages', async () => {
    cvat.addUser({ username: 'many', password: 'many-pw' })
    for (let i = 0; i < 5; i++) {
      cvat.addOrganization({ slug: `org${i}`, owner: 'owner' })
      cvat.addMembership(`org${i}`, 'many', i % 2 ? 'worker' : 'supervisor')
    }
    cvat.resetCounts()
    const resolution = await provider({}, 2).resolve(basic('many'))
    expect(resolution.kind === 'authenticated' && resolution.identity.memberships.map((m) => m.slug)).toEqual(
      ['org0', 'org1', 'org2', 'org3', 'org4'],
    )
    const pages = cvat.requests.filter((r) => r.path === '/api/memberships')
    expect(pages.map((r) => [r.query.get('page'), r.query.get('page_size'), r.query.get('user')])).toEqual([
      ['1', '2', 'many'],
      ['2', '2', 'many'],
      ['3', '2', 'many'],
    ])
  })

  it('answers a wrong password with unauthenticated and remembers it briefly', async () => {
    const p = provider()
    cvat.resetCounts()
    const wrong = { kind: 'unauthenticated', detail: 'Invalid username/password.' }
    expect(await p.authenticate(basic('wrk', 'guess'), personal)).toEqual(wrong)
    expect(await p.authenticate(basic('wrk', 'guess'), personal)).toEqual(wrong)
    expect(cvat.count()).toBe(1)
    clock += 11_000
    expect(await p.authenticate(basic('wrk', 'guess'), personal)).toEqual(wrong)
    expect(cvat.count()).toBe(2)
    expect(p.stats()).toMatchObject({ lookups: 3, cacheHits: 1, cvatLookups: 2, cvatRejections: 2 })
  })

  it('serves a cached caller while CVAT is down and tells a new caller CVAT is unavailable', async () => {
    const p = provider()
    expect((await p.resolve(basic('sup'))).kind).toBe('authenticated')
    await cvat.goDown()
    clock += 61_000 // past the TTL: the provider asks CVAT, which does not answer
    expect(await p.resolve(basic('sup'))).toMatchObject({ kind: 'authenticated', from: 'grace' })
    expect(await p.resolve(basic('maint'))).toEqual({
      kind: 'unavailable',
      reason: 'unreachable',
      retryAfterS: 5,
    })
    clock += 300_000 // past TTL + grace
    expect(await p.resolve(basic('sup'))).toMatchObject({ kind: 'unavailable', reason: 'unreachable' })
    expect(p.stats()).toMatchObject({ cvatFailures: 3, graceHits: 1, unavailable: 2 })
  })

  it('treats a CVAT answering 5xx as unavailable, never as a wrong password', async () => {
    const p = provider()
    expect((await p.resolve(basic('owner'))).kind).toBe('authenticated')
    cvat.fail(503)
    clock += 61_000
    expect(await p.resolve(basic('owner'))).toMatchObject({ kind: 'authenticated', from: 'grace' })
    expect(await p.resolve(basic('sup'))).toMatchObject({ kind: 'unavailable', reason: 'server-error' })
  })

  it('gives up on a CVAT that hangs after the timeout, and serves cached callers at once for a while', async () => {
    const p = provider({ timeoutMs: 300 })
    expect((await p.resolve(basic('maint'))).kind).toBe('authenticated')
    cvat.hang()
    clock += 61_000
    const started = Date.now()
    expect(await p.resolve(basic('wrk'))).toMatchObject({ kind: 'unavailable', reason: 'timeout' })
    expect(Date.now() - started).toBeLessThan(3_000)
    cvat.resetCounts()
    expect(await p.resolve(basic('maint'))).toMatchObject({ kind: 'authenticated', from: 'grace' })
    expect(cvat.count()).toBe(0) // CVAT failed moments ago: no second wait for the cached caller
  })

  it('stops accepting a revoked token within the TTL', async () => {
    const p = provider()
    const pat = cvat.issueAccessToken('owner')
    expect((await p.resolve(header(`Bearer ${pat}`))).kind).toBe('authenticated')
    cvat.revokeAccessToken(pat)
    clock += 59_000
    expect(await p.resolve(header(`Bearer ${pat}`))).toMatchObject({ kind: 'authenticated', from: 'cache' })
    clock += 2_000
    expect(await p.resolve(header(`Bearer ${pat}`))).toEqual({
      kind: 'unauthenticated',
      detail: 'Invalid token.',
    })
    // Its cached identity is gone: an outage now does not bring it back.
    await cvat.goDown()
    clock += 11_000
    expect((await p.resolve(header(`Bearer ${pat}`))).kind).toBe('unavailable')
  })

  it('drops an organization context within the TTL of the membership being deactivated', async () => {
    const p = provider()
    cvat.addUser({ username: 'leaver', password: 'leaver-pw' })
    cvat.addMembership('acme', 'leaver', 'worker')
    expect((await p.authenticate(basic('leaver'), slug('acme'))).kind).toBe('granted')
    cvat.setMembershipActive('acme', 'leaver', false)
    clock += 61_000
    expect((await p.authenticate(basic('leaver'), slug('acme'))).kind).toBe('forbidden')
  })

  it('stops accepting a closed session within the TTL', async () => {
    const p = provider()
    const { sessionid } = cvat.openSession('sup')
    const session = CvatCredential.fromHeaders(null, `sessionid=${sessionid}`) as CvatCredential
    expect((await p.resolve(session)).kind).toBe('authenticated')
    cvat.closeSession(sessionid)
    clock += 61_000
    expect(await p.resolve(session)).toEqual({
      kind: 'unauthenticated',
      detail: 'Authentication credentials were not provided.',
    })
  })

  it('shares one CVAT look-up among concurrent identical look-ups', async () => {
    const p = provider()
    cvat.resetCounts()
    const results = await Promise.all(Array.from({ length: 10 }, () => p.resolve(basic('owner'))))
    expect(results.every((r) => r.kind === 'authenticated')).toBe(true)
    expect(cvat.count('/api/users/self')).toBe(1)
    expect(p.stats()).toMatchObject({ lookups: 10, cvatLookups: 1, sharedLookups: 9 })
    expect(await p.resolve(basic('owner'))).toMatchObject({ from: 'cache' })
    expect(p.stats()).toMatchObject({ cacheHits: 1, cachedIdentities: 1 })
  })

  it('logs CVAT failures without the credential', async () => {
    const lines: string[] = []
    const p = provider(
      {},
      undefined,
      createLogger('debug', (line) => lines.push(line)),
    )
    const key = cvat.issueLegacyKey('owner')
    await cvat.goDown()
    expect((await p.resolve(header(`Token ${key}`))).kind).toBe('unavailable')
    expect((await p.resolve(basic('owner', 'hunter2-secret'))).kind).toBe('unavailable')
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'warn',
      reason: 'unreachable',
      credential: 'token',
    })
    const text = lines.join('')
    for (const secret of [key, 'hunter2-secret', Buffer.from('owner:hunter2-secret').toString('base64')]) {
      expect(text).not.toContain(secret)
    }
  })

  it('bounds the cache, and a flood of wrong passwords does not push cached callers out', async () => {
    const p = provider({ authCacheSize: 10 })
    expect((await p.resolve(basic('sup'))).kind).toBe('authenticated')
    for (let i = 0; i < 20; i++)
      expect((await p.resolve(basic('sup', `guess-${i}`))).kind).toBe('unauthenticated')
    expect(await p.resolve(basic('sup'))).toMatchObject({ kind: 'authenticated', from: 'cache' })
    for (let i = 0; i < 12; i++) await p.resolve(header(`Bearer ${cvat.issueAccessToken('sup')}`))
    expect(p.stats().cachedIdentities).toBe(10)
  })
})
