import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { LiveEventsDocument, LiveExceptionsDocument } from '../../src/gql/graphql.js'
import { tempDir } from '../support/app.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { as, basic, PEOPLE, seedAccounts } from '../support/fixtures.js'
import { liveSocket, sseSubscribe, type LiveSocket } from '../support/live.js'
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
  const sockets: LiveSocket[] = []

  beforeAll(async () => {
    dir = await tempDir('aa-replicas-')
    redis = await startRedis()
    shim = await startClickHouseShim(path.join(dir, 'clickhouse'))
    const accountsFile = path.join(dir, 'accounts.json')
    await seedAccounts(accountsFile)
    const env = (name: string) => ({
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
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1_000))

  it('pushes events stored through one replica to subscribers of the other, with the same access rules', async () => {
    const ownerOnB = subscribeOn(b, 'olivia').subscribe(LiveExceptionsDocument, {
      filter: { objNames: ['replicas'] },
    })
    const workerOnB = subscribeOn(b, 'walt').subscribe(LiveExceptionsDocument, {
      filter: { objNames: ['replicas'] },
    })
    const ownerOnA = sseSubscribe(
      a.url,
      LiveExceptionsDocument,
      { filter: { objNames: ['replicas'] } },
      as('olivia', 'acme'),
    )
    await settle()
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
    const onB = subscribeOn(b, 'olivia').subscribe(LiveEventsDocument, { filter: { objNames: ['spooled'] } })
    await settle()
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
    await settle()
    expect(onB.data).toEqual([])
    await shim.start()
    await vi.waitFor(() => expect(onB.data.map((d) => d.events.objVal)).toEqual(['kept']), {
      timeout: 15_000,
    })
  })

  it('closes its sockets with 1001 when the replica is stopped (SIGTERM)', async () => {
    const socket = subscribeOn(b, 'walt')
    socket.subscribe(LiveEventsDocument, {})
    await settle()
    await b.stop()
    expect(await socket.closed).toEqual({ code: 1001, reason: 'the server is shutting down' })
  })
})
