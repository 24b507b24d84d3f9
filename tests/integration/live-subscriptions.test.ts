import type { TypedDocumentNode } from '@graphql-typed-document-node/core'
import { parse } from 'graphql'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  EventsDocument,
  LiveEventsDocument as LiveEvents,
  LiveExceptionsDocument as LiveExceptions,
  LogEventsDocument,
} from '../../src/gql/graphql.js'
import { exceptionGroupOf } from '../../src/domain/exception-fingerprint.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, basic, bearer, TOKENS, type Person, SCRAPER } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'
import { liveSocket, sseSubscribe, type LiveSocket } from '../support/live.js'
import { CHROME, DJANGO } from '../support/stack-traces.js'

let t: TestApp
let url: string
let loggerUrl: string
const sockets: LiveSocket[] = []
beforeAll(async () => {
  t = await startTestApp({ CVAT_LOGGER_PORT: '0' })
  const started = await t.app.start()
  url = started.url
  loggerUrl = `http://127.0.0.1:${started.cvatLoggerPort}/`
})
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()))
  await t.stop()
})

/** A socket with a person's credentials in connectionParams (in an organization, by slug). */
function socketOf(person: Person | { token: string }, org?: string): LiveSocket {
  const authorization = typeof person === 'string' ? basic(person) : bearer(person.token)
  const socket = liveSocket(url, { authorization, ...(org ? { 'x-organization': org } : {}) })
  sockets.push(socket)
  return socket
}

/** Waits until the hub holds `n` subscriptions (they register asynchronously; each test starts from none). */
const subscribed = (n: number) =>
  vi.waitFor(() => expect(t.app.services.live.size).toBe(n), { timeout: 10_000 })
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.dispose()))
  await subscribed(0)
})

const now = () => new Date().toISOString()
const exception = (message: string, fields: Record<string, unknown> = {}, stack = CHROME.stack) => ({
  scope: 'send:exception',
  timestamp: now(),
  payload: JSON.stringify({ message, stack, filename: 'cvat-ui.min.js', line: 2, column: 181734 }),
  ...fields,
})
const send = async (person: Person, org: string | undefined, events: unknown[]) => {
  const res = await t.request('POST', '/api/events', {
    headers: as(person, org),
    body: { events, timestamp: now() },
  })
  expect(res.status).toBe(201)
  return res
}

describe('Subscription.exceptions over graphql-ws', () => {
  it('pushes to each principal exactly what Query.events with the same filter returns it', async () => {
    const from = Date.now() - 1_000
    // This test's events alone: another test's exceptions of the last second are not its to compare.
    const marker = 'principals'
    const filter = { from: new Date(from).toISOString(), scopes: ['send:exception'], objNames: [marker] }
    const principals: {
      name: string
      person: Person | { token: string }
      org?: string
      headers: Record<string, string>
    }[] = [
      { name: 'admin', person: 'admin', headers: as('admin') },
      { name: 'admin in acme', person: 'admin', org: 'acme', headers: as('admin', 'acme') },
      { name: 'owner', person: 'olivia', org: 'acme', headers: as('olivia', 'acme') },
      { name: 'supervisor', person: 'sue', org: 'acme', headers: as('sue', 'acme') },
      { name: 'worker', person: 'walt', org: 'acme', headers: as('walt', 'acme') },
      { name: 'worker of another org', person: 'gina', org: 'globex', headers: as('gina', 'globex') },
      { name: 'user without org', person: 'nora', headers: as('nora') },
      {
        name: 'read token',
        person: { token: TOKENS.oliviaRead },
        org: 'acme',
        headers: { authorization: bearer(TOKENS.oliviaRead), 'x-organization': 'acme' },
      },
    ]
    const subscriptions = principals.map((p) => ({
      ...p,
      received: socketOf(p.person, p.org).subscribe(LiveExceptions, {
        filter: { from: filter.from, objNames: [marker] },
      }),
    }))
    await subscribed(subscriptions.length)

    await send('walt', 'acme', [exception('walt in acme', { job_id: 101, obj_name: marker })])
    await send('sue', 'acme', [exception('sue in acme', { job_id: 102, obj_name: marker })])
    await send('gina', 'globex', [exception('gina in globex', { job_id: 201, obj_name: marker })])
    await send('nora', undefined, [exception('nora alone', { obj_name: marker })])
    const server = await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: [
        {
          scope: 'send:exception',
          timestamp: Date.now(),
          user_id: 11,
          user_name: 'mark',
          org_id: 7,
          org_slug: 'acme',
          obj_name: marker,
          payload: JSON.stringify({ message: 'server in acme', stack: DJANGO.stack }),
        },
      ],
    })
    expect(server.status).toBe(201)

    for (const p of subscriptions) {
      const page = expectOk(
        await graphql(t, EventsDocument, { filter, first: 1000, orderBy: 'TIMESTAMP_ASC' }, p.headers),
      )
      const expected = page.events.edges.map((e) => e.node.id)
      await vi.waitFor(() =>
        expect(
          p.received.data.map((d) => d.exceptions.id),
          p.name,
        ).toEqual(expected),
      )
    }
    const byName = Object.fromEntries(
      subscriptions.map((p) => [p.name, p.received.data.map((d) => d.exceptions.message)]),
    )
    expect(byName).toMatchObject({
      admin: ['walt in acme', 'sue in acme', 'gina in globex', 'nora alone', 'server in acme'],
      owner: ['walt in acme', 'sue in acme', 'server in acme'],
      worker: ['walt in acme'],
      'worker of another org': ['gina in globex'],
      'user without org': ['nora alone'],
      'read token': ['walt in acme', 'sue in acme', 'server in acme'],
    })
    // And nothing more arrives: markers sent afterwards on the same channels (one each subscriber
    // may see) arrive right after what it already holds, with nothing in between.
    await send('walt', 'acme', [exception('marker in acme', { job_id: 101, obj_name: marker })])
    await send('sue', 'acme', [exception('marker by sue', { job_id: 102, obj_name: marker })])
    await send('gina', 'globex', [exception('marker in globex', { job_id: 201, obj_name: marker })])
    await send('nora', undefined, [exception('marker alone', { obj_name: marker })])
    const markers: Record<string, string[]> = {
      admin: ['marker in acme', 'marker by sue', 'marker in globex', 'marker alone'],
      'admin in acme': ['marker in acme', 'marker by sue'],
      owner: ['marker in acme', 'marker by sue'],
      supervisor: ['marker by sue'],
      worker: ['marker in acme'],
      'worker of another org': ['marker in globex'],
      'user without org': ['marker alone'],
      'read token': ['marker in acme', 'marker by sue'],
    }
    for (const p of subscriptions) {
      const held = byName[p.name] ?? []
      await vi.waitFor(() =>
        expect(
          p.received.data.map((d) => d.exceptions.message),
          p.name,
        ).toEqual([...held, ...(markers[p.name] ?? ['a marker for every subscriber'])]),
      )
    }
    for (const p of subscriptions)
      expect(
        p.received.results.every((r) => !r.errors),
        p.name,
      ).toBe(true)
  })

  it('carries the group id the store groups by, and the request that caused the event', async () => {
    const received = socketOf('walt', 'acme').subscribe(LiveExceptions, { filter: { jobIds: ['109'] } })
    await subscribed(1)
    const res = await send('walt', 'acme', [exception('Job 4242 not found', { job_id: 109 })])
    await vi.waitFor(() => expect(received.data).toHaveLength(1))
    const pushed = received.data[0]?.exceptions
    const [stored] = await t.events('event_id = {id:UUID}', { id: pushed?.id })
    const [row] = await t.sql.rows<{ exception_group: string }>({
      name: 'test.group',
      sql: `SELECT exception_group FROM events WHERE event_id = {id:UUID}`,
      params: { id: pushed?.id },
    })
    expect(pushed?.groupId).toBe(row?.exception_group)
    expect(pushed?.groupId).toBe(exceptionGroupOf('send:exception', stored?.payload ?? null))
    expect(pushed?.event.requestId).toBe(res.headers.get('x-request-id'))
    expect(pushed?.jobId).toBe('109')
  })

  it('pushes what every ingest path stores: server events, the CVAT logger, logEvents, the service’s own faults', async () => {
    const received = socketOf('admin').subscribe(LiveExceptions, { filter: { objNames: ['paths'] } })
    await subscribed(1)
    const event = (message: string) => ({
      scope: 'send:exception',
      timestamp: String(Date.now() / 1000),
      obj_name: 'paths',
      payload: JSON.stringify({ message }),
    })
    await t.request('POST', '/api/events/server', {
      headers: { authorization: bearer(TOKENS.ingest) },
      body: [event('from server events')],
    })
    const logger = await fetch(loggerUrl, {
      method: 'POST',
      body: JSON.stringify([event('from the CVAT logger')]),
    })
    expect(logger.status).toBe(200)
    const logged = await graphql(
      t,
      LogEventsDocument,
      {
        batch: {
          timestamp: now(),
          events: [
            {
              scope: 'send:exception',
              timestamp: now(),
              objName: 'paths',
              payload: { message: 'from logEvents' },
            },
          ],
        },
      },
      as('walt', 'acme'),
    )
    expect(expectOk(logged).logEvents.__typename).toBe('LogEventsSuccess')
    await vi.waitFor(() =>
      expect(received.data.map((d) => d.exceptions.message)).toEqual([
        'from server events',
        'from the CVAT logger',
        'from logEvents',
      ]),
    )
    // The service's own unexpected errors are stored as server exceptions, and pushed.
    const faults = socketOf('admin').subscribe(LiveExceptions, {
      filter: { sources: ['server'], userIds: [] },
    })
    await subscribed(2)
    t.app.services.report(new TypeError('a bug of ours'), { where: 'test' })
    await vi.waitFor(() =>
      expect(faults.data.map((d) => d.exceptions.message)).toContain('TypeError: a bug of ours'),
    )
  })

  it('refuses a filter naming what the principal may not see with FORBIDDEN, and ingest tokens', async () => {
    const worker = socketOf('walt', 'acme').subscribe(LiveExceptions, { filter: { userIds: ['12'] } })
    const ingest = socketOf({ token: TOKENS.ingest }).subscribe(LiveExceptions, {})
    await vi.waitFor(() => expect(worker.ended && ingest.ended).toBe(true))
    expect(worker.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    expect(ingest.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
  })

  it('refuses an operation beyond the query limits with TOO_COMPLEX, as for queries', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: id`).join(' ')
    const document = parse(`subscription { exceptions { ${aliases} } }`) as TypedDocumentNode<
      unknown,
      Record<string, never>
    >
    const received = socketOf('walt', 'acme').subscribe(document, {})
    await vi.waitFor(() => expect(received.ended).toBe(true))
    // Refused while validated: graphql-ws answers with an error message, not a result.
    expect((received.error as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('TOO_COMPLEX')
  })

  it('holds a user to RATE_LIMIT_SUBSCRIPTIONS open subscriptions, and gives the slot back when one ends', async () => {
    const socket = socketOf('walt', 'acme')
    const held = Array.from({ length: 20 }, () => socket.subscribe(LiveExceptions, {}))
    await subscribed(20)
    const refused = socket.subscribe(LiveExceptions, {})
    await vi.waitFor(() => expect(refused.ended).toBe(true))
    expect(refused.results[0]?.errors?.[0]?.extensions?.code).toBe('TOO_MANY_REQUESTS')
    held[0]?.stop()
    await subscribed(19)
    socket.subscribe(LiveExceptions, {})
    await subscribed(20)
  })

  it('refuses a malformed filter with BAD_USER_INPUT naming the field', async () => {
    const received = socketOf('walt', 'acme').subscribe(LiveExceptions, {
      filter: { exceptionGroups: ['nope'] },
    })
    await vi.waitFor(() => expect(received.ended).toBe(true))
    expect(received.results[0]?.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'filter.exceptionGroups',
    })
  })

  it('follows a group: only the exceptions of the groups named', async () => {
    const group = exceptionGroupOf(
      'send:exception',
      JSON.stringify({ message: 'Job 1 gone', stack: CHROME.stack }),
    )
    const received = socketOf('walt', 'acme').subscribe(LiveExceptions, {
      filter: { exceptionGroups: [group] },
    })
    await subscribed(1)
    await send('walt', 'acme', [
      exception('Job 77 gone'),
      exception('Something else'),
      exception('Job 78 gone'),
    ])
    await vi.waitFor(() =>
      expect(received.data.map((d) => d.exceptions.message)).toEqual(['Job 77 gone', 'Job 78 gone']),
    )
    expect(new Set(received.data.map((d) => d.exceptions.groupId))).toEqual(new Set([group]))
  })
})

describe('Subscription.events (a live tail)', () => {
  it('pushes one batch in its order, with the scopes and filters asked for', async () => {
    const all = socketOf('walt', 'acme').subscribe(LiveEvents, { filter: { jobIds: ['150'] } })
    const frames = socketOf('olivia', 'acme').subscribe(LiveEvents, {
      filter: { jobIds: ['150'], scopes: ['change:frame'] },
    })
    await subscribed(2)
    const batch = Array.from({ length: 20 }, (_, i) => ({
      scope: i % 5 === 4 ? 'zoom:image' : 'change:frame',
      timestamp: new Date(Date.now() - 20_000 + i * 100).toISOString(),
      job_id: 150,
      count: 1,
      obj_val: String(i),
    }))
    await send('walt', 'acme', batch)
    await vi.waitFor(() => expect(frames.data).toHaveLength(16))
    await vi.waitFor(() => expect(all.data.filter((d) => d.events.objVal !== null)).toHaveLength(20))
    expect(all.data.filter((d) => d.events.objVal !== null).map((d) => d.events.objVal)).toEqual(
      batch.map((e) => e.obj_val),
    )
    expect(frames.data.every((d) => d.events.scope === 'change:frame')).toBe(true)
  })
})

describe('connections', () => {
  it('closes a socket with 4401 and a reason for missing or wrong credentials', async () => {
    expect(await liveSocket(url, {}).closed).toMatchObject({ code: 4401 })
    const wrong = await liveSocket(url, {
      authorization: `Basic ${Buffer.from('walt:nope').toString('base64')}`,
    }).closed
    expect(wrong.code).toBe(4401)
    expect(wrong.reason).toMatch(/authentication/)
  })

  it('closes a socket with 4403 for an organization the user is not a member of, by param or by URL', async () => {
    const byParam = await liveSocket(url, { authorization: basic('gina'), 'x-organization': 'acme' }).closed
    expect(byParam).toEqual({
      code: 4403,
      reason: "organization 'acme' does not exist or you are not a member of it",
    })
    const byQuery = await liveSocket(url, { authorization: basic('gina') }, '?org=acme').closed
    expect(byQuery.code).toBe(4403)
  })

  it('takes credentials from the upgrade request headers too', async () => {
    const { WebSocket } = await import('ws')
    const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql?org=acme`, 'graphql-transport-ws', {
      headers: { authorization: basic('walt') },
    })
    const messages: string[] = []
    ws.on('message', (m: Buffer) => messages.push(m.toString()))
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(JSON.stringify({ type: 'connection_init' }))
    await vi.waitFor(() => expect(messages).toContain('{"type":"connection_ack"}'))
    ws.close()
  })

  it('refuses sockets opened by pages of other origins', async () => {
    const { WebSocket } = await import('ws')
    const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws', {
      headers: { origin: 'https://evil.example' },
    })
    const status = await new Promise<number | undefined>((resolve) =>
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode)),
    )
    expect(status).toBe(403)
  })
})

describe('Subscription over server-sent events', () => {
  it('pushes the same events to an SSE client, with the same access rules', async () => {
    const from = new Date(Date.now() - 1_000).toISOString()
    const worker = sseSubscribe(
      url,
      LiveExceptions,
      { filter: { from, jobIds: ['160'] } },
      as('walt', 'acme'),
    )
    const owner = sseSubscribe(
      url,
      LiveExceptions,
      { filter: { from, jobIds: ['160'] } },
      as('olivia', 'acme'),
    )
    expect((await worker.response).headers.get('content-type')).toMatch(/text\/event-stream/)
    await subscribed(2)
    await send('walt', 'acme', [exception('sse walt', { job_id: 160 })])
    await send('sue', 'acme', [exception('sse sue', { job_id: 160 })])
    await vi.waitFor(() =>
      expect(owner.data.map((d) => d.exceptions.message)).toEqual(['sse walt', 'sse sue']),
    )
    expect(worker.data.map((d) => d.exceptions.message)).toEqual(['sse walt'])
    worker.stop()
    owner.stop()
  })

  it('refuses a subscription over HTTP that cannot take a stream with 406, registering nothing', async () => {
    const res = await t.request('POST', '/graphql', {
      headers: { ...as('walt', 'acme'), accept: 'application/json' },
      body: { query: 'subscription { exceptions { id } }' },
    })
    expect(res.status).toBe(406)
    const body = (await res.json()) as { errors: { extensions: { code: string } }[] }
    expect(body.errors[0]?.extensions.code).toBe('NOT_ACCEPTABLE')
    expect(t.app.services.live.size).toBe(0)
  })

  it('answers a subscription that accepts anything as server-sent events, and counts it as one', async () => {
    const controller = new AbortController()
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { ...as('walt', 'acme'), 'content-type': 'application/json', accept: '*/*' },
      body: JSON.stringify({ query: 'subscription { exceptions { message } }' }),
      signal: controller.signal,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    await subscribed(1)
    const text = await (await t.request('GET', '/metrics', { headers: SCRAPER })).text()
    expect(text).toMatch(/analytics_subscriptions_open\{transport="sse"\} 1$/m)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    await send('walt', 'acme', [exception('any accept')])
    let received = ''
    while (!received.includes('any accept')) {
      const chunk = await reader.read()
      if (chunk.done) break
      received += new TextDecoder().decode(chunk.value)
    }
    expect(received).toMatch(/^event: next$/m)
    expect(received).toContain('any accept')
    controller.abort()
    await subscribed(0)
  })

  it.each(['multipart/mixed', 'text/event-stream; charset=iso-8859-1'])(
    'refuses a subscription over HTTP that takes only %s with 406, registering nothing',
    async (accept) => {
      const res = await t.request('POST', '/graphql', {
        headers: { ...as('walt', 'acme'), accept },
        body: { query: 'subscription { exceptions { id } }' },
      })
      expect(res.status).toBe(406)
      expect(((await res.json()) as { code?: string }).code).toBe('NOT_ACCEPTABLE')
      expect(t.app.services.live.size).toBe(0)
    },
  )

  it('answers FORBIDDEN and 401 as for any request', async () => {
    const forbidden = sseSubscribe(url, LiveExceptions, { filter: { orgIds: ['8'] } }, as('walt', 'acme'))
    await vi.waitFor(() => expect(forbidden.ended).toBe(true))
    expect(forbidden.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription { exceptions { id } }' }),
    })
    expect(res.status).toBe(401)
  })
})

describe('metrics', () => {
  it('counts open subscriptions by transport', async () => {
    const received = socketOf('walt', 'acme').subscribe(LiveEvents, {})
    await subscribed(1)
    const text = await (await t.request('GET', '/metrics', { headers: SCRAPER })).text()
    expect(text).toMatch(/analytics_subscriptions_open\{transport="websocket"\} [1-9]/)
    received.stop()
  })
})
