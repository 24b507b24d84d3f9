import { describe, expect, it, vi } from 'vitest'
import { authorize } from '../../src/auth/policy.js'
import type { Access } from '../../src/auth/principal.js'
import type { RequestInfo } from '../../src/domain/request-info.js'
import type { EventRecord } from '../../src/domain/event.js'
import { withScopes } from '../../src/domain/filter.js'
import { emptyRecord } from '../../src/ingest/records.js'
import { localBus } from '../../src/live/bus.js'
import { startLiveHub, type LiveHub } from '../../src/live/hub.js'
import { LiveEnd } from '../../src/live/live-end.js'
import type { LiveChannel, LiveItem, Subscriber } from '../../src/live/subscriber.js'
import { silentLogger } from '../../src/observability/logger.js'
import { createMetrics } from '../../src/observability/metrics.js'
import { unauthenticated } from '../../src/errors.js'

const org = (id: string, slug: string) => ({ id, slug, name: slug })
const person = (id: string, role: 'admin' | 'user' = 'user') => ({
  user: { id, username: `u${id}`, email: null, role },
  token: null,
  source: { kind: 'accounts-file' } as const,
})
const OWNER: Access = { principal: person('10'), org: org('7', 'acme'), orgRole: 'owner' }
const OTHER_OWNER: Access = { principal: person('20'), org: org('8', 'globex'), orgRole: 'owner' }
const ADMIN: Access = { principal: person('1', 'admin'), org: null, orgRole: null }

const info = (authorization: string): RequestInfo => ({
  requestId: 'r',
  header: (name) => (name === 'authorization' ? authorization : null),
  url: new URL('http://test/graphql'),
  remoteAddr: null,
  receivedAtMs: 0,
})
const event = (fields: Partial<EventRecord>): EventRecord => ({
  ...emptyRecord(),
  scope: 'change:frame',
  timestampMs: Date.now(),
  ...fields,
})
const channel = (): LiveChannel & { closes: [number, string][] } => {
  const closes: [number, string][] = []
  return { transport: 'websocket', closes, close: (code, reason) => void closes.push([code, reason]) }
}

async function hubWith(
  options: { buffer?: number; authenticate?: (info: RequestInfo) => Promise<Access> } = {},
) {
  const metrics = createMetrics()
  const hub = await startLiveHub({
    bus: localBus(),
    authenticate: options.authenticate ?? (() => Promise.resolve(OWNER)),
    bufferEvents: options.buffer ?? 100,
    metrics,
    log: silentLogger,
  })
  return { hub, metrics }
}

const exceptionsOf = (access: Access, ch = channel()) => ({
  info: info('Basic x'),
  channel: ch,
  authorize: (a: Access) => withScopes(authorize(a, {}), ['send:exception']),
  access,
})
const subscribe = (hub: LiveHub, spec: ReturnType<typeof exceptionsOf>) => hub.subscribe(spec, spec.access)
const take = async (subscriber: Subscriber, n: number): Promise<LiveItem[]> => {
  const items: LiveItem[] = []
  while (items.length < n) {
    const result: IteratorResult<LiveItem> = await subscriber.next()
    if (result.done) break
    items.push(result.value)
  }
  return items
}
const turn = () => new Promise((resolve) => setImmediate(resolve))

describe('live hub', () => {
  it('matches an event only against the subscribers of its organization and scope, once each', async () => {
    const { hub } = await hubWith()
    const mine = subscribe(hub, exceptionsOf(OWNER))
    const theirs = subscribe(hub, exceptionsOf(OTHER_OWNER))
    const admin = hub.subscribe(
      { info: info('Basic a'), channel: channel(), authorize: (a) => authorize(a, { orgIds: ['7', '8'] }) },
      ADMIN,
    )
    const spies = [mine, theirs, admin].map((s) => vi.spyOn(s, 'matches'))
    hub.publish([
      event({ orgId: '7', scope: 'change:frame' }),
      event({ orgId: '7', scope: 'send:exception', objVal: 'a' }),
      event({ orgId: '8', scope: 'send:exception', objVal: 'b' }),
    ])
    await turn()
    expect(spies.map((s) => s.mock.calls.length)).toEqual([1, 1, 3])
    expect((await take(mine, 1)).map((e) => (e as { objVal: string }).objVal)).toEqual(['a'])
    expect((await take(admin, 3)).map((e) => (e as { scope: string }).scope)).toEqual([
      'change:frame',
      'send:exception',
      'send:exception',
    ])
  })

  it('drops a subscriber whose buffer is full with 4429, counts it, and keeps serving the others', async () => {
    const { hub, metrics } = await hubWith({ buffer: 3 })
    const slow = exceptionsOf(OWNER)
    const slowSubscriber = subscribe(hub, slow)
    const fast = subscribe(hub, exceptionsOf(OWNER))
    const fastItems = take(fast, 9)
    // A batch larger than the buffer is fine for a subscriber that reads; one that does not is
    // dropped when it still holds more than the buffer as the next batch comes.
    for (let batch = 0; batch < 3; batch++) {
      hub.publish(Array.from({ length: 3 + batch }, () => event({ orgId: '7', scope: 'send:exception' })))
      await turn()
    }
    expect(slow.channel.closes).toEqual([[4429, LiveEnd.tooSlow(7).message]])
    expect(await fastItems).toHaveLength(9)
    expect(hub.size).toBe(1)
    expect(await slowSubscriber.next()).toEqual({ value: undefined, done: true })
    const dropped = await metrics.subscribersDropped.get()
    expect(dropped.values).toEqual([{ value: 1, labels: { reason: 'too-slow', transport: 'websocket' } }])
  })

  it('ends the subscriptions of credentials no longer accepted, and narrows those whose access changed', async () => {
    let answer: () => Promise<Access> = () => Promise.resolve(OWNER)
    const { hub } = await hubWith({ authenticate: () => answer() })
    const narrowed = hub.subscribe(
      { info: info('Basic narrowed'), channel: channel(), authorize: (a) => authorize(a, {}) },
      OWNER,
    )
    expect(narrowed.filter).toEqual({ orgIds: ['7'] })
    answer = () => Promise.resolve({ ...OWNER, orgRole: 'worker' })
    await hub.recheck()
    expect(narrowed.filter).toEqual({ orgIds: ['7'], userIds: ['10'] })

    const revoked = exceptionsOf(OWNER)
    subscribe(hub, revoked)
    answer = () => Promise.reject(unauthenticated())
    await hub.recheck()
    expect(revoked.channel.closes).toEqual([[4401, 'credentials no longer accepted']])
    expect(hub.size).toBe(0)
  })

  it('without a channel to close (SSE), yields the reason as the stream’s last item', async () => {
    const { hub } = await hubWith({ buffer: 1 })
    const sse = hub.subscribe({ ...exceptionsOf(OWNER), channel: { transport: 'sse' } }, OWNER)
    hub.publish([
      event({ orgId: '7', scope: 'send:exception' }),
      event({ orgId: '7', scope: 'send:exception' }),
    ])
    await turn()
    hub.publish([event({ orgId: '7', scope: 'send:exception' })])
    await turn()
    const [end, after] = [await sse.next(), await sse.next()]
    expect(end.value).toBeInstanceOf(LiveEnd)
    expect((end.value as LiveEnd).error().extensions.code).toBe('SUBSCRIBER_TOO_SLOW')
    expect(after.done).toBe(true)
  })

  it('at close, lets buffered events out before ending with 1001', async () => {
    const { hub } = await hubWith()
    const spec = exceptionsOf(OWNER)
    const subscriber = subscribe(hub, spec)
    hub.publish([
      event({ orgId: '7', scope: 'send:exception' }),
      event({ orgId: '7', scope: 'send:exception' }),
    ])
    const closing = hub.close(5_000)
    expect(await take(subscriber, 3)).toHaveLength(2)
    await closing
    expect(spec.channel.closes).toEqual([[1001, 'the server is shutting down']])
  })
})
