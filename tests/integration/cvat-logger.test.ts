import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  cvatEpochSeconds,
  cvatServerEvent,
  drfJson,
  HTTP_TRANSPORT_HEADERS,
  httpTransportBody,
  pythonJson,
} from '../../src/demo/cvat-wire.js'
import { QuarantineDocument } from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, SCRAPER } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'

/*
 * What CVAT's server sends to its logger listener (Vector's http source, which this listener
 * replaces), from CVAT's own code:
 * - cvat/apps/events/event.py `record_server_event`: `{"scope", "timestamp":
 *   str(datetime.now(timezone.utc).timestamp()), "source": "server", "payload":
 *   JSONRenderer().render({...payload, "request": {...payload.get("request", {}), **request_info}}),
 *   **fields}` rendered by DRF's JSONRenderer and logged on the `vector` logger;
 * - cvat/apps/events/views.py: client events CVAT validated are forwarded the same way, with
 *   `"timestamp": str(event["timestamp"].timestamp())` and the payload `json.dumps`-ed by the
 *   serializer (Python's default `", "` separators), identity filled in, no request added;
 * - cvat/settings/base.py LOGGING: handler `vector` = python-logstash-async
 *   `AsynchronousLogstashHandler` with `logstash_async.transport.HttpTransport`,
 *   `ssl_enable: False`, formatter `%(message)s`, queue in a local SQLite file;
 * - logstash_async/transport.py `HttpTransport.send`: `json.loads` of each queued event, up to 50
 *   per request, posted with requests' `json=` (Python `json.dumps` defaults, ASCII-escaped),
 *   `Content-Type: application/json`, no gzip; any status but 200 keeps the batch for a retry.
 * src/demo/cvat-wire.ts builds exactly these bytes.
 */

let t: TestApp
let loggerUrl: string
beforeAll(async () => {
  // A small MAX_BODY_BYTES: the listener must still take what CVAT's transport sends.
  t = await startTestApp({ CVAT_LOGGER_PORT: '0', MAX_BODY_BYTES: '4096' })
  const started = await t.app.start()
  expect(started.cvatLoggerPort).toBeGreaterThan(0)
  loggerUrl = `http://127.0.0.1:${started.cvatLoggerPort}/`
})
afterAll(async () => {
  await t.stop()
})

/** Posts as python-logstash-async's HttpTransport does. */
function postAsHttpTransport(body: string): Promise<Response> {
  return fetch(loggerUrl, { method: 'POST', headers: HTTP_TRANSPORT_HEADERS, body })
}

const AT = Date.UTC(2024, 4, 22, 16, 0, 0, 123)
const request = (id: string) => ({ id, user_agent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/126.0' })

/** A server event as CVAT's record_server_event renders it. */
function serverEvent(scope: string, fields: Record<string, string | number | null>, payload: object) {
  return cvatServerEvent(scope, AT, drfJson(payload), {
    org_id: 7,
    org_slug: 'acme',
    user_id: 10,
    user_name: 'olivia',
    user_email: 'olivia@acme.test',
    ...fields,
  })
}

/**
 * The quarantine as an admin reads it, once it shows what `ready` wants: answers are cached for
 * RESPONSE_CACHE_TTL_MS (5 s), so a read just after a write may see the state before it.
 */
async function quarantined(reason?: string, ready: (q: Quarantine) => boolean = () => true) {
  await expect.poll(async () => ready(await quarantineNow(reason)), { timeout: 15_000 }).toBe(true)
  return quarantineNow(reason)
}

type Quarantine = Awaited<ReturnType<typeof quarantineNow>>

async function quarantineNow(reason?: string) {
  const result = await graphql(
    t,
    QuarantineDocument,
    { first: 100, ...(reason ? { reason } : {}) },
    as('admin'),
  )
  return expectOk(result).quarantine
}

describe("CVAT's server logger (python-logstash-async HttpTransport)", () => {
  it('stores a batch as HttpTransport posts it: a JSON array of flat events, epoch-second string times, gzip off', async () => {
    const events = [
      serverEvent(
        'create:task',
        { obj_id: 50, obj_name: 'cars', project_id: 5, task_id: 50, job_id: null },
        { request: request('cvat-req-1') },
      ),
      serverEvent(
        'create:job',
        { obj_id: 501, obj_name: null, project_id: 5, task_id: 50, job_id: 501 },
        { request: request('cvat-req-1') },
      ),
    ]
    const body = httpTransportBody(events)
    expect(
      body.startsWith('[{"scope": "create:task", "timestamp": "1716393600.123", "source": "server"'),
    ).toBe(true)
    const res = await postAsHttpTransport(body)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ stored: 2, quarantined: 0 })
    // Both logged in the same millisecond: compare them in scope order.
    const stored = (await t.events("request_id = 'cvat-req-1'")).sort((a, b) =>
      a.scope.localeCompare(b.scope),
    )
    expect(stored.map((e) => [e.scope, e.timestamp, e.obj_id, e.obj_name, e.job_id, e.user_name])).toEqual([
      ['create:job', '2024-05-22T16:00:00.123Z', '501', null, '501', 'olivia'],
      ['create:task', '2024-05-22T16:00:00.123Z', '50', 'cars', null, 'olivia'],
    ])
  })

  it("keeps a server event's payload text byte for byte: 2.0 stays 2.0, keys keep their order, non-ASCII stays", async () => {
    // DRF renders compactly and keeps non-ASCII; Python floats keep their ".0".
    const payload =
      '{"old_value":2.0,"zeta":1,"alpha":"Café ☕ 漢字","nested":{"b":1e-7,"a":[1.50,null]},"request":{"id":"cvat-req-2","user_agent":"Mozilla/5.0"}}'
    const event = cvatServerEvent('update:task', AT, payload, { obj_name: 'bug_tracker', obj_val: '3.0' })
    const res = await postAsHttpTransport(httpTransportBody([event]))
    expect(res.status).toBe(200)
    const [stored] = await t.events("request_id = 'cvat-req-2'")
    expect(stored?.payload).toBe(payload)
    expect(stored?.obj_val).toBe('3.0')
  })

  it('adds no request, user agent or id of its own, to server events or to the client events CVAT forwards', async () => {
    // A client event as views.py forwards it: validated, identity filled in, payload json.dumps-ed.
    const forwarded = {
      scope: 'change:frame',
      obj_val: '12',
      timestamp: cvatEpochSeconds(AT + 5_500),
      count: 3,
      duration: 4000,
      project_id: 5,
      task_id: 50,
      job_id: 501,
      payload: pythonJson({ client_id: '123456', is_active: true, step: 1 }),
      source: 'client',
      org_id: 7,
      org_slug: 'acme',
      user_id: 13,
      user_name: 'walt',
      user_email: 'walt@acme.test',
    }
    const server = serverEvent('delete:issue', { obj_id: 77 }, { request: request('cvat-req-3') })
    const res = await postAsHttpTransport(httpTransportBody([forwarded, server]))
    expect(res.status).toBe(200)
    const listenerRequestId = res.headers.get('x-request-id') as string
    expect(listenerRequestId).toBeTruthy()

    const [client] = await t.events("scope = 'change:frame' AND job_id = 501 AND obj_val = '12'")
    expect(client?.payload).toBe('{"client_id": "123456", "is_active": true, "step": 1}')
    expect(client).toMatchObject({
      source: 'client',
      request_id: '',
      user_name: 'walt',
      count: 3,
      duration: 4000,
    })
    expect(client?.timestamp).toBe('2024-05-22T16:00:05.623Z')
    const [deleted] = await t.events("scope = 'delete:issue'")
    expect(JSON.parse(deleted?.payload ?? '{}')).toEqual({ request: request('cvat-req-3') })
    expect(await t.events('request_id = {id:String}', { id: listenerRequestId })).toEqual([])
  })

  it("stores a count of 70000 (an import of 70,000 shapes), which CVAT's UInt16 column wrapped to 4464", async () => {
    const event = serverEvent(
      'create:shapes',
      { obj_name: 'rectangle', count: 70_000, job_id: 501 },
      { request: request('cvat-req-4') },
    )
    expect((await postAsHttpTransport(httpTransportBody([event]))).status).toBe(200)
    const [stored] = await t.events("request_id = 'cvat-req-4'")
    expect(stored?.count).toBe(70_000)
  })

  it('stores a long obj_val and obj_name whole (a comment, a description)', async () => {
    const comment = 'A very long review comment. '.repeat(10_000) // 280,000 characters
    const event = serverEvent(
      'update:task',
      { obj_name: 'x'.repeat(70_000), obj_val: comment },
      { request: request('cvat-req-5') },
    )
    expect((await postAsHttpTransport(httpTransportBody([event]))).status).toBe(200)
    const [stored] = await t.events("request_id = 'cvat-req-5'")
    expect(stored?.obj_val).toBe(comment)
    expect(stored?.obj_name).toHaveLength(70_000)
  })

  it("takes batches past MAX_BODY_BYTES, up to what CVAT's transport sends in one request", async () => {
    const events = Array.from({ length: 50 }, (_, i) =>
      serverEvent(
        'create:comment',
        { obj_id: i },
        { message: 'x'.repeat(200), request: request('cvat-req-6') },
      ),
    )
    const body = httpTransportBody(events)
    expect(body.length).toBeGreaterThan(4096)
    expect((await postAsHttpTransport(body)).status).toBe(200)
    expect(await t.events("request_id = 'cvat-req-6'")).toHaveLength(50)
  })

  it("accepts every time form CVAT's server writes (str of a float, whole seconds, ISO) and ClickHouse parses", async () => {
    const times: [unknown, string][] = [
      ['1716393600.123456', '2024-05-22T16:00:00.123Z'], // str(datetime.timestamp())
      ['1716393600.5', '2024-05-22T16:00:00.500Z'],
      ['1716393600.0', '2024-05-22T16:00:00.000Z'], // str() of a whole float
      ['1716393600', '2024-05-22T16:00:00.000Z'],
      [1716393600.25, '2024-05-22T16:00:00.250Z'], // epoch seconds as a JSON number
      [1716393600250, '2024-05-22T16:00:00.250Z'], // epoch milliseconds
      ['2024-05-22T16:00:00.123456+00:00', '2024-05-22T16:00:00.123Z'], // datetime.isoformat()
      ['2024-05-22 18:00:00.5+02:00', '2024-05-22T16:00:00.500Z'],
      ['2024-05-22T16:00:00Z', '2024-05-22T16:00:00.000Z'],
    ]
    const events = times.map(([timestamp], i) => ({
      ...serverEvent('create:label', { obj_id: 9000 + i }, { request: request('cvat-req-7') }),
      timestamp,
    }))
    const res = await postAsHttpTransport(httpTransportBody(events))
    expect(await res.json()).toEqual({ stored: times.length, quarantined: 0 })
    const stored = await t.events("request_id = 'cvat-req-7'")
    const byEvent = stored.sort((a, b) => Number(a.obj_id) - Number(b.obj_id)).map((e) => e.timestamp)
    expect(byEvent).toEqual(times.map(([, iso]) => iso))
  })
})

describe('the listener never stalls CVAT: a JSON array is answered 200, whatever its events hold', () => {
  const good = () => serverEvent('create:project', { obj_id: 1 }, { request: request('cvat-req-8') })

  it('stores the events it can, quarantines the others with the reason and their raw text, and counts them', async () => {
    const noTime = { ...good(), obj_id: 2 } as Record<string, unknown>
    delete noTime.timestamp
    const badId = { ...good(), obj_id: 'three' }
    const badCount = { ...good(), count: -1 }
    const body = httpTransportBody([good(), noTime, badId, badCount])
    // An element that is not an event at all, and one whose number text re-serialising would change.
    const withOddElements = `${body.slice(0, -1)}, 42, {"scope": "x:y", "timestamp": "soon", "n": 2.0}]`
    const res = await postAsHttpTransport(withOddElements)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ stored: 1, quarantined: 5 })
    const requestId = res.headers.get('x-request-id') as string
    expect(await t.events("request_id = 'cvat-req-8'")).toHaveLength(1)

    const { events } = await quarantined(undefined, (q) =>
      q.events.nodes.some((e) => e.requestId === requestId),
    )
    const ours = events.nodes.filter((e) => e.requestId === requestId).sort((a, b) => a.position - b.position)
    expect(ours.map((e) => [e.position, e.reason, e.path])).toEqual([
      [1, 'invalid_timestamp', 'cvat_logger'],
      [2, 'invalid_obj_id', 'cvat_logger'],
      [3, 'invalid_count', 'cvat_logger'],
      [4, 'not_an_object', 'cvat_logger'],
      [5, 'invalid_timestamp', 'cvat_logger'],
    ])
    expect(ours[1]?.message).toContain('obj_id must be a non-negative integer id')
    expect(ours[1]?.raw).toBe(pythonJson(badId))
    expect(ours[3]?.raw).toBe('42')
    expect(ours[4]?.raw).toBe('{"scope": "x:y", "timestamp": "soon", "n": 2.0}')

    const metrics = await (await t.request('GET', '/metrics', { headers: SCRAPER })).text()
    expect(metrics).toMatch(/analytics_events_quarantined_total\{reason="invalid_timestamp"\} [2-9]/)
    expect(metrics).toMatch(/analytics_events_quarantined_total\{reason="not_an_object"\} [1-9]/)
  })

  it('quarantines nothing twice when CVAT sends the same batch again', async () => {
    const bad = { ...good(), obj_id: 'again' }
    const body = httpTransportBody([bad])
    await postAsHttpTransport(body)
    await postAsHttpTransport(body)
    const { events } = await quarantined('invalid_obj_id', (q) =>
      q.events.nodes.some((e) => e.raw.includes('"again"')),
    )
    expect(events.nodes.filter((e) => e.raw.includes('"again"'))).toHaveLength(1)
  })

  it('answers 200 to an empty array, and refuses only a body that is not a JSON array of objects', async () => {
    expect((await postAsHttpTransport('[]')).status).toBe(200)
    for (const body of ['not json', '"text"', '42', 'null']) {
      const res = await postAsHttpTransport(body)
      expect(res.status, body).toBe(400)
      expect(((await res.json()) as { code: string }).code).toBe('BAD_USER_INPUT')
    }
    expect((await fetch(loggerUrl, { method: 'GET' })).status).toBe(405)
  })

  it('shows the quarantine to admins only, a page at a time, with counts per reason', async () => {
    // Six quarantined events of its own (two without a time), whatever ran before it.
    const timeless = () => {
      const event = { ...good(), obj_id: 2 } as Record<string, unknown>
      delete event.timestamp
      return event
    }
    const own = [timeless(), timeless(), ...[1, 2, 3, 4].map((i) => ({ ...good(), obj_id: `listed-${i}` }))]
    expect(await (await postAsHttpTransport(httpTransportBody(own))).json()).toEqual({
      stored: 0,
      quarantined: 6,
    })

    const forbidden = await graphql(t, QuarantineDocument, {}, as('olivia', 'acme'))
    expect(codeOf(forbidden)).toBe('FORBIDDEN')

    const all = await quarantined(undefined, (q) => q.total >= 6)
    expect(all.reasons.find((r) => r.reason === 'invalid_timestamp')?.count).toBeGreaterThanOrEqual(2)
    const first = expectOk(await graphql(t, QuarantineDocument, { first: 2 }, as('admin'))).quarantine.events
    expect(first.nodes).toHaveLength(2)
    expect(first.pageInfo.hasNextPage).toBe(true)
    const next = expectOk(
      await graphql(t, QuarantineDocument, { first: 100, after: first.pageInfo.endCursor }, as('admin')),
    ).quarantine.events
    expect(next.nodes.map((e) => e.id)).toEqual(all.events.nodes.slice(2).map((e) => e.id))
  })
})

it('serves the API and the listener on separate ports', async () => {
  const res = await fetch(loggerUrl.replace(/\/$/, '/health'), { method: 'GET' })
  expect(res.status).toBe(405)
})
