import { once } from 'node:events'
import http from 'node:http'
import type { ExecutionResult } from 'graphql'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { LiveEventsDocument, LiveExceptionsDocument } from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, basic } from '../support/fixtures.js'
import { liveSocket, sseSubscribe, type LiveSocket } from '../support/live.js'

// How events reach subscribers: never before they are stored, and a slow subscriber (WebSocket or
// SSE) dropped without holding anyone else up. Shutdown is live-shutdown.test.ts: it stops its service.
const BUFFER = 50
let t: TestApp
let url: string
const sockets: LiveSocket[] = []
beforeAll(async () => {
  // No keep-alive pings: the paused client below could not answer them and would be cut off (1006)
  // before it reads the 4429 it was sent.
  t = await startTestApp({ LIVE_BUFFER_EVENTS: String(BUFFER), LIVE_KEEPALIVE_MS: '0' })
  url = (await t.app.start()).url
})
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()))
  await t.stop()
})

const subscribed = (n: number) =>
  vi.waitFor(() => expect(t.app.services.live.size).toBe(n), { timeout: 10_000 })
const socketOf = () => {
  const socket = liveSocket(url, { authorization: basic('walt'), 'x-organization': 'acme' })
  sockets.push(socket)
  return socket
}
const send = (events: unknown[]) =>
  t.request('POST', '/api/events', {
    headers: as('walt', 'acme'),
    body: { events, timestamp: new Date().toISOString() },
  })
// Each event a slow subscriber is sent is large (aliases repeat the 16 kB message), so its buffers fill soon.
const FLOOD_12_MESSAGES = `subscription { exceptions(filter: { objNames: ["flood"] }) { ${Array.from({ length: 12 }, (_, i) => `m${i}: message`).join(' ')} } }`
const frames = (n: number, marker: string, padding = 0) =>
  Array.from({ length: n }, (_, i) => ({
    scope: 'send:exception',
    timestamp: new Date().toISOString(),
    obj_val: `${marker}-${i}`,
    obj_name: marker,
    payload: JSON.stringify({ message: `${marker} ${'x'.repeat(padding)}` }),
  }))

describe('delivery', () => {
  it('pushes nothing of an insert that failed, and what is stored afterwards', async () => {
    const socket = socketOf()
    const received = socket.subscribe(LiveEventsDocument, { filter: { objNames: ['rollback'] } })
    await subscribed(1)
    // The engine refuses the whole block: a constraint these rows break (not an outage: no spool).
    await t.sql.command({
      name: 'test.refuse',
      sql: "ALTER TABLE default.events ADD CONSTRAINT refuse_rollback CHECK ifNull(obj_val, '') NOT LIKE 'rollback-%'",
    })
    const failed = await send(frames(3, 'rollback'))
    await t.sql.command({
      name: 'test.accept',
      sql: 'ALTER TABLE default.events DROP CONSTRAINT refuse_rollback',
    })
    expect(failed.status).toBeGreaterThanOrEqual(500)
    const stored = await send(frames(1, 'rollback').map((e) => ({ ...e, obj_val: 'after' })))
    expect(stored.status).toBe(201)
    await vi.waitFor(() => expect(received.data.map((d) => d.events.objVal)).toEqual(['after']))
    expect((await t.events("obj_name = 'rollback'")).map((e) => e.obj_val)).toEqual(['after'])
    await socket.dispose()
    await subscribed(0)
  })

  it(
    'drops a subscriber that does not read (4429) while ingest and the others keep going',
    { timeout: 120_000 },
    async () => {
      const fast = socketOf()
      const fastReceived = fast.subscribe(LiveExceptionsDocument, { filter: { objNames: ['flood'] } })
      // A client that stops reading: its socket is paused, so TCP pushes back once buffers are full.
      const slow = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws')
      const slowClosed = new Promise<number>((resolve) => slow.once('close', (code) => resolve(code)))
      await new Promise((resolve) => slow.once('open', resolve))
      slow.send(
        JSON.stringify({
          type: 'connection_init',
          payload: { authorization: basic('walt'), 'x-organization': 'acme' },
        }),
      )
      await new Promise((resolve) => slow.once('message', resolve))
      slow.send(
        JSON.stringify({
          id: '1',
          type: 'subscribe',
          payload: { query: FLOOD_12_MESSAGES },
        }),
      )
      await subscribed(2)
      ;(slow as unknown as { _socket: { pause(): void } })._socket.pause()

      const dropped = () => t.app.services.metrics.subscribersDropped.get()
      const tooSlow = async () =>
        (await dropped()).values.find(
          (v) => v.labels.reason === 'too-slow' && v.labels.transport === 'websocket',
        )?.value ?? 0
      let sent = 0
      for (let batch = 0; batch < 40 && (await tooSlow()) === 0; batch++) {
        const started = Date.now()
        const res = await send(frames(50, 'flood', 16_000))
        expect(res.status).toBe(201)
        expect(Date.now() - started).toBeLessThan(10_000)
        sent += 50
        await vi.waitFor(() => expect(fastReceived.data).toHaveLength(sent), { timeout: 10_000 })
      }
      expect(await tooSlow()).toBe(1)
      expect(t.app.services.live.size).toBe(1) // the fast one
      ;(slow as unknown as { _socket: { resume(): void } })._socket.resume()
      expect(await slowClosed).toBe(4429)
      // The fast subscriber received every event, in order.
      expect(fastReceived.data.map((d) => d.exceptions.message?.slice(0, 5))).toEqual(
        Array(sent).fill('flood'),
      )
      await fast.dispose()
      await subscribed(0)
    },
  )

  it(
    'drops an SSE subscriber that does not read while the others keep going; it gets the reason when it reads again',
    { timeout: 120_000 },
    async () => {
      const socket = socketOf()
      const fastSocket = socket.subscribe(LiveExceptionsDocument, { filter: { objNames: ['flood'] } })
      const fastSse = sseSubscribe(
        url,
        LiveExceptionsDocument,
        { filter: { objNames: ['flood'] } },
        as('walt', 'acme'),
      )
      // A page that stops reading its event stream: TCP pushes back once the buffers are full.
      const slow = http.request(`${url}/graphql`, {
        method: 'POST',
        headers: { ...as('walt', 'acme'), 'content-type': 'application/json', accept: 'text/event-stream' },
      })
      slow.end(JSON.stringify({ query: FLOOD_12_MESSAGES }))
      const [response] = (await once(slow, 'response')) as [http.IncomingMessage]
      expect(response.headers['content-type']).toBe('text/event-stream')
      response.pause()
      await subscribed(3)

      const tooSlow = async () =>
        (await t.app.services.metrics.subscribersDropped.get()).values.find(
          (v) => v.labels.reason === 'too-slow' && v.labels.transport === 'sse',
        )?.value ?? 0
      let sent = 0
      for (let batch = 0; batch < 40 && (await tooSlow()) === 0; batch++) {
        const res = await send(frames(50, 'flood', 16_000))
        expect(res.status).toBe(201)
        sent += 50
        await vi.waitFor(() => expect(fastSocket.data).toHaveLength(sent), { timeout: 10_000 })
        await vi.waitFor(() => expect(fastSse.data).toHaveLength(sent), { timeout: 10_000 })
      }
      expect(await tooSlow()).toBe(1)
      expect(t.app.services.live.size).toBe(2) // the fast ones
      // It reads again: what was on its way, then the reason, then the end of the stream.
      response.setEncoding('utf8')
      let body = ''
      response.on('data', (chunk: string) => (body += chunk))
      response.resume()
      await once(response, 'end')
      const results = body
        .split('\n\n')
        .filter((message) => message.startsWith('event: next'))
        .map((message) => JSON.parse(message.slice(message.indexOf('data: ') + 6)) as ExecutionResult)
      expect(results.length).toBeGreaterThan(1)
      expect(results.length).toBeLessThan(sent) // not everything: it was cut off
      expect(results.at(-1)?.errors?.[0]?.extensions?.code).toBe('SUBSCRIBER_TOO_SLOW')
      expect(body.endsWith('event: complete\ndata:\n\n')).toBe(true)
      // The fast ones received every event, in order.
      for (const fast of [fastSocket.data, fastSse.data])
        expect(fast.map((d) => d.exceptions.message?.slice(0, 5))).toEqual(Array(sent).fill('flood'))
      fastSse.stop()
      await socket.dispose()
      await subscribed(0)
    },
  )
})
