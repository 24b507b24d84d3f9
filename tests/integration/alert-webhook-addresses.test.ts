import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlertRule } from '../../src/alerts/rule.js'
import { CreateAlertRuleDocument } from '../../src/gql/graphql.js'
import { startTestApp, type TestApp } from '../support/app.js'
import { ruleWithLog, TestClock } from '../support/alerts.js'
import { as } from '../support/fixtures.js'
import { codeOf, graphql } from '../support/graphql.js'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js'

/**
 * With the default configuration (ALERT_WEBHOOK_ALLOW_PRIVATE unset), webhooks go to public
 * addresses only: a rule naming another is refused, and a delivery to a name that resolves to one
 * (a rule saved under another configuration, or a name pointed elsewhere since) is not connected.
 */
const clock = new TestClock(Date.UTC(2026, 6, 1, 12, 0, 5))
let t: TestApp
let hook: WebhookReceiver

beforeAll(async () => {
  hook = await startWebhookReceiver()
  t = await startTestApp({}, { now: clock.now, evaluateAlerts: 'when-asked' })
})
afterAll(async () => {
  await t?.stop()
  await hook?.close()
})

describe('webhook addresses without ALERT_WEBHOOK_ALLOW_PRIVATE', () => {
  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['a name of the loopback', 'http://localhost:8080/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['a private range', 'https://10.1.2.3/hook'],
    ['another private range', 'http://192.168.0.10/hook'],
    ['link-local (cloud metadata)', 'http://169.254.169.254/latest/meta-data'],
    ['an IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['the unspecified address', 'http://0.0.0.0/hook'],
  ])('refuses %s (BAD_USER_INPUT naming webhookUrl)', async (_case, webhookUrl) => {
    const input = { name: 'x', kind: 'NO_EVENTS' as const, webhookUrl }
    const result = await graphql(t, CreateAlertRuleDocument, { input }, as('olivia', 'acme'))
    expect(codeOf(result)).toBe('BAD_USER_INPUT')
    expect(result.status).toBe(400)
    expect(result.errors?.[0]?.message).toMatch(
      /^webhookUrl: .*loopback, private or link-local.*ALERT_WEBHOOK_ALLOW_PRIVATE/,
    )
  })

  it.each([
    ['a loopback address', (port: number) => `http://127.0.0.1:${port}/hook`],
    ['a name that resolves to the loopback', (port: number) => `http://localhost:${port}/hook`],
  ])('does not connect to %s at delivery time', async (_case, urlOf) => {
    // As saved under ALERT_WEBHOOK_ALLOW_PRIVATE (or before its name was pointed inside).
    const port = Number(new URL(hook.url).port)
    const rule: AlertRule = {
      version: 1,
      id: randomUUID(),
      name: 'Saved elsewhere',
      kind: 'no_events',
      orgId: '7',
      orgSlug: 'acme',
      windowMinutes: 5,
      threshold: 1,
      factor: null,
      filter: { objNames: [randomUUID()] },
      webhookUrl: urlOf(port),
      webhookSecret: 'a-secret-of-sixteen-or-more',
      enabled: true,
      createdAt: clock.ms,
      updatedAt: clock.ms,
      createdBy: { userId: '10', username: 'olivia' },
    }
    await t.app.services.alerts.records.saveRule(rule)
    clock.advance(60_000)
    expect(await t.app.services.alerts.evaluateNow()).toBe(true)
    const [delivery] = (await ruleWithLog(t, rule.id)).deliveries
    expect(delivery).toMatchObject({ state: 'FIRING', status: 'PENDING', statusCodes: [null] })
    expect(delivery?.lastError).toMatch(
      /127\.0\.0\.1.*not connected \(ALERT_WEBHOOK_ALLOW_PRIVATE allows it\)/,
    )
    expect(hook.received).toHaveLength(0)
  })
})
