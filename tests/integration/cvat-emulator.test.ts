import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { CvatEmulator } from '../support/cvat-emulator.js'

// The emulation stands in for CVAT in the identity tests, so it is checked against the facts of
// docs/identity.md#what-the-service-relies-on-about-cvats-identity first: a test of the provider is
// only as good as its CVAT.

let cvat: CvatEmulator
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
const ACCEPT = 'application/vnd.cvat+json'

/** The fields of CVAT's bodies these tests look at: a page, a `detail`, or one row. */
interface Body {
  readonly detail?: string
  readonly count: number
  readonly next: string | null
  readonly previous: string | null
  readonly results: Row[]
}
interface Row {
  readonly organization: number
  readonly is_active: boolean
  readonly slug: string
  readonly user: { readonly username: string }
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${cvat.url}${path}`, { headers: { accept: ACCEPT, ...headers } })
  return { status: res.status, type: res.headers.get('content-type'), res, body: (await res.json()) as Body }
}

beforeAll(async () => {
  cvat = await CvatEmulator.start()
  cvat.addUser({ username: 'root', password: 'root-pw', superuser: true, groups: [] })
  cvat.addUser({ username: 'owner', password: 'owner-pw' })
  cvat.addUser({ username: 'ann', password: 'ann-pw', groups: ['worker'] })
  cvat.addUser({ username: 'bob', password: 'bob-pw', groups: ['user'] })
  cvat.addOrganization({ slug: 'acme', owner: 'owner' })
  cvat.addOrganization({ slug: 'other', owner: 'owner' })
  cvat.addMembership('acme', 'ann', 'worker')
  cvat.addMembership('other', 'ann', 'supervisor', { active: false })
  cvat.addMembership('acme', 'bob', 'maintainer')
})
afterAll(async () => {
  await cvat.stop()
})

describe('CVAT emulation', () => {
  it('answers /api/users/self for each credential scheme, in vnd.cvat+json', async () => {
    const key = cvat.issueLegacyKey('ann')
    const pat = cvat.issueAccessToken('ann')
    const { sessionid } = cvat.openSession('ann')
    const schemes: Record<string, string>[] = [
      { authorization: basic('ann', 'ann-pw') },
      { authorization: `Token ${key}` },
      { authorization: `Bearer ${pat}` },
      { cookie: `csrftoken=x; sessionid=${sessionid}` },
    ]
    for (const headers of schemes) {
      const { status, type, body } = await get('/api/users/self', headers)
      expect(status).toBe(200)
      expect(type).toBe('application/vnd.cvat+json')
      expect(body).toMatchObject({
        username: 'ann',
        groups: ['worker'],
        is_superuser: false,
        is_active: true,
      })
    }
    expect(pat).toMatch(/^[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}$/)
  })

  it('answers 401 with CVAT detail texts and WWW-Authenticate: Token', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'Authentication credentials were not provided.'],
      [{ cookie: 'sessionid=nope' }, 'Authentication credentials were not provided.'],
      [{ authorization: basic('ann', 'wrong') }, 'Invalid username/password.'],
      [{ authorization: 'Token nope' }, 'Invalid token.'],
      [{ authorization: 'Bearer nope.nope' }, 'Invalid token.'],
      [{ authorization: 'Token' }, 'Invalid token header. No credentials provided.'],
    ]
    for (const [headers, detail] of cases) {
      const { status, body, res } = await get('/api/users/self', headers)
      expect({ status, body }).toEqual({ status: 401, body: { detail } })
      expect(res.headers.get('www-authenticate')).toBe('Token')
    }
  })

  it('stops accepting a revoked access token and a logged-out key', async () => {
    const pat = cvat.issueAccessToken('bob')
    const key = cvat.issueLegacyKey('bob')
    cvat.revokeAccessToken(pat)
    cvat.revokeLegacyKey(key)
    expect((await get('/api/users/self', { authorization: `Bearer ${pat}` })).body).toEqual({
      detail: 'Invalid token.',
    })
    expect((await get('/api/users/self', { authorization: `Token ${key}` })).status).toBe(401)
  })

  it('refuses an Accept of only application/json with 406', async () => {
    const res = await fetch(`${cvat.url}/api/users/self`, {
      headers: { accept: 'application/json', authorization: basic('ann', 'ann-pw') },
    })
    expect(res.status).toBe(406)
  })

  it('shows a non-admin its own active memberships in the personal workspace', async () => {
    const { body } = await get('/api/memberships', { authorization: basic('ann', 'ann-pw') })
    expect(body.count).toBe(1)
    expect(body.results[0]).toMatchObject({
      organization: 1,
      role: 'worker',
      is_active: true,
      user: { username: 'ann' },
    })
  })

  it('shows an admin every membership, narrowed by user=', async () => {
    const all = await get('/api/memberships', { authorization: basic('root', 'root-pw') })
    expect(all.body.count).toBe(5)
    const ann = await get('/api/memberships?user=ann', { authorization: basic('root', 'root-pw') })
    expect(ann.body.results.map((m) => [m.organization, m.is_active])).toEqual([
      [1, true],
      [2, false],
    ])
  })

  it('applies org context: staff see inactive members, non-members get 403, unknown 404, conflicts 400', async () => {
    const asBob = { authorization: basic('bob', 'bob-pw') }
    const asAnn = { authorization: basic('ann', 'ann-pw') }
    expect((await get('/api/memberships?org=acme', asBob)).body.count).toBe(3)
    expect((await get('/api/memberships?org=other', asAnn)).status).toBe(403)
    expect((await get('/api/memberships?org=nowhere', asAnn)).body).toEqual({
      detail: 'nowhere organization does not exist.',
    })
    expect((await get('/api/memberships?org=acme', { ...asAnn, 'x-organization': 'other' })).status).toBe(400)
    expect((await get('/api/memberships?org_id=1&org=acme', asAnn)).status).toBe(400)
    expect((await get('/api/memberships?org=', asAnn)).body.count).toBe(0)
  })

  it('paginates with page and page_size (default 10), next and previous links', async () => {
    // A CVAT of its own: its dozen memberships must not reach the other tests' listings.
    const shared = cvat
    cvat = await CvatEmulator.start()
    onTestFinished(async () => {
      await cvat.stop()
      cvat = shared
    })
    cvat.addUser({ username: 'root', password: 'root-pw', superuser: true, groups: [] })
    cvat.addUser({ username: 'owner', password: 'owner-pw' })
    cvat.addOrganization({ slug: 'acme', owner: 'owner' })
    for (let i = 0; i < 12; i++) {
      cvat.addUser({ username: `u${i}`, password: 'pw' })
      cvat.addMembership('acme', `u${i}`, 'worker')
    }
    const asRoot = { authorization: basic('root', 'root-pw') }
    const first = await get('/api/memberships', asRoot)
    expect(first.body.results).toHaveLength(10)
    expect(first.body.previous).toBeNull()
    expect(first.body.next).toBe(`${cvat.url}/api/memberships?page=2`)
    const second = await get('/api/memberships?page=2', asRoot)
    expect(second.body.results).toHaveLength(first.body.count - 10)
    expect(second.body.next).toBeNull()
    expect(second.body.previous).toBe(`${cvat.url}/api/memberships`)
    expect((await get('/api/memberships?page_size=all', asRoot)).body.results).toHaveLength(first.body.count)
    expect((await get('/api/memberships?page=9', asRoot)).body).toEqual({ detail: 'Invalid page.' })
  })

  it('shows organizations by CVAT rules, and one by id to anyone with a membership row', async () => {
    const asAnn = { authorization: basic('ann', 'ann-pw') }
    expect((await get('/api/organizations', asAnn)).body.results.map((o) => o.slug)).toEqual(['acme'])
    expect((await get('/api/organizations', { authorization: basic('root', 'root-pw') })).body.count).toBe(2)
    expect((await get('/api/organizations/2', asAnn)).body).toMatchObject({ id: 2, slug: 'other' })
    expect((await get('/api/organizations/2', { authorization: basic('bob', 'bob-pw') })).status).toBe(403)
    expect((await get('/api/organizations/99', asAnn)).status).toBe(404)
  })

  it('fails with 5xx, refuses connections when down, and counts requests', async () => {
    cvat.resetCounts()
    cvat.fail(502)
    expect((await fetch(`${cvat.url}/api/users/self`)).status).toBe(502)
    await cvat.goDown()
    const refused = (await fetch(`${cvat.url}/api/users/self`).catch((e: unknown) => e)) as Error
    expect((refused.cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED')
    await cvat.goUp()
    expect((await get('/api/users/self', { authorization: basic('ann', 'ann-pw') })).status).toBe(200)
    expect(cvat.count('/api/users/self')).toBe(2)
  })
})
