import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { watchAccess } from '../../src/auth/revalidation.js'
import type { AppError } from '../../src/errors.js'
import {
  EventsDocument,
  LogEventsDocument,
  StartExportDocument,
  ViewerDocument,
  type EventFilter,
} from '../../src/gql/graphql.js'
import type { CvatEmulator } from '../support/cvat-emulator.js'
import {
  asCvat,
  CVAT_ORGS,
  CVAT_PEOPLE,
  cvatBasic,
  frameBatch,
  startCvatWorld,
  type CvatPerson,
  type CvatWorld,
} from '../support/cvat-world.js'
import { csvObjects, exportViaRest } from '../support/export-helpers.js'
import { addGrafanaToken, as, basic, bearer, credentialsFrom, TOKENS } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'
import type { TestApp } from '../support/app.js'

// The service with CVAT_URL pointing at the CVAT emulation: every credential scheme, CVAT's roles
// on every read path (GraphQL, REST ingest, the export flow), the accounts file first, revocation.

let world: CvatWorld
let t: TestApp
let cvat: CvatEmulator
const since = new Date(Date.now() - 3_600_000).toISOString()
const id = (person: CvatPerson) => String(CVAT_PEOPLE[person].id)

beforeAll(async () => {
  // A TTL of 1 s, so revocation shows within a test's patience.
  world = await startCvatWorld({ CVAT_AUTH_TTL_S: '1' })
  ;({ t, cvat } = world)
  // History: each lab member sends a batch in lab; otto one in far; wes one in their own workspace.
  const sends: [CvatPerson, string | undefined, number][] = [
    ['wes', 'lab', 501],
    ['owen', 'lab', 502],
    ['sam', 'lab', 503],
    ['nina', 'lab', 504],
    ['otto', 'far', 601],
    ['wes', undefined, 701],
  ]
  for (const [person, org, job] of sends) {
    const res = await t.request('POST', '/api/events', {
      headers: asCvat(person, org),
      body: frameBatch(job),
    })
    expect(res.status, `${person} sends in ${org ?? 'their workspace'}`).toBe(201)
  }
})
afterAll(async () => {
  await world.stop()
})

async function eventsSeen(headers: Record<string, string>, filter: EventFilter = {}) {
  const result = await graphql(
    t,
    EventsDocument,
    { filter: { from: since, ...filter }, first: 1000 },
    headers,
  )
  return { result, nodes: result.data?.events.edges.map((e) => e.node) ?? [] }
}

const pairs = (nodes: { userId: string | null; orgId: string | null }[]) =>
  new Set(nodes.map((n) => `${n.userId}@${n.orgId ?? '-'}`))

describe('signing in with CVAT credentials', () => {
  it("accepts each of CVAT's schemes and says the identity came from CVAT", async () => {
    const key = cvat.issueLegacyKey('wes')
    const pat = cvat.issueAccessToken('wes')
    const { sessionid } = cvat.openSession('wes')
    const schemes = [
      ['BASIC', { authorization: cvatBasic('wes') }],
      ['TOKEN', { authorization: `Token ${key}` }],
      ['BEARER', { authorization: `Bearer ${pat}` }],
      ['SESSION', { cookie: `theme=dark; sessionid=${sessionid}` }],
    ] as const
    for (const [credential, headers] of schemes) {
      // A GET: a cookie needs no CSRF token on a request that changes nothing.
      const query = encodeURIComponent(
        '{ viewer { userId username role source tokenKind cvat { privilege credential memberships { orgId slug role } } } }',
      )
      const res = await t.request('GET', `/graphql?query=${query}`, { headers })
      expect(res.status, credential).toBe(200)
      const body = (await res.json()) as { data: { viewer: unknown } }
      expect(body.data.viewer, credential).toEqual({
        userId: id('wes'),
        username: 'wes',
        role: 'worker',
        source: 'CVAT',
        tokenKind: credential === 'BEARER' ? 'read' : null,
        cvat: {
          privilege: 'worker',
          credential,
          memberships: [{ orgId: String(CVAT_ORGS.lab), slug: 'lab', role: 'worker' }],
        },
      })
    }
  })

  it("answers 401 with CVAT's reason for a wrong password, and does not ask CVAT again for a while", async () => {
    const wrong = { authorization: cvatBasic('sam', 'not-it') }
    const first = await t.request('POST', '/api/events', { headers: wrong, body: frameBatch(1) })
    expect(first.status).toBe(401)
    expect(first.headers.get('www-authenticate')).toMatch(/^Basic/)
    expect(await first.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringContaining('Invalid username/password.') as string,
    })
    const asked = cvat.count('/api/users/self')
    const again = await graphql(t, ViewerDocument, {}, wrong)
    expect(again.status).toBe(401)
    expect(codeOf(again)).toBe('UNAUTHENTICATED')
    expect(cvat.count('/api/users/self')).toBe(asked)
  })

  it('keeps the accounts file first: its users and tokens work, and its names never reach CVAT', async () => {
    cvat.resetCounts()
    // CVAT has a walt too; the accounts file's walt wins the name, so CVAT's password is wrong here.
    const cvatWalt = await graphql(t, ViewerDocument, {}, { authorization: cvatBasic('walt') })
    expect(cvatWalt.status).toBe(401)
    for (const headers of [as('walt', 'acme'), { authorization: bearer(TOKENS.waltRead) }, as('admin')]) {
      const viewer = expectOk(await graphql(t, ViewerDocument, {}, headers)).viewer
      expect(viewer).toMatchObject({ source: 'ACCOUNTS_FILE', cvat: null })
    }
    // Our own tokens are never forwarded, not even unknown or revoked ones.
    for (const authorization of [
      bearer('aat_not-a-token-we-issued-0123456789abcdef'),
      'Token aat_not-ours-either-0123456789abcdef',
    ]) {
      expect((await graphql(t, ViewerDocument, {}, { authorization })).status).toBe(401)
    }
    expect(cvat.count()).toBe(0)
  })
})

describe("CVAT's access rules on every read path", () => {
  it('shows a CVAT worker only their own events in their organization', async () => {
    const { result, nodes } = await eventsSeen(asCvat('wes', 'lab'))
    expectOk(result)
    expect(nodes.length).toBeGreaterThan(0)
    expect(pairs(nodes)).toEqual(new Set([`${id('wes')}@${CVAT_ORGS.lab}`]))
    const other = await eventsSeen(asCvat('wes', 'lab'), { userIds: [id('owen')] })
    expect(other.result.status).toBe(403)
    expect(codeOf(other.result)).toBe('FORBIDDEN')
  })

  it("shows an organization's owner the organization's events, and a supervisor their own there", async () => {
    const owner = await eventsSeen(asCvat('owen', 'lab'))
    expect(pairs(owner.nodes)).toEqual(
      new Set((['wes', 'owen', 'sam', 'nina'] as const).map((p) => `${id(p)}@${CVAT_ORGS.lab}`)),
    )
    const supervisor = await eventsSeen(asCvat('sam', 'lab'))
    expect(pairs(supervisor.nodes)).toEqual(new Set([`${id('sam')}@${CVAT_ORGS.lab}`]))
  })

  it('shows a CVAT admin everything, and one organization when in it', async () => {
    const all = pairs((await eventsSeen(asCvat('cora'))).nodes)
    for (const expected of [
      `${id('otto')}@${CVAT_ORGS.far}`,
      `${id('wes')}@-`,
      `${id('nina')}@${CVAT_ORGS.lab}`,
    ]) {
      expect(all).toContain(expected)
    }
    // cora is no member of far: CVAT lets only superusers in there, and cora is an admin by group.
    const res = await graphql(t, ViewerDocument, {}, asCvat('cora', 'far'))
    expect(res.status).toBe(403)
  })

  it('shows a user without an organization their own events across organizations', async () => {
    const { nodes } = await eventsSeen(asCvat('wes'))
    expect(pairs(nodes)).toEqual(new Set([`${id('wes')}@${CVAT_ORGS.lab}`, `${id('wes')}@-`]))
  })

  it('lets a user without an organization context name an organization CVAT says they belong to, and no other', async () => {
    const own = await eventsSeen(asCvat('wes'), { orgIds: [String(CVAT_ORGS.lab)] })
    expect(pairs(own.nodes)).toEqual(new Set([`${id('wes')}@${CVAT_ORGS.lab}`]))
    const other = await eventsSeen(asCvat('wes'), { orgIds: [String(CVAT_ORGS.far)] })
    expect(codeOf(other.result)).toBe('FORBIDDEN')
  })

  it('lets a user without a CVAT role send events but not read them, as CVAT', async () => {
    const sent = await graphql(
      t,
      LogEventsDocument,
      {
        batch: {
          events: [{ scope: 'change:frame', timestamp: new Date().toISOString(), jobId: '504' }],
          timestamp: new Date().toISOString(),
        },
      },
      asCvat('nina', 'lab'),
    )
    expect(expectOk(sent).logEvents).toMatchObject({ __typename: 'LogEventsSuccess', stored: 1 })
    const { result } = await eventsSeen(asCvat('nina', 'lab'))
    expect(result.status).toBe(403)
    expect(result.errors?.[0]?.message).toMatch(/no global role in CVAT/)
    const viewer = expectOk(await graphql(t, ViewerDocument, {}, asCvat('nina', 'lab'))).viewer
    expect(viewer).toMatchObject({ role: null, orgRole: 'worker', cvat: { privilege: null } })
  })

  it("places requests in organizations by CVAT's rules: org, X-Organization or org_id", async () => {
    const viewerIn = async (query: string, headers: Record<string, string>) => {
      const res = await t.request(
        'GET',
        `/graphql?${query}&query=${encodeURIComponent('{ viewer { orgSlug orgRole } }')}`,
        { headers },
      )
      return { status: res.status, body: (await res.json()) as unknown }
    }
    const expected = { status: 200, body: { data: { viewer: { orgSlug: 'lab', orgRole: 'supervisor' } } } }
    expect(await viewerIn(`org_id=${CVAT_ORGS.lab}`, asCvat('sam'))).toEqual(expected)
    expect(await viewerIn('org=lab', asCvat('sam'))).toEqual(expected)
    expect(await viewerIn('org=lab', asCvat('sam', 'lab'))).toEqual(expected)
    // Conflicting inputs are 400 naming the parameter, as in CVAT.
    for (const [query, field] of [
      ['org=far', 'org'],
      [`org_id=${CVAT_ORGS.lab}`, 'org_id'],
    ] as const) {
      const res = await t.request('GET', `/api/events?${query}`, { headers: asCvat('sam', 'lab') })
      expect(res.status, query).toBe(400)
      expect(await res.json()).toMatchObject({ code: 'BAD_USER_INPUT', field })
    }
    // Not a member; an invitation not yet accepted; an organization that does not exist.
    for (const [person, org] of [
      ['sam', 'far'],
      ['wes', 'far'],
      ['owen', 'nowhere'],
    ] as const) {
      const res = await graphql(t, ViewerDocument, {}, asCvat(person, org))
      expect(res.status, `${person} in ${org}`).toBe(403)
      expect(codeOf(res)).toBe('FORBIDDEN')
    }
  })

  it('refuses events from a personal access token, and lets it read and export, as CVAT', async () => {
    const pat = { authorization: `Bearer ${cvat.issueAccessToken('owen')}`, 'x-organization': 'lab' }
    const rest = await t.request('POST', '/api/events', { headers: pat, body: frameBatch(502) })
    expect(rest.status).toBe(403)
    expect(await rest.json()).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('personal access tokens may not send events') as string,
    })
    const gql = await graphql(
      t,
      LogEventsDocument,
      {
        batch: {
          events: [{ scope: 'change:frame', timestamp: new Date().toISOString() }],
          timestamp: new Date().toISOString(),
        },
      },
      pat,
    )
    expect(codeOf(gql)).toBe('FORBIDDEN')
    expect((await eventsSeen(pat)).nodes.length).toBeGreaterThan(1)
    const started = await t.request('POST', '/api/events/export?org=lab', { headers: pat })
    expect(started.status).toBe(202)
  })

  it("exports by CVAT's flow what each role may see", async () => {
    const owner = await exportViaRest(t, 'org=lab', asCvat('owen'))
    const ownerRows = csvObjects(await (await owner.download()).text()).rows
    expect(new Set(ownerRows.map((r) => r.org_id))).toEqual(new Set([String(CVAT_ORGS.lab)]))
    expect(new Set(ownerRows.map((r) => r.user_id))).toEqual(
      new Set((['wes', 'owen', 'sam', 'nina'] as const).map(id)),
    )
    const worker = await exportViaRest(t, `org_id=${CVAT_ORGS.lab}`, asCvat('wes'))
    const workerRows = csvObjects(await (await worker.download()).text()).rows
    expect(workerRows.length).toBeGreaterThan(0)
    expect(workerRows.every((r) => r.user_id === id('wes') && r.org_id === String(CVAT_ORGS.lab))).toBe(true)
    // The export is its owner's: another CVAT user does not see it.
    const peek = await t.request('GET', `/api/requests/${worker.queryId}`, { headers: asCvat('owen', 'lab') })
    expect(peek.status).toBe(404)
    const viaGraphql = await graphql(
      t,
      StartExportDocument,
      { filter: { from: since } },
      asCvat('sam', 'lab'),
    )
    expect(expectOk(viaGraphql).startExport.queryId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('stamps events with the CVAT identity and organization, never with what the body says', async () => {
    const body = frameBatch(555)
    const res = await t.request('POST', '/api/events', {
      headers: asCvat('sam', 'lab'),
      body: { ...body, events: body.events.map((e) => ({ ...e, user_id: 1, org_id: 7 })) },
    })
    expect(res.status).toBe(201)
    const stored = await t.events('job_id = 555')
    expect(stored.map((e) => [e.user_id, e.user_name, e.user_email, e.org_id, e.org_slug])).toContainEqual([
      id('sam'),
      'sam',
      'sam@example.com',
      String(CVAT_ORGS.lab),
      'lab',
    ])
  })
})

describe('revocation', () => {
  it('stops accepting a revoked token and an ended session within CVAT_AUTH_TTL_S', async () => {
    const token = cvat.issueAccessToken('sam')
    const { sessionid } = cvat.openSession('sam')
    const headers: Record<string, string>[] = [
      { authorization: `Bearer ${token}` },
      { cookie: `sessionid=${sessionid}` },
    ]
    const viewer = (h: Record<string, string>) =>
      t.request('GET', `/graphql?query=${encodeURIComponent('{ viewer { username } }')}`, { headers: h })
    for (const h of headers) expect((await viewer(h)).status).toBe(200)
    cvat.revokeAccessToken(token)
    cvat.closeSession(sessionid)
    for (const h of headers) {
      await expect.poll(async () => (await viewer(h)).status, { timeout: 5_000, interval: 200 }).toBe(401)
    }
  })

  it('tells a live connection when CVAT stops recognising its credentials, within the TTL', async () => {
    const token = cvat.issueAccessToken('wes')
    const credentials = credentialsFrom({ authorization: `Bearer ${token}`, 'x-organization': 'lab' })
    const access = await t.app.services.auth.access(credentials)
    const lost: AppError[] = []
    const watch = watchAccess({ auth: t.app.services.auth, credentials, access, onLost: (e) => lost.push(e) })
    try {
      // Two rechecks reach CVAT with the token: the second is scheduled only once the first found
      // the access unchanged, so by then a recheck has run and lost nothing.
      const rechecks = () =>
        cvat.requests.filter((r) => r.path === '/api/users/self' && r.authorization === `Bearer ${token}`)
          .length
      const start = rechecks()
      await expect.poll(rechecks, { timeout: 10_000, interval: 100 }).toBeGreaterThanOrEqual(start + 2)
      expect(lost).toEqual([])
      cvat.revokeAccessToken(token)
      await expect.poll(() => lost.length, { timeout: 5_000, interval: 100 }).toBe(1)
      expect(lost[0]?.code).toBe('UNAUTHENTICATED')
    } finally {
      watch.stop()
    }
  })

  it('tells a live connection when its organization role changes', async () => {
    const credentials = credentialsFrom(asCvat('nina', 'lab'))
    const access = await t.app.services.auth.access(credentials)
    const lost: AppError[] = []
    const watch = watchAccess({ auth: t.app.services.auth, credentials, access, onLost: (e) => lost.push(e) })
    try {
      cvat.state.membership('lab', 'nina').role = 'maintainer'
      await expect.poll(() => lost.length, { timeout: 5_000, interval: 100 }).toBe(1)
      expect(lost[0]?.code).toBe('FORBIDDEN')
    } finally {
      watch.stop()
      cvat.state.membership('lab', 'nina').role = 'worker'
    }
  })
})

describe('the accounts-file path under CVAT_URL', () => {
  it('delegates a grafana token to accounts-file users only, so a user known only to CVAT is 403', async () => {
    const token = 'aat_test-cvat-grafana-token-0123456789abcdef'
    await addGrafanaToken(t, token)
    cvat.resetCounts()
    const delegated = (user: string) => ({ authorization: `Bearer ${token}`, 'x-grafana-user': user })
    const cvatOnly = await graphql(t, ViewerDocument, {}, delegated('owen'))
    expect(cvatOnly.status).toBe(403)
    expect(cvatOnly.errors?.[0]?.message).toMatch(/no user 'owen' here/)
    expect(expectOk(await graphql(t, ViewerDocument, {}, delegated('walt'))).viewer).toMatchObject({
      username: 'walt',
      tokenKind: 'grafana',
      source: 'ACCOUNTS_FILE',
    })
    expect(cvat.count()).toBe(0)
  })

  it('reads org_id as the organization context too', async () => {
    const res = await t.request(
      'GET',
      `/graphql?org_id=7&query=${encodeURIComponent('{ viewer { orgSlug orgRole source } }')}`,
      {
        headers: { authorization: basic('walt') },
      },
    )
    expect(await res.json()).toEqual({
      data: { viewer: { orgSlug: 'acme', orgRole: 'worker', source: 'ACCOUNTS_FILE' } },
    })
  })
})
