import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { LiveEventsDocument } from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, basic } from '../support/fixtures.js'
import { liveSocket, sseSubscribe, type LiveSocket } from '../support/live.js'

// A file of its own: the test stops the service, and chDB allows one store per process, so no
// other test could run after it in the same file.
let t: TestApp
let url: string
let socket: LiveSocket
beforeAll(async () => {
  t = await startTestApp()
  url = (await t.app.start()).url
})
afterAll(async () => {
  await socket?.dispose()
})

it('at shutdown, sends the last stored events, then closes sockets with 1001 and completes SSE streams', async () => {
  socket = liveSocket(url, { authorization: basic('walt'), 'x-organization': 'acme' })
  const viaSocket = socket.subscribe(LiveEventsDocument, { filter: { objNames: ['last'] } })
  const viaSse = sseSubscribe(url, LiveEventsDocument, { filter: { objNames: ['last'] } }, as('walt', 'acme'))
  await vi.waitFor(() => expect(t.app.services.live.size).toBe(2), { timeout: 10_000 })
  const events = Array.from({ length: 40 }, (_, i) => ({
    scope: 'send:exception',
    timestamp: new Date().toISOString(),
    obj_val: `last-${i}`,
    obj_name: 'last',
    payload: JSON.stringify({ message: `last ${i}` }),
  }))
  // SIGTERM once the batch is handed to the writer: its events are stored and go out before the end.
  const writer = t.app.services.writer as { write: typeof t.app.services.writer.write }
  const write = writer.write.bind(writer)
  const writing = new Promise<void>((resolve) => {
    writer.write = (records) => {
      resolve()
      return write(records)
    }
  })
  const answer = t.request('POST', '/api/events', {
    headers: as('walt', 'acme'),
    body: { events, timestamp: new Date().toISOString() },
  })
  await writing
  const stopping = t.stop()
  expect((await answer).status).toBe(201)
  await stopping
  expect(await socket.closed).toEqual({ code: 1001, reason: 'the server is shutting down' })
  expect(viaSocket.data.map((d) => d.events.objVal)).toEqual(events.map((e) => e.obj_val))
  await vi.waitFor(() => expect(viaSse.ended).toBe(true))
  expect(viaSse.error).toBeUndefined()
  expect(viaSse.data.map((d) => d.events.objVal)).toEqual(events.map((e) => e.obj_val))
})
