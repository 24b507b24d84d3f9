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
  t = await startAlertApp(clock)
})
afterAll(async () => {
  await t?.stop()
  await receiver?.close()
})
afterEach(async () => {
  if (rule) expectOk(await graphql(t, DeleteAlertRuleDocument, { id: rule.id }, as('admin')))
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
    expect(firing?.text).toMatch(
      /^FIRING: Exception spike "Exception spike" \(acme\): 3 exceptions in the last 5 min/,
    )
    expect(firing?.link).toContain('https://grafana.example.test/d/aa-monitoring?')
    expect(firing?.link).toContain('var-org=acme')
    expect(resolved).toMatchObject({ state: 'RESOLVED', value: 0, previous: 4 })
    expect(resolved?.id).not.toBe(firing?.id)
  })
  it('NEW_EXCEPTION_GROUP fires when a group is seen for the first time, and resolves once none is that new', async () => {
    const at = dayAt(2)
    rule = await createRule(t, {
      name: 'New kinds of errors',
      kind: 'NEW_EXCEPTION_GROUP',
      windowMinutes: 30,
      webhookUrl: receiver.url,
    })
    // An old group, seen again in the window, is not new; another organization's new group is not acme's.
    await store(t, [
      exceptionAt(at - 3 * 60 * MINUTE, 'TypeError: a is undefined'),
      exceptionAt(at - 10 * MINUTE, 'TypeError: a is undefined'),
      exceptionAt(at - 5 * MINUTE, 'SyntaxError: brand new', { orgId: '8', orgSlug: 'globex' }),
    ])
    expect(await evaluateAt(at - 2 * MINUTE)).toEqual([])
    await store(t, [
      exceptionAt(at - 90_000, 'ReferenceError: shape is not defined'),
      exceptionAt(at - 80_000, 'ReferenceError: shape is not defined'),
    ])
    expect(await evaluateAt(at)).toEqual(['FIRING'])
    expect(await evaluateAt(at + 20 * MINUTE)).toEqual([])
    // 30 minutes after its first occurrence, the group is no longer new.
    expect(await evaluateAt(at + 29 * MINUTE)).toEqual(['RESOLVED'])
    const [firing, resolved] = notificationsOfRule(rule.webhookSecret as string)
    expect(firing).toMatchObject({ state: 'FIRING', value: 1, threshold: 1 })
    expect(firing?.groups).toEqual([
      expect.objectContaining({ message: 'ReferenceError: shape is not defined', count: 2 }),
    ])
    expect(firing?.text).toContain(
      '1 new exception group in the last 30 min, first: ReferenceError: shape is not defined',
    )
    expect(resolved).toMatchObject({ state: 'RESOLVED', value: 0 })
  })

  it("NO_EVENTS fires when CVAT's logger goes quiet for the window, and resolves when its events come back", async () => {
    const at = dayAt(3)
    rule = await createRule(t, {
      name: 'CVAT logger quiet',
      kind: 'NO_EVENTS',
      windowMinutes: 10,
      filter: { sources: ['server'] },
      webhookUrl: receiver.url,
    })
    await store(t, [eventAt(at - 15 * MINUTE, { scope: 'update:task', source: 'server' })])
    expect(await evaluateAt(at - 6 * MINUTE)).toEqual([])
    // Client events do not count: the filter says server.
    await store(t, [eventAt(at - 2 * MINUTE, { source: 'client' })])
    expect(await evaluateAt(at - 4 * MINUTE)).toEqual(['FIRING'])
    expect(await evaluateAt(at)).toEqual([])
    await store(t, [eventAt(at + 30_000, { scope: 'create:job', source: 'server' })])
    expect(await evaluateAt(at + MINUTE)).toEqual(['RESOLVED'])
    const [firing, resolved] = notificationsOfRule(rule.webhookSecret as string)
    expect(firing).toMatchObject({ state: 'FIRING', value: 0 })
    expect(firing?.text).toContain('no events in the last 10 min')
    expect(firing?.link).toContain('/d/aa-all-events?')
    expect(firing?.link).toContain('var-sources=server')
    expect(resolved).toMatchObject({ state: 'RESOLVED', value: 1 })
  })

  it('IDLE_JOB fires when a job in progress gets no event for the window, and resolves when work goes on', async () => {
    const at = dayAt(4)
    rule = await createRule(t, {
      name: 'Stalled jobs',
      kind: 'IDLE_JOB',
      windowMinutes: 60,
      filter: { projectIds: ['1'] },
      webhookUrl: receiver.url,
    })
    const job = (id: number) => ({ jobId: String(id), taskId: '11', projectId: '1' })
    const state = (id: number, value: string, ms: number) =>
      eventAt(ms, {
        scope: 'update:job',
        source: 'server',
        objName: 'state',
        objVal: value,
        objId: String(id),
        ...job(id),
      })
    await store(t, [
      // 101: in progress, last worked on 2 hours ago: idle.
      state(101, 'new', at - 5 * 60 * MINUTE),
      state(101, 'in progress', at - 3 * 60 * MINUTE),
      eventAt(at - 2 * 60 * MINUTE, job(101)),
      // 102: in progress and worked on 10 minutes ago.
      state(102, 'in progress', at - 3 * 60 * MINUTE),
      eventAt(at - 10 * MINUTE, job(102)),
      // 103: completed long ago; 104: in progress in another project.
      state(103, 'in progress', at - 4 * 60 * MINUTE),
      state(103, 'completed', at - 3 * 60 * MINUTE),
      eventAt(at - 3 * 60 * MINUTE, {
        scope: 'update:job',
        source: 'server',
        objName: 'state',
        objVal: 'in progress',
        jobId: '104',
        taskId: '21',
        projectId: '2',
      }),
    ])
    expect(await evaluateAt(at)).toEqual(['FIRING'])
    expect(await evaluateAt(at + MINUTE)).toEqual([])
    await store(t, [eventAt(at + 90_000, { scope: 'change:frame', ...job(101) })])
    expect(await evaluateAt(at + 2 * MINUTE)).toEqual(['RESOLVED'])
    const [firing, resolved] = notificationsOfRule(rule.webhookSecret as string)
    expect(firing).toMatchObject({ state: 'FIRING', value: 1 })
    expect(firing?.jobs).toEqual([
      { id: '101', taskId: '11', projectId: '1', lastEvent: new Date(at - 2 * 60 * MINUTE).toISOString() },
    ])
    expect(firing?.link).toContain('var-jobs=101')
    expect(resolved).toMatchObject({ state: 'RESOLVED', value: 0 })
  })

  it('QUARANTINE fires when the listener sets aside threshold events in the window, and resolves after', async () => {
    // Today: the quarantine keeps 30 days (its TTL drops older rows as they are written).
    const at = Math.floor(Date.now() / MINUTE) * MINUTE
    rule = await createRule(
      t,
      {
        name: 'Quarantine',
        kind: 'QUARANTINE',
        windowMinutes: 5,
        threshold: 2,
        orgId: null,
        webhookUrl: receiver.url,
      },
      'admin',
      null,
    )
    const entry = (ms: number, position: number) => ({
      receivedAtMs: ms,
      path: 'cvat_logger',
      reason: 'invalid_timestamp',
      message: 'timestamp: not a time',
      requestId: 'quarantine-test',
      position,
      raw: '{"scope":"create:task","timestamp":"yesterday"}',
    })
    await t.app.services.store.quarantine.add([entry(at - 3 * MINUTE, 0)], 'alert-quarantine-1')
    expect(await evaluateAt(at)).toEqual([])
    await t.app.services.store.quarantine.add([entry(at + 10_000, 1)], 'alert-quarantine-2')
    expect(await evaluateAt(at + MINUTE)).toEqual(['FIRING'])
    expect(await evaluateAt(at + 5 * MINUTE)).toEqual(['RESOLVED'])
    const [firing, resolved] = notificationsOfRule(rule.webhookSecret as string)
    expect(firing).toMatchObject({ state: 'FIRING', value: 2, organization: null, link: null })
    expect(firing?.text).toContain('2 events quarantined in the last 5 min')
    expect(resolved).toMatchObject({ state: 'RESOLVED', value: 1 })
    // Owners do not see rules over every organization.
    await expect(ruleWithLog(t, rule.id)).rejects.toThrow(/NOT_FOUND/)
  })
})
