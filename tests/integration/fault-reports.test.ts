import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { StoredEvent } from '../../src/store/index.js'
import { nodeListener, type AdapterLike } from '../../src/transports/safety-net.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as } from '../support/fixtures.js'
import { captureLog } from '../support/log-capture.js'

// Every error the service did not expect, whatever layer it happens in, is logged once as JSON
// with the request id, counted, and stored as a send:exception server event. Each case forces one
// fault at its layer (a part of the service made to throw), then checks all three.

let t: TestApp
const { log, lines } = captureLog('info')

beforeAll(async () => {
  t = await startTestApp({}, { log })
})
afterEach(() => {
  vi.restoreAllMocks()
})
afterAll(async () => {
  await t?.stop()
})

async function internalErrors(): Promise<number> {
  const text = await (await t.request('GET', '/metrics')).text()
  return Number(/^analytics_internal_errors_total (\d+)/m.exec(text)?.[1] ?? NaN)
}

/** Checks the three records of one fault of request `requestId`, `before` being the count before it. */
async function expectReportedOnce(requestId: string, before: number, where: string, message: RegExp) {
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
  const logged = lines.filter((l) => l.message === 'unexpected error' && l.requestId === requestId)
  expect(logged, JSON.stringify(lines.slice(-5))).toHaveLength(1)
  expect(logged[0]).toMatchObject({ level: 'error', where })
  expect((logged[0]?.error as { message?: string }).message).toMatch(message)
  expect(await internalErrors()).toBe(before + 1)
  // Stored through the group commit, as any event: it may take a moment on a busy machine.
  await expect
    .poll(async () => (await t.events('request_id = {id:String}', { id: requestId })).length, {
      timeout: 15_000,
    })
    .toBe(1)
  const [event] = await t.events('request_id = {id:String}', { id: requestId })
  expect(event).toMatchObject({ scope: 'send:exception', source: 'server' })
  const payload = JSON.parse(event?.payload ?? '{}') as Record<string, unknown>
  expect(payload).toMatchObject({ where, request: { id: requestId } })
  expect(payload.message).toMatch(message)
}

function anEvent(overrides: Partial<StoredEvent>): StoredEvent {
  return {
    eventId: '01a24b41-0ef7-77b7-acd2-48cda57f95c7',
    scope: 'click:element',
    objName: null,
    objId: null,
    objVal: null,
    source: 'client',
    timestampMs: Date.UTC(2024, 0, 1),
    count: null,
    duration: 0,
    projectId: null,
    taskId: null,
    jobId: null,
    userId: '13',
    userName: 'walt',
    userEmail: null,
    orgId: '7',
    orgSlug: 'acme',
    payload: null,
    accessTokenId: null,
    requestId: '',
    ingestedAtMs: Date.UTC(2024, 0, 1),
    ...overrides,
  }
}

const graphql = (query: string) =>
  t.request('POST', '/graphql', { headers: as('walt', 'acme'), body: { query } })

describe('a fault in a resolver', () => {
  it('is answered 500 without details, and reported once', async () => {
    const before = await internalErrors()
    vi.spyOn(t.app.services.store.events, 'page').mockRejectedValueOnce(new TypeError('resolver fault'))
    const res = await graphql('{ events(first: 1) { nodes { id } } }')
    expect(res.status).toBe(500)
    expect(await res.text()).not.toContain('resolver fault')
    await expectReportedOnce(res.headers.get('x-request-id') ?? '', before, 'graphql', /resolver fault/)
  })
})

describe('a fault in serialisation', () => {
  it('of a field value (a time that is not one) is reported once', async () => {
    const before = await internalErrors()
    vi.spyOn(t.app.services.store.events, 'page').mockResolvedValueOnce({
      events: [anEvent({ timestampMs: Number.NaN })],
      cursors: [{ timestampMs: Number.NaN, eventId: 'x', ingestedAtMs: null, seen: 1 }],
      hasNextPage: false,
      textBytes: 0,
    })
    const res = await graphql('{ events(first: 1) { nodes { id timestamp } } }')
    expect(res.status).toBe(500)
    await expectReportedOnce(res.headers.get('x-request-id') ?? '', before, 'graphql', /Invalid time value/)
  })

  it('of the answer as a whole (the 600 MB answer V8 could not build) is reported once', async () => {
    const before = await internalErrors()
    const stringify = JSON.stringify.bind(JSON)
    vi.spyOn(JSON, 'stringify').mockImplementation(
      (value: unknown, replacer?: (string | number)[] | null, space?: string | number) => {
        if ((value as { data?: { serialiseFault?: unknown } } | null)?.data?.serialiseFault !== undefined) {
          throw new RangeError('Invalid string length')
        }
        return stringify(value, replacer, space)
      },
    )
    const res = await graphql('{ serialiseFault: viewer { username } }')
    vi.restoreAllMocks()
    expect(res.status).toBe(500)
    await expectReportedOnce(
      res.headers.get('x-request-id') ?? '',
      before,
      'graphql',
      /Invalid string length/,
    )
  })
})

describe('a fault in a plugin', () => {
  it('of the GraphQL pipeline (the operation rate) is reported once', async () => {
    const before = await internalErrors()
    vi.spyOn(t.app.services.rateLimits.graphql, 'consume').mockRejectedValueOnce(
      new TypeError('plugin fault'),
    )
    const res = await graphql('{ viewer { username } }')
    expect(res.status).toBe(500)
    await expectReportedOnce(res.headers.get('x-request-id') ?? '', before, 'graphql', /plugin fault/)
  })

  it('of the GraphQL pipeline that reported it itself (authentication) is logged once', async () => {
    const before = await internalErrors()
    vi.spyOn(t.app.services.auth, 'access').mockRejectedValueOnce(new TypeError('identity fault'))
    const res = await graphql('{ viewer { username } }')
    expect(res.status).toBe(500)
    await expectReportedOnce(res.headers.get('x-request-id') ?? '', before, 'graphql', /identity fault/)
  })

  it('of the HTTP pipeline (the readiness check) answers 503 and is reported once', async () => {
    const before = await internalErrors()
    vi.spyOn(t.app.services.readiness, 'report').mockRejectedValueOnce(new TypeError('readiness fault'))
    const res = await t.request('GET', '/ready')
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ status: 'unavailable' })
    await expectReportedOnce(res.headers.get('x-request-id') ?? '', before, '/ready', /readiness fault/)
  })

  it('of a REST route is reported once', async () => {
    const before = await internalErrors()
    vi.spyOn(t.app.services.store.analytics, 'workingTime').mockRejectedValueOnce(
      new TypeError('route fault'),
    )
    const res = await t.request('GET', '/api/working-time.csv', { headers: as('walt', 'acme') })
    expect(res.status).toBe(500)
    await expectReportedOnce(
      res.headers.get('x-request-id') ?? '',
      before,
      '/api/working-time.csv',
      /route fault/,
    )
  })
})

describe('a fault in the HTTP layer', () => {
  // The service's node listener (src/transports/safety-net.ts) around an adapter made to fail, on a
  // real port, reporting to the app's reporter: what the app's own server does with yoga.
  let server: Server | undefined
  let handle: (req: IncomingMessage, res: ServerResponse) => Response | Promise<Response>

  beforeAll(async () => {
    const adapter: AdapterLike = {
      handleNodeRequestAndResponse: (req, res) => handle(req, res),
      fetch: () => new Response(null, { status: 404 }),
    }
    server = createServer(nodeListener(adapter, t.app.services.report, 'http'))
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  })
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve))
  })
  const url = () => `http://127.0.0.1:${(server?.address() as AddressInfo).port}`

  it('of the adapter is answered 500 as JSON with a request id, and reported once', async () => {
    const before = await internalErrors()
    handle = () => {
      throw new TypeError('adapter fault')
    }
    const res = await fetch(`${url()}/health`)
    expect(res.status).toBe(500)
    expect(await res.json()).toMatchObject({ code: 'INTERNAL' })
    await expectReportedOnce(res.headers.get('x-request-id') ?? '', before, 'http', /adapter fault/)
  })

  it('of a body that fails while it is sent cuts the answer, and is reported once', async () => {
    const before = await internalErrors()
    const requestId = crypto.randomUUID()
    handle = () => {
      let sent = false
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) controller.error(new TypeError('body fault'))
          else controller.enqueue(new TextEncoder().encode('a,b\n'))
          sent = true
        },
      })
      return new Response(body, { status: 200, headers: { 'x-request-id': requestId } })
    }
    // The status went out before the body failed; the client sees the connection cut.
    const received = await fetch(`${url()}/api/working-time.csv`)
      .then((res) => res.text())
      .then(
        () => 'whole',
        () => 'cut',
      )
    expect(received).toBe('cut')
    await expect.poll(() => lines.some((l) => l.requestId === requestId), { timeout: 15_000 }).toBe(true)
    await expectReportedOnce(requestId, before, 'http', /body fault/)
  })

  it('leaves a client that went away alone', async () => {
    const before = await internalErrors()
    const chunk = new TextEncoder().encode('x'.repeat(1024 * 1024))
    let cancelled = false
    handle = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(chunk)
          },
          cancel() {
            cancelled = true
          },
        }),
        { status: 200 },
      )
    const controller = new AbortController()
    const res = await fetch(`${url()}/api/working-time.csv`, { signal: controller.signal })
    await res.body?.getReader().read()
    controller.abort()
    await expect.poll(() => cancelled, { timeout: 15_000 }).toBe(true)
    expect(await internalErrors()).toBe(before)
  })
})
