import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DeleteAlertRuleDocument } from '../../src/gql/graphql.js'
import type { TestApp } from '../support/app.js'
import {
  createRule,
  eventAt,
  exceptionAt,
  MINUTE,
  ruleWithLog,
  startAlertApp,
  store,
  TestClock,
  type Rule,
} from '../support/alerts.js'
import { as } from '../support/fixtures.js'
import { expectOk, graphql } from '../support/graphql.js'
import { signatureIsValid, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js'

/**
 * Each kind of rule, on events crafted around its window, fires once and resolves once: a
 * notification to a real receiver at each change (signed, with its idempotency key), none at the
 * evaluations in between. Each case has a day of its own; the clock only moves forward.
 */
const clock = new TestClock(Date.UTC(2026, 2, 1, 12))
let t: TestApp
let receiver: WebhookReceiver
let rule: Rule | undefined

beforeAll(async () => {
  receiver = await startWebhookReceiver()
  t = await startAlertApp(clock, {}, { log: (await import('../../src/logger.js')).createLogger('info') })
})
afterAll(async () => {
  await t?.stop()
  await receiver?.close()
})
afterEach(async () => {
  if (rule) expectOk(await graphql(t, DeleteAlertRuleDocument, { id: rule.id }, as('olivia', 'acme')))
  rule = undefined
})

/** 12:00 UTC on day `n` of the test month. */
const dayAt = (n: number, hour = 12, minute = 0) => Date.UTC(2026, 2, 1 + n, hour, minute)

/** Evaluates at `ms` (a few seconds into that minute, as the timer does) and returns what the receiver got for the rule since `before`. */
async function evaluateAt(ms: number): Promise<string[]> {
  const before = receiver.received.length
  clock.ms = ms + 5_000
  expect(await t.app.services.alerts.evaluateNow()).toBe(true)
  return receiver.received
    .slice(before)
    .filter((h) => h.payload.rule.id === rule?.id)
    .map((h) => h.payload.state)
}

/** Every notification of the rule so far, checked as a receiver would check it. */
function notificationsOfRule(secret: string) {
  const hooks = receiver.received.filter((h) => h.payload.rule.id === rule?.id)
  for (const hook of hooks) {
    expect(signatureIsValid(hook, secret), 'X-Signature-256').toBe(true)
    expect(signatureIsValid(hook, `${secret}x`)).toBe(false)
    expect(hook.headers['idempotency-key']).toBe(hook.payload.id)
    expect(hook.headers['content-type']).toBe('application/json')
  }
  return hooks.map((h) => h.payload)
}

describe('alert rules of each kind', () => {
  it('EXCEPTION_SPIKE fires when the window has threshold exceptions and factor × the window before, and resolves when it has not', async () => {
    const at = dayAt(1)
    rule = await createRule(t, {
      name: 'Exception spike',
      kind: 'EXCEPTION_SPIKE',
      windowMinutes: 5,
      threshold: 3,
      factor: 2,
      webhookUrl: receiver.url,
    })
    // The window before [11:50, 11:55): 1 exception; the window [11:55, 12:00): 3 of acme's.
    await store(t, [
      exceptionAt(at - 9 * MINUTE, 'TypeError: a is undefined'),
      exceptionAt(at - 3.5 * MINUTE, 'TypeError: a is undefined'),
      exceptionAt(at - 3 * MINUTE, 'TypeError: a is undefined'),
      eventAt(at - 3 * MINUTE),
      exceptionAt(at - MINUTE, 'RangeError: bad frame'),
      exceptionAt(at - MINUTE, 'RangeError: bad frame', { orgId: '8', orgSlug: 'globex' }),
    ])
    expect(await evaluateAt(at - MINUTE)).toEqual([]) // [11:54, 11:59): 2, below the threshold
    expect(await evaluateAt(at)).toEqual(['FIRING'])
    // [11:56, 12:01): 4 against 1 before: still firing, and nothing is sent again.
    await store(t, [exceptionAt(at + 0.5 * MINUTE, 'TypeError: a is undefined')])
    expect(await evaluateAt(at + MINUTE)).toEqual([])
    expect(await evaluateAt(at + 6 * MINUTE)).toEqual(['RESOLVED']) // [12:01, 12:06): none
    expect(await evaluateAt(at + 7 * MINUTE)).toEqual([])
    const [firing, resolved] = notificationsOfRule(rule.webhookSecret as string)
    expect(firing).toMatchObject({
      state: 'FIRING',
      rule: { id: rule.id, name: 'Exception spike', kind: 'EXCEPTION_SPIKE', threshold: 3, factor: 2 },
      organization: { id: '7', slug: 'acme' },
      window: { from: new Date(at - 5 * MINUTE).toISOString(), to: new Date(at).toISOString(), minutes: 5 },
      value: 3,
      previous: 1,
      threshold: 3,
    })
    expect(firing?.text).toMatch(/^FIRING: Exception spike "Exception spike" \(acme\): 3 exceptions in the last 5 min/)
    expect(firing?.link).toContain('https://grafana.example.test/d/aa-monitoring?')
    expect(firing?.link).toContain('var-org=acme')
    expect(resolved).toMatchObject({ state: 'RESOLVED', value: 0, previous: 4 })
    expect(resolved?.id).not.toBe(firing?.id)
  })
})
