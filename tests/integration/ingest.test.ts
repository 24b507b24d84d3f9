import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { basic, bearer, ORGS, PEOPLE, TOKENS } from '../support/fixtures.js'
import { startTestApp, type TestApp } from '../support/app.js'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.stop()
})

const now = () => new Date().toISOString()
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Every event at one instant unless it names its own: events a millisecond apart would earn
 * working time, and its `send:working_time` row would change what a test counts (on a slow
 * machine two calls of `now()` fall in different milliseconds).
 */
function clientBatch(events: Record<string, unknown>[], extra: Record<string, unknown> = {}) {
  const at = now()
  return { events: events.map((e) => ({ timestamp: at, ...e })), timestamp: at, ...extra }
}

describe('POST /api/events (client batches)', () => {
  it('stores a batch with the principal identity, org context and request id', async () => {
    const res = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), 'x-organization': 'acme', 'user-agent': 'CVAT-UI/2.20' },
      body: clientBatch([
        { scope: 'load:job', job_id: 501, task_id: 50, project_id: 5, payload: '{"mode":"annotation"}' },
        {
          scope: 'change:frame',
          job_id: 501,
          task_id: 50,
          project_id: 5,
          obj_val: '12',
          count: 1,
          duration: 4_000,
        },
      ]),
    })
    expect(res.status).toBe(201)
    const requestId = res.headers.get('x-request-id') as string
    expect(requestId).toMatch(UUID)
    const body = (await res.json()) as { events: Record<string, unknown>[] }
    expect(body.events[0]).toMatchObject({
      scope: 'load:job',
      user_id: 13,
      user_name: 'walt',
      org_id: 7,
      org_slug: 'acme',
      source: 'client',
    })

    const stored = await t.events('request_id = {id:String}', { id: requestId })
    expect(stored.map((e) => e.scope).sort()).toEqual(['change:frame', 'load:job', 'send:working_time'])
    for (const e of stored) {
      expect(e).toMatchObject({
        user_id: PEOPLE.walt.id,
        user_name: 'walt',
        user_email: PEOPLE.walt.email,
        org_id: ORGS.acme.id,
        org_slug: 'acme',
      })
      expect((JSON.parse(e.payload ?? '{}') as { request: unknown }).request).toEqual({
        id: requestId,
        user_agent: 'CVAT-UI/2.20',
      })
    }
    const frame = stored.find((e) => e.scope === 'change:frame')
    expect(frame).toMatchObject({
      job_id: '501',
      task_id: '50',
      project_id: '5',
      obj_val: '12',
      count: 1,
      duration: 4_000,
    })
    const workingTime = stored.find((e) => e.scope === 'send:working_time')
    expect(workingTime).toMatchObject({ source: 'server', job_id: '501', count: 1 })
    expect(workingTime?.duration).toBeGreaterThanOrEqual(4_000)
    expect((JSON.parse(workingTime?.payload ?? '{}') as { working_time: number }).working_time).toBe(
      workingTime?.duration,
    )
  })

  it('overwrites identity fields a client tries to spoof', async () => {
    const res = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), 'x-organization': 'acme' },
      body: clientBatch([
        {
          scope: 'zoom:image',
          user_id: 1,
          user_name: 'admin',
          user_email: 'root@evil',
          org_id: 8,
          org_slug: 'globex',
        },
      ]),
    })
    expect(res.status).toBe(201)
    const [stored] = await t.events('request_id = {id:String}', { id: res.headers.get('x-request-id') })
    expect(stored).toMatchObject({
      user_id: '13',
      user_name: 'walt',
      user_email: PEOPLE.walt.email,
      org_id: '7',
      org_slug: 'acme',
    })
  })

  it('stores nothing of a batch with one bad event, and names the event and field', async () => {
    const marker = `marker-${Date.now()}`
    const res = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt') },
      body: clientBatch([
        { scope: 'draw:object', obj_val: marker },
        { scope: 'draw:object', obj_val: marker, payload: '{broken' },
        { scope: 'draw:object', obj_val: marker },
      ]),
    })
    expect(res.status).toBe(400)
    const body = (await res.json()) as {
      message: string
      code: string
      errors: { index: number; field: string }[]
    }
    expect(body.code).toBe('BAD_USER_INPUT')
    expect(body.errors).toEqual([
      { index: 1, field: 'events[1].payload', message: 'must be valid JSON text' },
    ])
    expect(body.message).toContain('event 1')
    expect(res.headers.get('x-request-id')).toMatch(UUID)
    expect(await t.events('obj_val = {m:String}', { m: marker })).toEqual([])
  })

  it('keeps concurrent good batches when one bad batch fails beside them', async () => {
    const marker = `concurrent-${Date.now()}`
    const send = (bad: boolean) =>
      t.request('POST', '/api/events', {
        headers: { authorization: basic('nora') },
        body: clientBatch([{ scope: bad ? 'hack:server' : 'draw:object', obj_val: marker }]),
      })
    const responses = await Promise.all([send(false), send(true), send(false), send(false), send(true)])
    expect(responses.map((r) => r.status)).toEqual([201, 400, 201, 201, 400])
    expect(await t.events('obj_val = {m:String}', { m: marker })).toHaveLength(3)
  })

  it('answers minimally when asked with Prefer: return=minimal', async () => {
    const res = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), prefer: 'return=minimal' },
      body: clientBatch([{ scope: 'draw:object' }, { scope: 'user:activity' }]),
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('preference-applied')).toBe('return=minimal')
    expect(await res.json()).toEqual({ stored: 1 })
  })

  it('keeps payload text with newlines, tabs, quotes and backslashes intact in the store', async () => {
    const payload = {
      message: 'TypeError: x is "undefined"',
      stack: 'at a (app.js:1:2)\n\tat b\r\n',
      path: 'C:\\tmp\\x',
    }
    const res = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt') },
      body: clientBatch([{ scope: 'send:exception', payload: JSON.stringify(payload) }]),
    })
    expect(res.status).toBe(201)
    const [stored] = await t.events('request_id = {id:String}', { id: res.headers.get('x-request-id') })
    expect(JSON.parse(stored?.payload ?? '')).toEqual({
      ...payload,
      request: { id: res.headers.get('x-request-id'), user_agent: null },
    })
  })

  it('records the client address of a real connection in remote_addr', async () => {
    const { url } = await t.app.start()
    const res = await fetch(`${url.replace('localhost', '127.0.0.1')}/api/events`, {
      method: 'POST',
      headers: {
        authorization: basic('walt'),
        'content-type': 'application/json',
        'x-forwarded-for': '203.0.113.9',
      },
      body: JSON.stringify(clientBatch([{ scope: 'draw:object' }])),
    })
    expect(res.status).toBe(201)
    const [stored] = await t.events('request_id = {id:String}', { id: res.headers.get('x-request-id') })
    // TRUST_PROXY is off: X-Forwarded-For is ignored, the socket's address is recorded.
    expect(stored?.remote_addr).toMatch(/^(::ffff:)?127\.0\.0\.1$/)
  })

  it('answers 401 without or with wrong credentials', async () => {
    const batch = clientBatch([{ scope: 'draw:object' }])
    const none = await t.request('POST', '/api/events', { body: batch })
    expect(none.status).toBe(401)
    expect(none.headers.get('www-authenticate')).toContain('Basic')
    const wrong = await t.request('POST', '/api/events', {
      headers: { authorization: `Basic ${Buffer.from('walt:nope').toString('base64')}` },
      body: batch,
    })
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as { code: string }).code).toBe('UNAUTHENTICATED')
  })

  it('answers 403 when a worker names an organization it is not a member of', async () => {
    const viaHeader = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), 'x-organization': 'globex' },
      body: clientBatch([{ scope: 'draw:object' }]),
    })
    expect(viaHeader.status).toBe(403)
    const viaParam = await t.request('POST', '/api/events?org=globex', {
      headers: { authorization: basic('walt') },
      body: clientBatch([{ scope: 'draw:object' }]),
    })
    expect(viaParam.status).toBe(403)
    expect(((await viaParam.json()) as { code: string }).code).toBe('FORBIDDEN')
  })

  it('refuses client events sent with an API token (403)', async () => {
    const res = await t.request('POST', '/api/events', {
      headers: { authorization: bearer(TOKENS.waltRead) },
      body: clientBatch([{ scope: 'draw:object' }]),
    })
    expect(res.status).toBe(403)
  })

  it('answers 415 for a body that is not JSON, 413 past the body limit, 400 for broken JSON', async () => {
    const form = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), 'content-type': 'application/x-www-form-urlencoded' },
      raw: 'a=1',
    })
    expect(form.status).toBe(415)
    const huge = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), 'content-type': 'application/json' },
      raw: JSON.stringify(
        clientBatch([{ scope: 'draw:object', obj_val: 'x'.repeat(t.config.maxBodyBytes) }]),
      ),
    })
    expect(huge.status).toBe(413)
    // A declared length is read whole (over HTTP the parser holds the body to it); a body built
    // in-process that says less than it holds is still refused.
    const understated = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), 'content-type': 'application/json', 'content-length': '10' },
      raw: JSON.stringify(
        clientBatch([{ scope: 'draw:object', obj_val: 'x'.repeat(t.config.maxBodyBytes) }]),
      ),
    })
    expect(understated.status).toBe(413)
    const declared = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), 'content-type': 'application/json', 'content-length': '2' },
      raw: '{}',
    })
    expect(declared.status).toBe(400)
    const broken = await t.request('POST', '/api/events', {
      headers: { authorization: basic('walt'), 'content-type': 'application/json' },
      raw: '{"events": [',
    })
    expect(broken.status).toBe(400)
    expect(((await broken.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('body')
  })

  it('stamps X-Request-Id on 404s and on health answers', async () => {
    const missing = await t.request('GET', '/api/nothing-here')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('x-request-id')).toMatch(UUID)
    const health = await t.request('GET', '/health')
    expect(health.status).toBe(200)
    expect(health.headers.get('x-request-id')).toMatch(UUID)
    const ready = await t.request('GET', '/ready')
    expect(await ready.json()).toMatchObject({ status: 'ready', store: 'embedded' })
  })
})

describe('POST /api/events/server (trusted server events)', () => {
  it('stores a JSON array sent with an ingest token, identity as given', async () => {
    const cascade = 'cvat-request-7f3a'
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: [
        {
          scope: 'delete:project',
          timestamp: '1716393600.123456',
          obj_id: 5,
          project_id: 5,
          user_id: 42,
          user_name: 'alice',
          org_id: 7,
          payload: JSON.stringify({ request: { id: cascade } }),
        },
        {
          scope: 'delete:task',
          timestamp: 1716393600200,
          task_id: 50,
          project_id: 5,
          user_id: 42,
          org_id: 7,
          payload: { request: { id: cascade } },
        },
        {
          scope: 'delete:job',
          timestamp: '2024-05-22T16:00:00.300Z',
          job_id: 501,
          task_id: 50,
          project_id: 5,
          user_id: 42,
          org_id: 7,
          payload: { request: { id: cascade } },
        },
      ],
    })
    expect(res.status).toBe(201)
    expect(await res.json()).toEqual({ stored: 3 })
    const stored = await t.events('request_id = {id:String}', { id: cascade })
    expect(stored.map((e) => [e.scope, e.timestamp, e.user_id, e.user_name, e.source])).toEqual([
      ['delete:project', '2024-05-22T16:00:00.123Z', '42', 'alice', 'server'],
      ['delete:task', '2024-05-22T16:00:00.200Z', '42', null, 'server'],
      ['delete:job', '2024-05-22T16:00:00.300Z', '42', null, 'server'],
    ])
  })

  it('accepts NDJSON', async () => {
    const lines = [
      { scope: 'create:job', timestamp: 1716393601000, job_id: 900 },
      { scope: 'create:job', timestamp: 1716393601001, job_id: 901 },
    ]
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest), 'content-type': 'application/x-ndjson' },
      raw: lines.map((l) => JSON.stringify(l)).join('\n'),
    })
    expect(res.status).toBe(201)
    const requestId = res.headers.get('x-request-id')
    expect(await t.events('request_id = {id:String}', { id: requestId })).toHaveLength(2)
  })

  it('refuses users who are not admins and read tokens (403)', async () => {
    const body = [{ scope: 'create:job', timestamp: 1716393601000 }]
    expect(
      (await t.request('POST', '/api/events/server', { headers: { authorization: basic('walt') }, body }))
        .status,
    ).toBe(403)
    expect(
      (
        await t.request('POST', '/api/events/server', {
          headers: { authorization: bearer(TOKENS.oliviaRead) },
          body,
        })
      ).status,
    ).toBe(403)
  })

  it('stores nothing of an array with a bad row and names its index', async () => {
    const res = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: [
        { scope: 'create:task', timestamp: 1716393602000, obj_val: 'bad-array' },
        { scope: 'create:task', timestamp: 'not a time', obj_val: 'bad-array' },
      ],
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { errors: unknown[] }).errors).toEqual([
      expect.objectContaining({ index: 1, field: '[1].timestamp' }),
    ])
    expect(await t.events("obj_val = 'bad-array'")).toEqual([])
  })
})
