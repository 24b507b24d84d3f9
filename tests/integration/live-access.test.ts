import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { removeMembership, revokeToken, setMembership } from '../../src/auth/account-admin.js'
import { updateAccounts } from '../../src/auth/accounts-file.js'
import { hashToken } from '../../src/auth/tokens.js'
import { LiveExceptionsDocument } from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { as, basic, bearer, TOKENS, SCRAPER } from '../support/fixtures.js'
import { liveSocket, sseSubscribe, type LiveSocket } from '../support/live.js'

// Open subscriptions follow the accounts file: the service notices a change within a second or
// two and re-authenticates every subscriber's credentials.
let t: TestApp
let url: string
beforeAll(async () => {
  t = await startTestApp({ LIVE_KEEPALIVE_MS: '1000' })
  url = (await t.app.start()).url
})
afterAll(async () => {
  await t.stop()
})
const opened: LiveSocket[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.dispose()))
  await subscribed(0)
})
/** A graphql-ws socket, disposed after the test. */
const socketWith = (params: Record<string, string>) => {
  const socket = liveSocket(url, params)
  opened.push(socket)
  return socket
}

const edit = (change: Parameters<typeof updateAccounts<void>>[1]) =>
  updateAccounts(t.config.accountsFile, change)
const send = (events: unknown[]) =>
  t.request('POST', '/api/events', {
    headers: as('walt', 'acme'),
    body: { events, timestamp: new Date().toISOString() },
  })
const exception = (message: string) => ({
  scope: 'send:exception',
  timestamp: new Date().toISOString(),
  payload: JSON.stringify({ message }),
})
const settle = () => new Promise((resolve) => setTimeout(resolve, 300))
/** Waits until the hub holds this many subscriptions (they register asynchronously). */
const subscribed = (n: number) =>
  vi.waitFor(() => expect(t.app.services.live.size).toBe(n), { timeout: 10_000 })

describe('access of open subscriptions', () => {
  it('closes the sockets of a revoked token with 4401, and only those', async () => {
    const revoked = socketWith({ authorization: bearer(TOKENS.waltRead), 'x-organization': 'acme' })
    const other = socketWith({ authorization: bearer(TOKENS.oliviaRead), 'x-organization': 'acme' })
    const received = revoked.subscribe(LiveExceptionsDocument, {})
    const kept = other.subscribe(LiveExceptionsDocument, {})
    await subscribed(2)
    await edit((data) => {
      const token = data.tokens.find((k) => k.hash === hashToken(TOKENS.waltRead))
      return { data: revokeToken(data, token?.id ?? ''), result: undefined }
    })
    expect(await revoked.closed).toEqual({ code: 4401, reason: 'credentials no longer accepted' })
    expect(received.data).toEqual([])
    await send([exception('after the revocation')])
    await vi.waitFor(() =>
      expect(kept.data.map((d) => d.exceptions.message)).toEqual(['after the revocation']),
    )
    await other.dispose()
  })

  it('closes with 4403 when the membership the socket works in is removed', async () => {
    const socket = socketWith({ authorization: basic('sue'), 'x-organization': 'acme' })
    socket.subscribe(LiveExceptionsDocument, {})
    await subscribed(1)
    await edit((data) => ({ data: removeMembership(data, 'acme', 'sue'), result: undefined }))
    const closed = await socket.closed
    expect(closed.code).toBe(4403)
    expect(closed.reason).toMatch(/organization 'acme' does not exist or you are not a member of it/)
    await edit((data) => ({ data: setMembership(data, 'acme', 'sue', 'supervisor'), result: undefined }))
  })

  it('narrows what a subscriber receives when its role shrinks, and ends it when its filter is now out of sight', async () => {
    const socket = socketWith({ authorization: basic('mark'), 'x-organization': 'acme' })
    const everyone = socket.subscribe(LiveExceptionsDocument, { filter: { objNames: ['narrow'] } })
    const sues = socketWith({ authorization: basic('mark'), 'x-organization': 'acme' })
    const named = sues.subscribe(LiveExceptionsDocument, { filter: { userIds: ['13'] } })
    await subscribed(2)
    await send([{ ...exception('seen by a maintainer'), obj_name: 'narrow' }])
    await vi.waitFor(() => expect(everyone.data).toHaveLength(1))
    await edit((data) => ({ data: setMembership(data, 'acme', 'mark', 'worker'), result: undefined }))
    expect((await sues.closed).code).toBe(4403) // a worker may not watch walt's events
    expect(named.data.map((d) => d.exceptions.message)).toEqual(['seen by a maintainer'])
    await send([{ ...exception('walt’s, no longer mark’s to see'), obj_name: 'narrow' }])
    await settle()
    expect(everyone.data.map((d) => d.exceptions.message)).toEqual(['seen by a maintainer'])
    await edit((data) => ({ data: setMembership(data, 'acme', 'mark', 'maintainer'), result: undefined }))
    await socket.dispose()
  })

  it('ends an SSE stream whose access is withdrawn with a FORBIDDEN result', async () => {
    await edit((data) => ({ data: setMembership(data, 'globex', 'nora', 'worker'), result: undefined }))
    await t.app.services.directory.refresh(true) // the new membership is seen before subscribing
    const stream = sseSubscribe(url, LiveExceptionsDocument, {}, as('nora', 'globex'))
    await stream.response
    await subscribed(1)
    await edit((data) => ({ data: removeMembership(data, 'globex', 'nora'), result: undefined }))
    await vi.waitFor(() => expect(stream.ended).toBe(true), { timeout: 5_000 })
    expect(stream.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN')
  })

  it('counts the subscribers it dropped, by reason', async () => {
    const text = await (await t.request('GET', '/metrics', { headers: SCRAPER })).text()
    expect(text).toMatch(
      /analytics_subscribers_dropped_total\{reason="unauthenticated",transport="websocket"\} 1/,
    )
    expect(text).toMatch(/analytics_subscribers_dropped_total\{reason="forbidden",transport="websocket"\} 2/)
    expect(text).toMatch(/analytics_subscribers_dropped_total\{reason="forbidden",transport="sse"\} 1/)
  })
})

describe('keep-alive', () => {
  it('pings open sockets', async () => {
    const { WebSocket } = await import('ws')
    const ws = new WebSocket(`${url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws')
    const ping = new Promise((resolve) => ws.once('ping', resolve))
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: basic('walt') } }))
    await ping
    ws.close()
  })
})
