import { afterAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app.js'
import { createRule, MINUTE, ruleWithLog, startAlertApp, TestClock } from '../support/alerts.js'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js'

/**
 * The service stopped while a delivery waits for its next attempt, and started again on the same
 * store: the delivery is made from what the store recorded, once, with the same idempotency key,
 * and the rule, still firing, does not fire again.
 */
const clock = new TestClock(Date.UTC(2026, 3, 10, 12, 0, 5))
let first: TestApp | undefined
let second: TestApp | undefined
let hook: WebhookReceiver | undefined

afterAll(async () => {
  await second?.stop()
  await first?.stop().catch(() => {})
  await hook?.close()
})

describe('a restart in the middle of the retries', () => {
  it('delivers after the restart, once, with the same idempotency key, and does not fire again', async () => {
    first = await startAlertApp(clock)
    hook = await startWebhookReceiver()
    await hook.down()
    const rule = await createRule(first, {
      name: 'Across a restart',
      kind: 'NO_EVENTS',
      windowMinutes: 5,
      webhookUrl: hook.url,
    })
    expect(await first.app.services.alerts.evaluateNow()).toBe(true)
    const before = (await ruleWithLog(first, rule.id)).deliveries
    expect(before).toMatchObject([{ state: 'FIRING', status: 'PENDING', attempts: 1 }])
    await first.app.stop()
    await hook.up()
    second = await first.restart()
    clock.ms = Date.parse(before[0]?.nextAttemptAt as string)
    // The restarted service takes the lease (given up at the stop), evaluates (still firing:
    // nothing new) and delivers what was pending.
    expect(await second.app.services.alerts.evaluateNow()).toBe(true)
    const after = await ruleWithLog(second, rule.id)
    expect(after.state).toBe('FIRING')
    expect(after.deliveries).toMatchObject([
      { id: before[0]?.id, status: 'DELIVERED', attempts: 2, statusCodes: [null, 200] },
    ])
    expect(hook.received.map((h) => h.headers['idempotency-key'])).toEqual([before[0]?.id])
    clock.advance(MINUTE)
    expect(await second.app.services.alerts.evaluateNow()).toBe(true)
    expect(hook.received).toHaveLength(1)
  }, 120_000) // two starts of the service on a shared machine
})
