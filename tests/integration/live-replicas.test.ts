import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  LiveEventsDocument,
  LiveExceptionsDocument,
  type LiveEventsSubscription,
  type LiveExceptionsSubscription,
} from '../../src/gql/graphql.js'
import { tempDir } from '../support/app.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { as, basic, PEOPLE, SCRAPER, seedAccounts } from '../support/fixtures.js'
import { liveSocket, sseSubscribe, type LiveSocket, type Received } from '../support/live.js'
import { REDIS_MISSING, redisAvailable, startRedis, type RedisServer } from '../support/redis.js'
import { startReplica, type Replica } from '../support/replica.js'

// Two replicas of the service, each a process of its own (src/main.ts), on one ClickHouse store
// (the test endpoint, over HTTP) and one Redis: a subscriber on either receives the events stored
// through the other. Processes rather than two apps in this one: chDB allows one data directory
// per process (the endpoint holds it), and separate processes share nothing but Redis and the
// store, as replicas do.
if (!redisAvailable) console.warn(REDIS_MISSING)

describe.skipIf(!redisAvailable)('two replicas through Redis', () => {
  let dir: string
  let redis: RedisServer
  let shim: ClickHouseShim
  let a: Replica
  let b: Replica
  let env: (name: string) => Record<string, string>
  const sockets: LiveSocket[] = []

  beforeAll(async () => {
    dir = await tempDir('aa-replicas-')
    redis = await startRedis()
    shim = await startClickHouseShim(path.join(dir, 'clickhouse'))
    const accountsFile = path.join(dir, 'accounts.json')
    await seedAccounts(accountsFile)
    env = (name: string) => ({
      DATA_DIR: path.join(dir, name),
      ACCOUNTS_FILE: accountsFile,
      ANALYTICS_ADMIN_PASSWORD: PEOPLE.admin.password,
      CLICKHOUSE_URL: shim.url,
      REDIS_URL: redis.url,
      SPOOL_RETRY_MS: '200',
    })
    // One after the other: both migrate the same store at start.
    a = await startReplica(env('a'))
    b = await startReplica(env('b'))
  }, 180_000)

  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.dispose()))
    await Promise.all([a?.stop(), b?.stop()])
    await shim?.close()
    await redis?.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const send = (replica: Replica, person: 'walt' | 'sue', message: string) =>
    fetch(`${replica.url}/api/events`, {
      method: 'POST',
      headers: { ...as(person, 'acme'), 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          {
            scope: 'send:exception',
            timestamp: new Date().toISOString(),
            obj_name: 'replicas',
            payload: JSON.stringify({ message }),
          },
        ],
        timestamp: new Date().toISOString(),
      }),
    })
  const subscribeOn = (replica: Replica, person: 'olivia' | 'walt') => {
    const socket = liveSocket(replica.url, { authorization: basic(person), 'x-organization': 'acme' })
    sockets.push(socket)
    return socket
  }
  /** Open subscriptions on a replica (all transports), from its /metrics. */
  const openOn = async (replica: Replica): Promise<number> => {
    const text = await (await fetch(`${replica.url}/metrics`, { headers: SCRAPER })).text()
    return [...text.matchAll(/^analytics_subscriptions_open\{[^}]*\} (\d+)$/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    )
  }
  /** Runs `open` (which opens subscriptions) and waits until the replicas registered `added` more. */
  const registered = async (added: Map<Replica, number>, open: () => void): Promise<void> => {
    const before = new Map(
      await Promise.all([...added.keys()].map(async (r) => [r, await openOn(r)] as const)),
    )
    open()
    for (const [replica, n] of added)
      await expect.poll(() => openOn(replica), { timeout: 10_000 }).toBe((before.get(replica) ?? 0) + n)
  }

  it('pushes events stored through one replica to subscribers of the other, with the same access rules', async () => {
    const filter = { filter: { objNames: ['replicas'] } }
    let ownerOnB!: Received<LiveExceptionsSubscription>
    let workerOnB!: Received<LiveExceptionsSubscription>
    let ownerOnA!: Received<LiveExceptionsSubscription>
    await registered(
      new Map([
        [a, 1],
        [b, 2],
      ]),
      () => {
        ownerOnB = subscribeOn(b, 'olivia').subscribe(LiveExceptionsDocument, filter)
        workerOnB = subscribeOn(b, 'walt').subscribe(LiveExceptionsDocument, filter)
        ownerOnA = sseSubscribe(a.url, LiveExceptionsDocument, filter, as('olivia', 'acme'))
      },
    )
    expect((await send(a, 'walt', 'stored through A')).status).toBe(201)
    expect((await send(b, 'sue', 'stored through B')).status).toBe(201)
    const messages = (r: { data: { exceptions: { message?: string | null } }[] }) =>
      r.data.map((d) => d.exceptions.message)
    await vi.waitFor(() => expect(messages(ownerOnB)).toEqual(['stored through A', 'stored through B']), {
      timeout: 10_000,
    })
    await vi.waitFor(() => expect(messages(ownerOnA)).toEqual(['stored through A', 'stored through B']), {
      timeout: 10_000,
    })
    expect(messages(workerOnB)).toEqual(['stored through A'])
    ownerOnA.stop()
  })

  it('pushes events accepted while the store was away once they are replayed, not before', async () => {
    let onB!: Received<LiveEventsSubscription>
    await registered(new Map([[b, 1]]), () => {
      onB = subscribeOn(b, 'olivia').subscribe(LiveEventsDocument, {
        filter: { objNames: ['spooled', 'marker'] },
      })
    })
    await shim.stop()
    const accepted = await fetch(`${a.url}/api/events`, {
      method: 'POST',
      headers: { ...as('walt', 'acme'), 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          { scope: 'draw:object', timestamp: new Date().toISOString(), obj_name: 'spooled', obj_val: 'kept' },
        ],
        timestamp: new Date().toISOString(),
      }),
    })
    expect(accepted.status).toBe(202) // spooled
    expect(onB.data).toEqual([])
    await shim.start()
    await vi.waitFor(() => expect(onB.data.map((d) => d.events.objVal)).toEqual(['kept']), {
      timeout: 15_000,
    })
    // Pushed once, at the replay: a marker stored after it arrives right behind it, so a second
    // push of 'kept' (one at acceptance, one at the replay) would show here.
    const marker = await fetch(`${a.url}/api/events`, {
      method: 'POST',
      headers: { ...as('walt', 'acme'), 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          {
            scope: 'draw:object',
            obj_name: 'marker',
            obj_val: 'marker',
            timestamp: new Date().toISOString(),
          },
        ],
        timestamp: new Date().toISOString(),
      }),
    })
    expect(marker.status).toBe(201)
    await vi.waitFor(() => expect(onB.data.map((d) => d.events.objVal)).toEqual(['kept', 'marker']), {
      timeout: 15_000,
    })
  })

  it('closes its sockets with 1001 when the replica is stopped (SIGTERM)', async () => {
    // A third replica: the others serve the other tests, in whatever order they run.
    const c = await startReplica(env('c'))
    let socket!: LiveSocket
    await registered(new Map([[c, 1]]), () => {
      socket = subscribeOn(c, 'walt')
      socket.subscribe(LiveEventsDocument, {})
    })
    await c.stop()
    expect(await socket.closed).toEqual({ code: 1001, reason: 'the server is shutting down' })
  })
})
