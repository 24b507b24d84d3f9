import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { ViewerDocument } from '../../src/gql/graphql.js'
import type { TestApp } from '../support/app.js'
import type { CvatEmulator } from '../support/cvat-emulator.js'
import { asCvat, frameBatch, startCvatWorld, type CvatWorld } from '../support/cvat-world.js'
import { as, SCRAPER } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'

// A browser on CVAT's pages (the sessionid cookie, CSRF, CORS), CVAT outages, and what /metrics
// says about CVAT look-ups.

const FRONTEND = 'https://frontend.example'
let world: CvatWorld
let t: TestApp
let cvat: CvatEmulator

beforeAll(async () => {
  world = await startCvatWorld({ CORS_ORIGINS: FRONTEND, CVAT_TIMEOUT_MS: '500', TRUST_PROXY: 'true' })
  ;({ t, cvat } = world)
})
afterEach(async () => {
  await cvat.goUp()
})
afterAll(async () => {
  await world.stop()
})

/** A browser signed in to CVAT as `person`, on a page served from CVAT's host. */
function browser(person: 'wes' | 'owen' | 'sam') {
  const { sessionid, csrftoken } = cvat.openSession(person)
  return {
    cookie: `csrftoken=${csrftoken}; sessionid=${sessionid}`,
    csrftoken,
    headers(extra: Record<string, string> = {}) {
      return { cookie: this.cookie, host: 'cvat.example', 'x-organization': 'lab', ...extra }
    },
  }
}

/** Django's masked form of a CSRF secret: a random mask, then each character shifted by it. */
function masked(secret: string): string {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
  const mask = Array.from({ length: 32 }, (_, i) => chars.charAt((i * 7 + 3) % chars.length)).join('')
  const cipher = [...secret]
    .map((c, i) => chars.charAt((chars.indexOf(c) + chars.indexOf(mask.charAt(i))) % chars.length))
    .join('')
  return mask + cipher
}

describe('a browser signed in to CVAT (the sessionid cookie)', () => {
  it('reads without a CSRF token, as GET changes nothing', async () => {
    const b = browser('wes')
    const res = await t.request(
      'GET',
      `/graphql?query=${encodeURIComponent('{ viewer { username source } }')}`,
      {
        headers: b.headers(),
      },
    )
    expect(await res.json()).toEqual({ data: { viewer: { username: 'wes', source: 'CVAT' } } })
  })

  it("needs CVAT's CSRF header to change state, plain or masked, as Django checks it", async () => {
    const b = browser('wes')
    const missing = await t.request('POST', '/api/events', { headers: b.headers(), body: frameBatch(801) })
    expect(missing.status).toBe(403)
    expect(await missing.json()).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('CSRF Failed: CSRF token missing') as string,
    })
    const wrong = await t.request('POST', '/api/events', {
      headers: b.headers({ 'x-csrftoken': 'A'.repeat(32) }),
      body: frameBatch(801),
    })
    expect(await wrong.json()).toMatchObject({ message: 'CSRF Failed: CSRF token incorrect.' })
    for (const token of [b.csrftoken, masked(b.csrftoken)]) {
      const ok = await t.request('POST', '/api/events', {
        headers: b.headers({ 'x-csrftoken': token, origin: 'https://cvat.example' }),
        body: frameBatch(801),
      })
      expect(ok.status).toBe(201)
    }
    expect((await t.events('job_id = 801')).every((e) => e.user_name === 'wes' && e.org_slug === 'lab')).toBe(
      true,
    )
  })

  it('counts a GraphQL POST as changing state, so a page of another site cannot run one', async () => {
    const b = browser('owen')
    const bare = await graphql(t, ViewerDocument, {}, b.headers())
    expect(bare.status).toBe(403)
    expect(bare.errors?.[0]?.message).toMatch(/CSRF Failed/)
    const withToken = expectOk(
      await graphql(t, ViewerDocument, {}, b.headers({ 'x-csrftoken': b.csrftoken })),
    )
    expect(withToken.viewer).toMatchObject({ username: 'owen', orgRole: 'owner' })
  })

  it('refuses a state change from an Origin that is neither this host nor in CORS_ORIGINS', async () => {
    const b = browser('sam')
    const send = (origin: string) =>
      t.request('POST', '/api/events', {
        headers: b.headers({ 'x-csrftoken': b.csrftoken, origin }),
        body: frameBatch(802),
      })
    const foreign = await send('https://evil.example')
    expect(foreign.status).toBe(403)
    expect(await foreign.json()).toMatchObject({
      message: expect.stringContaining('Origin checking failed') as string,
    })
    expect((await send(FRONTEND)).status).toBe(201)
  })

  it('answers CORS with credentials for the configured origin only', async () => {
    const preflight = (origin: string) =>
      t.request('OPTIONS', '/graphql', {
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, x-csrftoken, x-organization',
        },
      })
    const allowed = await preflight(FRONTEND)
    expect(allowed.headers.get('access-control-allow-origin')).toBe(FRONTEND)
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(allowed.headers.get('access-control-allow-headers')).toContain('x-csrftoken')
    const other = await preflight('https://evil.example')
    expect(other.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
    const answer = await t.request('GET', '/health', { headers: { origin: FRONTEND } })
    expect(answer.headers.get('access-control-expose-headers')).toContain('Retry-After')
  })
})

describe("behind the /analytics-api/ route on CVAT's host", () => {
  it("hands out an export's result_url through the route's prefix and scheme", async () => {
    const headers = {
      ...asCvat('owen', 'lab'),
      'x-forwarded-prefix': '/analytics-api',
      'x-forwarded-proto': 'https',
    }
    const start = await t.request('POST', '/api/events/export?org=lab', { headers })
    expect(start.status).toBe(202)
    const { rq_id: rqId } = (await start.json()) as { rq_id: string }
    const status = async () =>
      (await (await t.request('GET', `/api/requests/${rqId}`, { headers })).json()) as { status: string }
    await expect.poll(async () => (await status()).status, { timeout: 20_000, interval: 50 }).toBe('finished')
    expect(await status()).toMatchObject({
      result_url: `https://test.local/analytics-api/api/events/download?rq_id=${rqId}`,
    })
  })
})

describe('when CVAT is down or failing', () => {
  it('serves callers CVAT confirmed before, and answers new ones 503 with Retry-After, never 401', async () => {
    const known = asCvat('owen', 'lab')
    expectOk(await graphql(t, ViewerDocument, {}, known))
    const newcomer = { authorization: `Bearer ${cvat.issueAccessToken('sam')}` }
    for (const outage of [() => cvat.goDown(), () => Promise.resolve(cvat.fail(502))]) {
      await outage()
      expect(expectOk(await graphql(t, ViewerDocument, {}, known)).viewer).toMatchObject({ username: 'owen' })
      const sent = await t.request('POST', '/api/events', { headers: known, body: frameBatch(803) })
      expect(sent.status).toBe(201)

      const rest = await t.request('POST', '/api/events', { headers: newcomer, body: frameBatch(804) })
      expect(rest.status).toBe(503)
      expect(Number(rest.headers.get('retry-after'))).toBeGreaterThan(0)
      expect(await rest.json()).toMatchObject({ code: 'IDENTITY_UNAVAILABLE' })
      const gql = await graphql(t, ViewerDocument, {}, newcomer)
      expect(gql.status).toBe(503)
      expect(codeOf(gql)).toBe('IDENTITY_UNAVAILABLE')
      expect(Number(gql.headers.get('retry-after'))).toBeGreaterThan(0)
      await cvat.goUp()
    }
    // The accounts file needs no CVAT.
    expect(cvat.count()).toBeGreaterThan(0)
    await cvat.goDown()
    expect(expectOk(await graphql(t, ViewerDocument, {}, as('walt', 'acme'))).viewer.source).toBe(
      'ACCOUNTS_FILE',
    )
  })

  it('answers 503 when CVAT does not answer within CVAT_TIMEOUT_MS', async () => {
    cvat.hang()
    const started = Date.now()
    const res = await graphql(
      t,
      ViewerDocument,
      {},
      { authorization: `Bearer ${cvat.issueAccessToken('wes')}` },
    )
    expect(res.status).toBe(503)
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})

describe('/metrics', () => {
  it('counts CVAT look-ups, cache hits, CVAT failures and callers told 503', async () => {
    const headers = asCvat('sam', 'lab')
    for (let i = 0; i < 3; i++) expectOk(await graphql(t, ViewerDocument, {}, headers))
    const text = await (await t.request('GET', '/metrics', { headers: SCRAPER })).text()
    const value = (line: string) =>
      Number(new RegExp(`^${line.replace(/[{}]/g, '\\$&')} (\\d+)`, 'm').exec(text)?.[1])
    expect(value('analytics_cvat_identity_lookups_total')).toBeGreaterThanOrEqual(3)
    expect(value('analytics_cvat_identity_cache_hits_total{kind="fresh"}')).toBeGreaterThanOrEqual(2)
    expect(value('analytics_cvat_requests_total{outcome="ok"}')).toBeGreaterThan(0)
    expect(value('analytics_cvat_requests_total{outcome="failed"}')).toBeGreaterThan(0)
    expect(value('analytics_cvat_unavailable_total')).toBeGreaterThan(0)
    expect(value('analytics_cvat_identities_cached')).toBeGreaterThan(0)
    expect(value('analytics_auth_failures_total{reason="identity_unavailable"}')).toBeGreaterThan(0)
  })
})
