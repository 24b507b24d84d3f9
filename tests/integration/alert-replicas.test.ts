import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LiveAlertsDocument, type LiveAlertsSubscription } from '../../src/gql/graphql.js'
import { tempDir, type TestApp } from '../support/app.js'
import { createRule, eventAt, MINUTE, startAlertApp, store, TestClock } from '../support/alerts.js'
import { startClickHouseShim, type ClickHouseShim } from '../support/clickhouse-shim.js'
import { basic } from '../support/fixtures.js'
import { liveSocket, type LiveSocket, type Received } from '../support/live.js'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js'

/**
 * Two replicas of the service on one ClickHouse store (the test endpoint, over HTTP), each with its
 * own data directory: exactly one evaluates at a time, a firing is notified once whichever
 * evaluates, live subscribers of both replicas are told, and when the evaluating replica stops
 * the other takes over without notifying again what was notified.
 */
const clock = new TestClock(Date.UTC(2026, 4, 1, 12, 0, 5))
let dir: string
let shim: ClickHouseShim
const replicas: TestApp[] = []
let hook: WebhookReceiver
const sockets: LiveSocket[] = []

beforeAll(async () => {
  dir = await tempDir('aa-alert-replicas-')
  shim = await startClickHouseShim(path.join(dir, 'clickhouse'))
  hook = await startWebhookReceiver()
  // One after the other: both migrate the same store at start.
  for (const name of ['a', 'b']) {
    replicas.push(await startAlertApp(clock, { CLICKHOUSE_URL: shim.url }, { dir: path.join(dir, name) }))
  }
}, 180_000)

afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()))
  for (const replica of replicas) await replica.stop().catch(() => {})
  await hook?.close()
  await shim?.close()
  await rm(dir, { recursive: true, force: true })
})

const evaluateBoth = () => Promise.all(replicas.map((r) => r.app.services.alerts.evaluateNow()))

describe('alerts on two replicas', () => {
  const subscriptions: Received<LiveAlertsSubscription>[] = []

  // One test, because the hand-over needs the firing the first part made.
  it('evaluates on one replica only, notifies a firing once (webhook, live subscribers of both), and hands over when that replica stops', async () => {
    for (const replica of replicas) {
      const { url } = await replica.app.start()
      const socket = liveSocket(url, { authorization: basic('olivia'), 'x-organization': 'acme' })
      sockets.push(socket)
      subscriptions.push(socket.subscribe(LiveAlertsDocument))
    }
    const rule = await createRule(replicas[0] as TestApp, {
      name: 'Replicas quiet',
      kind: 'NO_EVENTS',
      windowMinutes: 5,
      filter: { objNames: ['replicas'] },
      webhookUrl: hook.url,
    })
    // Both evaluate the same minute at the same time: one holds the lease.
    const evaluated = await evaluateBoth()
    expect(evaluated.filter(Boolean)).toHaveLength(1)
    expect(hook.received.map((h) => [h.payload.rule.id, h.payload.state])).toEqual([[rule.id, 'FIRING']])
    // The replica that evaluated pushes at once; the other learns it from the store.
    for (const subscription of subscriptions) {
      await expect
        .poll(() => subscription.data.map((d) => d.alerts.state), { timeout: 15_000 })
        .toEqual(['FIRING'])
    }
    expect(subscriptions[0]?.data[0]?.alerts).toMatchObject({ ruleId: rule.id, orgSlug: 'acme', value: 0 })
    // Minute after minute the same replica evaluates, and the firing is not notified again.
    for (let minute = 1; minute <= 3; minute++) {
      clock.advance(MINUTE)
      expect(await evaluateBoth()).toEqual(evaluated)
    }
    expect(hook.received).toHaveLength(1)

    // The evaluating replica stops: the other takes over without notifying the firing again.
    const holder = (await evaluateBoth()).indexOf(true)
    const [stopping] = replicas.splice(holder, 1)
    await (stopping as TestApp).stop()
    const [other] = replicas as [TestApp]
    // Events come back; the remaining replica takes the lease at its next minute and resolves.
    await store(other, [eventAt(clock.ms, { objName: 'replicas' })])
    clock.advance(MINUTE)
    expect(await other.app.services.alerts.evaluateNow()).toBe(true)
    expect(hook.received.map((h) => h.payload.state)).toEqual(['FIRING', 'RESOLVED'])
    expect(new Set(hook.received.map((h) => h.headers['idempotency-key'])).size).toBe(2)
    const remaining = subscriptions[holder === 0 ? 1 : 0] as Received<LiveAlertsSubscription>
    await expect.poll(() => remaining.data.map((d) => d.alerts.state)).toEqual(['FIRING', 'RESOLVED'])
  })
})
