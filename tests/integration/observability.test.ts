import { rm, writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, bearer, SCRAPER, TOKENS } from '../support/fixtures.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.stop()
})

describe('health and readiness', () => {
  it('answers /health with our JSON, not yoga’s empty body', async () => {
    const res = await t.request('GET', '/health')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/json')
    const body = (await res.json()) as Record<string, unknown>
    expect(body).toMatchObject({ status: 'ok' })
    expect(typeof body.uptimeSeconds).toBe('number')
  })

  it('answers /ready with the store, its engine and the spool backlog', async () => {
    const res = await t.request('GET', '/ready')
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'ready', store: 'embedded', spoolBacklog: 0, spoolBytes: 0 })
  })
})

describe('GET /metrics', () => {
  it('exposes ingest, store, auth, export and GraphQL figures in Prometheus form', async () => {
    const batch = {
      events: [{ scope: 'click:element', timestamp: new Date().toISOString() }],
      timestamp: new Date().toISOString(),
    }
    expect((await t.request('POST', '/api/events', { headers: as('walt'), body: batch })).status).toBe(201)
    const bad = {
      events: [{ scope: 'nope', timestamp: new Date().toISOString() }],
      timestamp: batch.timestamp,
    }
    expect((await t.request('POST', '/api/events', { headers: as('walt'), body: bad })).status).toBe(400)
    expect((await t.request('POST', '/graphql', { body: { query: '{ viewer { username } }' } })).status).toBe(
      401,
    )
    const ok = await t.request('POST', '/graphql', {
      headers: as('walt'),
      body: { query: 'query Me { viewer { username } }', operationName: 'Me' },
    })
    expect(ok.status).toBe(200)

    const res = await t.request('GET', '/metrics', { headers: SCRAPER })
    expect(res.status).toBe(200)
    const text = await res.text()
    expect(text).toMatch(/analytics_events_accepted_total\{path="client"\} 1\b/)
    expect(text).toMatch(/analytics_events_rejected_total\{path="client"\} 1\b/)
    expect(text).toMatch(/analytics_auth_failures_total\{reason="unauthenticated"\} [1-9]/)
    expect(text).toMatch(/analytics_insert_rows_count [1-9]/)
    expect(text).toMatch(/analytics_insert_seconds_count [1-9]/)
    expect(text).toMatch(
      /analytics_store_statement_seconds_count\{statement="events.insert",outcome="ok"\} [1-9]/,
    )
    for (const name of [
      'analytics_events_quarantined_total',
      'analytics_events_spooled_total',
      'analytics_spool_backlog 0',
      'analytics_exports_running 0',
      'analytics_exports_queued 0',
      'analytics_subscriptions_open',
      'analytics_internal_errors_total',
      'analytics_process_resident_memory_bytes',
    ]) {
      expect(text).toContain(name)
    }
    expect(text).toMatch(/graphql_envelop_request_duration_count\{[^}]*operationName="Me"[^}]*\} 1\b/)
  })
})

describe('who may read /metrics', () => {
  const scrape = (headers: Record<string, string> = {}) => t.request('GET', '/metrics', { headers })

  it('refuses a caller without credentials with 401, JSON and the basic-auth challenge', async () => {
    const res = await scrape()
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic /)
    expect(res.headers.get('x-request-id')).toBeTruthy()
    expect(await res.json()).toMatchObject({ code: 'UNAUTHENTICATED' })
    expect((await scrape({ authorization: bearer('aat_not-a-token-of-ours-0123456789abc') })).status).toBe(
      401,
    )
  })

  it('refuses users who are not admins and tokens of other kinds with 403', async () => {
    for (const headers of [as('olivia'), { authorization: bearer(TOKENS.oliviaRead) }]) {
      const res = await scrape(headers)
      expect(res.status).toBe(403)
      const body = (await res.json()) as { code: string; message: string }
      expect(body.code).toBe('FORBIDDEN')
      expect(body.message).toMatch(/metrics token/)
    }
    // The admin's own ingest token is not a way in either: only the metrics kind scrapes.
    expect((await scrape({ authorization: bearer(TOKENS.ingest) })).status).toBe(403)
  })

  it('answers a metrics token and an admin signing in as itself', async () => {
    for (const headers of [SCRAPER, as('admin')]) {
      const res = await scrape(headers)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
      expect(await res.text()).toContain('analytics_events_accepted_total')
    }
  })

  it('gives a metrics token nothing else: no events to read, none to send', async () => {
    const query = await t.request('POST', '/graphql', {
      headers: SCRAPER,
      body: { query: '{ events(first: 1) { edges { node { id } } } }' },
    })
    expect(query.status).toBe(403)
    expect(JSON.stringify(await query.json())).toMatch(/metrics tokens may not read events/)
    const batch = {
      events: [{ scope: 'click:element', timestamp: new Date().toISOString() }],
      timestamp: new Date().toISOString(),
    }
    expect((await t.request('POST', '/api/events', { headers: SCRAPER, body: batch })).status).toBe(403)
    expect((await t.request('POST', '/api/events/server', { headers: SCRAPER, body: [] })).status).toBe(403)
  })
})

describe('unexpected errors', () => {
  it('answers 500 without details and stores the error as a send:exception server event', async () => {
    // The export folder replaced by a file: recording an export fails in a way no caller caused.
    await rm(t.config.exportDir, { recursive: true, force: true })
    await writeFile(t.config.exportDir, 'not a folder')
    const res = await t.request('POST', '/api/events/export?job_id=1', { headers: as('admin') })
    expect(res.status).toBe(500)
    const body = JSON.stringify(await res.json())
    expect(body).not.toContain('ENOTDIR')
    const requestId = res.headers.get('x-request-id') ?? ''
    await expect
      .poll(async () => (await t.events('request_id = {id:String}', { id: requestId })).length)
      .toBe(1)
    const [event] = await t.events('request_id = {id:String}', { id: requestId })
    expect(event).toMatchObject({ scope: 'send:exception', source: 'server' })
    const payload = JSON.parse(event?.payload ?? '{}') as Record<string, unknown>
    expect(payload.message).toMatch(/ENOTDIR/)
    expect(payload.stack).toEqual(expect.any(String))
    expect(payload.where).toBe('/api/events/export')
    const metrics = await (await t.request('GET', '/metrics', { headers: SCRAPER })).text()
    expect(metrics).toMatch(/analytics_internal_errors_total 1\b/)
  })
})
