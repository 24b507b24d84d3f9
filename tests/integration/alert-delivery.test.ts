import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DeleteAlertRuleDocument, TestAlertRuleDocument } from '../../src/gql/graphql.js'
import type { TestApp } from '../support/app.js'
import {
  createRule,
  exceptionAt,
  MINUTE,
  ruleWithLog,
  startAlertApp,
  store,
  TestClock,
} from '../support/alerts.js'
import { as } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'
import { signatureIsValid, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js'

/**
 * Webhook deliveries against real receivers on free ports: retried with backoff until a 2xx,
 * always with the same idempotency key and body; a slow receiver holds up no other rule; redirects
 * are not followed; a restart in the middle of the retries loses nothing and sends nothing twice.
 */
const clock = new TestClock(Date.UTC(2026, 3, 1, 12))
let t: TestApp
const receivers: WebhookReceiver[] = []

beforeAll(async () => {
  t = await startAlertApp(clock)
})
afterAll(async () => {
  await t?.stop()
  await Promise.all(receivers.map((r) => r.close()))
})

async function receiver(): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver()
  receivers.push(started)
  return started
}

/** A rule that fires at the next evaluation: one exception in its window, threshold 1. */
async function firingRule(app: TestApp, url: string, name: string) {
  const rule = await createRule(app, {
    name,
    kind: 'EXCEPTION_SPIKE',
    windowMinutes: 5,
    filter: { objNames: [name] },
    webhookUrl: url,
  })
  await store(app, [exceptionAt(clock.ms - MINUTE, `Error: ${name}`, { objName: name })])
  return rule
}

const evaluate = async (app: TestApp) => expect(await app.app.services.alerts.evaluateNow()).toBe(true)

describe('webhook deliveries', () => {
  it('retries a receiver that is down, with backoff, and delivers once it is up: one 2xx, the same idempotency key and body every time', async () => {
    clock.ms = Date.UTC(2026, 3, 1, 12, 0, 5)
    const hook = await receiver()
    await hook.down()
    const rule = await firingRule(t, hook.url, 'down-then-up')
    await evaluate(t) // attempt 1: refused
    let log = await ruleWithLog(t, rule.id)
    expect(log.state).toBe('FIRING')
    expect(log.deliveries).toHaveLength(1)
    expect(log.deliveries[0]).toMatchObject({
      state: 'FIRING',
      status: 'PENDING',
      attempts: 1,
      statusCodes: [null],
    })
    expect(log.deliveries[0]?.lastError).toMatch(/ECONNREFUSED/)
    // Not due yet: nothing is tried before the backoff has passed.
    await t.app.services.alerts.deliverNow()
    expect((await ruleWithLog(t, rule.id)).deliveries[0]?.attempts).toBe(1)
    const waits: number[] = []
    for (const attempt of [2, 3]) {
      const next = Date.parse((await ruleWithLog(t, rule.id)).deliveries[0]?.nextAttemptAt as string)
      waits.push(next - clock.ms)
      clock.ms = next
      await t.app.services.alerts.deliverNow()
      expect((await ruleWithLog(t, rule.id)).deliveries[0]?.attempts).toBe(attempt)
    }
    expect(waits[1]).toBeGreaterThan(waits[0] as number) // the wait doubles
    await hook.up()
    log = await ruleWithLog(t, rule.id)
    clock.ms = Date.parse(log.deliveries[0]?.nextAttemptAt as string)
    await t.app.services.alerts.deliverNow()
    log = await ruleWithLog(t, rule.id)
    expect(log.deliveries[0]).toMatchObject({
      status: 'DELIVERED',
      attempts: 4,
      statusCodes: [null, null, null, 200],
      lastError: null,
      nextAttemptAt: null,
    })
    // Delivered: nothing more is sent, at any later pass.
    clock.advance(2 * 3_600_000)
    await t.app.services.alerts.deliverNow()
    expect(hook.received).toHaveLength(1)
    const [received] = hook.received
    expect(received?.headers['idempotency-key']).toBe(log.deliveries[0]?.id)
    expect(received?.payload).toEqual(log.deliveries[0]?.payload)
    expect(signatureIsValid(received as NonNullable<typeof received>, rule.webhookSecret as string)).toBe(
      true,
    )
  })

  it('answers 5xx with retries, and gives up after 24 hours', async () => {
    clock.ms = Date.UTC(2026, 3, 2, 12, 0, 5)
    const hook = await receiver()
    hook.answer(503)
    const rule = await firingRule(t, hook.url, 'always-503')
    await evaluate(t)
    const created = Date.parse((await ruleWithLog(t, rule.id)).deliveries[0]?.createdAt as string)
    for (let i = 0; i < 60; i++) {
      const next = (await ruleWithLog(t, rule.id)).deliveries[0]?.nextAttemptAt
      if (!next) break
      clock.ms = Date.parse(next)
      await t.app.services.alerts.deliverNow()
    }
    const [delivery] = (await ruleWithLog(t, rule.id)).deliveries
    expect(delivery?.status).toBe('FAILED')
    expect(delivery?.lastError).toBe('HTTP 503')
    expect(Date.parse(delivery?.log.at(-1)?.at as string) - created).toBe(24 * 3_600_000)
    // About thirty attempts in the day, every one answered 503, every one with the same key.
    expect(delivery?.attempts).toBeGreaterThan(20)
    expect(delivery?.attempts).toBeLessThan(40)
    expect(new Set(hook.received.map((h) => h.headers['idempotency-key']))).toEqual(new Set([delivery?.id]))
    expect(new Set(hook.received.map((h) => h.body)).size).toBe(1)
  })

  it('does not let a receiver that never answers hold up another rule, and gives up on it after 5 s', async () => {
    clock.ms = Date.UTC(2026, 3, 3, 12, 0, 5)
    const slow = await receiver()
    const fast = await receiver()
    slow.hang()
    const slowRule = await firingRule(t, slow.url, 'slow-receiver')
    const fastRule = await firingRule(t, fast.url, 'fast-receiver')
    const evaluation = t.app.services.alerts.evaluateNow()
    // The fast receiver has its notification, and it is recorded delivered, while the slow one
    // still holds its request (the record is written once the fast one has answered).
    await fast.nth(1)
    await slow.nth(1)
    await vi.waitFor(
      async () => expect((await ruleWithLog(t, fastRule.id)).deliveries[0]?.status).toBe('DELIVERED'),
      { timeout: 4_000, interval: 50 },
    )
    expect(slow.received[0]?.answered).toBeNull()
    expect(await evaluation).toBe(true)
    const [delivery] = (await ruleWithLog(t, slowRule.id)).deliveries
    expect(delivery).toMatchObject({ status: 'PENDING', attempts: 1, statusCodes: [null] })
    expect(delivery?.lastError).toBe('no answer within 5000 ms')
    slow.release()
  })

  it('does not follow a redirect: the attempt fails and is retried at the same URL', async () => {
    clock.ms = Date.UTC(2026, 3, 4, 12, 0, 5)
    const elsewhere = await receiver()
    const hook = await receiver()
    hook.answer(302, elsewhere.url)
    const rule = await firingRule(t, hook.url, 'redirecting')
    await evaluate(t)
    const [delivery] = (await ruleWithLog(t, rule.id)).deliveries
    expect(delivery).toMatchObject({ status: 'PENDING', statusCodes: [302] })
    expect(delivery?.lastError).toBe(`redirect to ${elsewhere.url} not followed`)
    expect(elsewhere.received).toHaveLength(0)
  })

  it('cancels what is pending when the rule is deleted', async () => {
    clock.ms = Date.UTC(2026, 3, 5, 12, 0, 5)
    const hook = await receiver()
    hook.answer(500)
    const rule = await firingRule(t, hook.url, 'deleted-while-retrying')
    await evaluate(t)
    const log = await ruleWithLog(t, rule.id)
    expectOk(await graphql(t, DeleteAlertRuleDocument, { id: rule.id }, as('olivia', 'acme')))
    clock.ms = Date.parse(log.deliveries[0]?.nextAttemptAt as string)
    await t.app.services.alerts.deliverNow()
    expect(hook.received).toHaveLength(1)
    const rows = await t.sql.rows<{ status: string }>({
      name: 'test.notification',
      sql: 'SELECT status FROM default.alert_notifications FINAL WHERE id = {id:String}',
      params: { id: log.deliveries[0]?.id },
    })
    expect(rows).toEqual([{ status: 'cancelled' }])
  })

  it('sends a signed test notification on testAlertRule and says how it went, without retrying', async () => {
    clock.ms = Date.UTC(2026, 3, 6, 12, 0, 5)
    const hook = await receiver()
    const rule = await createRule(t, { name: 'Test me', kind: 'NO_EVENTS', webhookUrl: hook.url })
    const sent = expectOk(
      await graphql(t, TestAlertRuleDocument, { id: rule.id }, as('mark', 'acme')),
    ).testAlertRule
    expect(sent).toMatchObject({ state: 'TEST', status: 'DELIVERED', attempts: 1, statusCodes: [200] })
    expect(hook.received).toHaveLength(1)
    expect(hook.received[0]?.payload).toMatchObject({
      state: 'TEST',
      rule: { id: rule.id, kind: 'NO_EVENTS' },
    })
    expect(hook.received[0]?.payload.text).toMatch(/^TEST: No events "Test me" \(acme\): a test notification/)
    expect(
      signatureIsValid(
        hook.received[0] as NonNullable<(typeof hook.received)[0]>,
        rule.webhookSecret as string,
      ),
    ).toBe(true)
    hook.answer(404)
    const failed = expectOk(
      await graphql(t, TestAlertRuleDocument, { id: rule.id }, as('olivia', 'acme')),
    ).testAlertRule
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 1, statusCodes: [404], lastError: 'HTTP 404' })
    // Workers may not send tests.
    const refused = await graphql(t, TestAlertRuleDocument, { id: rule.id }, as('walt', 'acme'))
    expect(refused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND')
  })
})
