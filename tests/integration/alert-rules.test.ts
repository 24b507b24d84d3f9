import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  AlertRuleDocument,
  AlertRulesDocument,
  CreateAlertRuleDocument,
  DeleteAlertRuleDocument,
  LiveAlertsDocument,
  UpdateAlertRuleDocument,
  type AlertRuleInput,
} from '../../src/gql/graphql.js'
import type { TestApp } from '../support/app.js'
import { createRule, eventAt, MINUTE, startAlertApp, store, TestClock } from '../support/alerts.js'
import { as, basic, bearer, TOKENS, type Person } from '../support/fixtures.js'
import { codeOf, expectOk, graphql } from '../support/graphql.js'
import { liveSocket, sseSubscribe, type LiveSocket } from '../support/live.js'
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js'

/**
 * Alert rules through GraphQL: who manages and who reads them, what a bad input is told, the
 * secret shown once, and live notifications to the organization's readers.
 */
const clock = new TestClock(Date.UTC(2026, 5, 1, 12, 0, 5))
let t: TestApp
let hook: WebhookReceiver
let url: string
const sockets: LiveSocket[] = []

beforeAll(async () => {
  hook = await startWebhookReceiver()
  t = await startAlertApp(clock)
  url = (await t.app.start()).url
})
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.dispose()))
  await t?.stop()
  await hook?.close()
})

const create = (input: AlertRuleInput, headers: Record<string, string>) =>
  graphql(t, CreateAlertRuleDocument, { input }, headers)
const list = async (person: Person, org?: string) =>
  expectOk(await graphql(t, AlertRulesDocument, {}, as(person, org))).alertRules.map((r) => r.name)

describe('who manages and reads alert rules', () => {
  it("lets an organization's owners and maintainers manage its rules, and shows the secret only in the answer that set it", async () => {
    const created = await createRule(
      t,
      { name: 'Errors', kind: 'EXCEPTION_SPIKE', webhookUrl: hook.url },
      'mark',
    )
    expect(created).toMatchObject({
      name: 'Errors',
      kind: 'EXCEPTION_SPIKE',
      orgId: '7',
      orgSlug: 'acme',
      state: 'OK',
      windowMinutes: 15,
      threshold: 1,
      factor: null,
      enabled: true,
      webhookUrl: hook.url,
      createdBy: 'mark',
    })
    expect(created.webhookSecret).toMatch(/^[\w-]{43}$/)
    const read = expectOk(
      await graphql(t, AlertRuleDocument, { id: created.id }, as('olivia', 'acme')),
    ).alertRule
    expect(read.webhookSecret).toBeNull()
    expect(read.webhookUrl).toBe(hook.url)
    const listed = expectOk(await graphql(t, AlertRulesDocument, {}, as('admin'))).alertRules
    expect(listed.find((r) => r.id === created.id)?.webhookSecret).toBeNull()
    // The answer's secret is not written anywhere a query reads: not in any field of any answer.
    const everything = JSON.stringify(
      await (
        await t.request('POST', '/graphql', {
          headers: as('olivia', 'acme'),
          body: {
            query: `{ alertRules { id name filter webhookUrl webhookSecret deliveries { payload } } }`,
          },
        })
      ).json(),
    )
    expect(everything).not.toContain(created.webhookSecret)
    // A new secret on request (null), shown once.
    const rotated = expectOk(
      await graphql(
        t,
        UpdateAlertRuleDocument,
        { id: created.id, input: { webhookSecret: null } },
        as('olivia', 'acme'),
      ),
    ).updateAlertRule
    expect(rotated.webhookSecret).toMatch(/^[\w-]{43}$/)
    expect(rotated.webhookSecret).not.toBe(created.webhookSecret)
    // Absent fields keep their value, null resets: window back to the kind's default, no webhook.
    const changed = expectOk(
      await graphql(
        t,
        UpdateAlertRuleDocument,
        { id: created.id, input: { threshold: 5, windowMinutes: 30, name: 'Errors (5)' } },
        as('mark', 'acme'),
      ),
    ).updateAlertRule
    expect(changed).toMatchObject({
      name: 'Errors (5)',
      threshold: 5,
      windowMinutes: 30,
      webhookSecret: null,
      hasWebhook: true,
    })
    const reset = expectOk(
      await graphql(
        t,
        UpdateAlertRuleDocument,
        { id: created.id, input: { windowMinutes: null, webhookUrl: null } },
        as('mark', 'acme'),
      ),
    ).updateAlertRule
    expect(reset).toMatchObject({
      name: 'Errors (5)',
      threshold: 5,
      windowMinutes: 15,
      hasWebhook: false,
      webhookUrl: null,
    })
    expectOk(await graphql(t, DeleteAlertRuleDocument, { id: created.id }, as('olivia', 'acme')))
    expect(codeOf(await graphql(t, AlertRuleDocument, { id: created.id }, as('olivia', 'acme')))).toBe(
      'NOT_FOUND',
    )
  })

  it('refuses changes by supervisors, workers, API tokens, other organizations and owners outside their organization', async () => {
    const input: AlertRuleInput = { name: 'Nope', kind: 'NO_EVENTS' }
    for (const headers of [
      as('sue', 'acme'),
      as('walt', 'acme'),
      as('gina', 'globex'),
      as('olivia'), // outside the organization's context: her own events only
      { authorization: bearer(TOKENS.oliviaRead), 'x-organization': 'acme' },
    ]) {
      const result = await create(input, headers)
      expect(codeOf(result), JSON.stringify(headers)).toBe('FORBIDDEN')
      expect(result.status).toBe(403)
    }
    expect(codeOf(await create({ ...input, orgId: '8' }, as('olivia', 'acme')))).toBe('FORBIDDEN')
    expect(codeOf(await create({ ...input, orgId: null }, as('olivia', 'acme')))).toBe('FORBIDDEN')
    expect(
      codeOf(await create({ ...input, filter: { userIds: ['1'], orgIds: ['8'] } }, as('olivia', 'acme'))),
    ).toBe('FORBIDDEN')
    expect(codeOf(await graphql(t, AlertRulesDocument, {}, { authorization: bearer(TOKENS.ingest) }))).toBe(
      'FORBIDDEN',
    )
  })

  it('shows workers only the rules whose filter names them, without webhook or delivery log; admins see every rule', async () => {
    const org = await createRule(t, { name: 'Acme quiet', kind: 'NO_EVENTS', webhookUrl: hook.url })
    const walts = await createRule(t, {
      name: "Walt's errors",
      kind: 'EXCEPTION_SPIKE',
      filter: { userIds: ['13'] },
      webhookUrl: hook.url,
    })
    const global = await createRule(
      t,
      { name: 'Everyone quiet', kind: 'NO_EVENTS', orgId: null },
      'admin',
      null,
    )
    expect(await list('walt', 'acme')).toEqual(["Walt's errors"])
    expect(await list('walt')).toEqual(["Walt's errors"])
    expect(await list('sue', 'acme')).toEqual([])
    expect(await list('gina', 'globex')).toEqual([])
    expect(await list('olivia', 'acme')).toEqual(['Acme quiet', "Walt's errors"])
    expect(await list('admin', 'acme')).toEqual(['Acme quiet', "Walt's errors"])
    expect(await list('admin')).toEqual(['Acme quiet', "Walt's errors", 'Everyone quiet'])
    expect(await list('olivia')).toEqual([])
    const seen = expectOk(await graphql(t, AlertRuleDocument, { id: walts.id }, as('walt', 'acme'))).alertRule
    expect(seen).toMatchObject({ hasWebhook: true, webhookUrl: null, deliveries: [] })
    expect(codeOf(await graphql(t, AlertRuleDocument, { id: org.id }, as('walt', 'acme')))).toBe('NOT_FOUND')
    // Walt reads his rule but may not change it.
    const update = await graphql(
      t,
      UpdateAlertRuleDocument,
      { id: walts.id, input: { threshold: 2 } },
      as('walt', 'acme'),
    )
    expect(codeOf(update)).toBe('FORBIDDEN')
    for (const rule of [org, walts, global]) {
      expectOk(await graphql(t, DeleteAlertRuleDocument, { id: rule.id }, as('admin')))
    }
  })
})

describe('bad input', () => {
  const cases: [string, AlertRuleInput, string][] = [
    ['name', { name: '  ', kind: 'NO_EVENTS' }, 'name'],
    ['no name', { kind: 'NO_EVENTS' }, 'name'],
    ['no kind', { name: 'x' }, 'kind'],
    ['window 0', { name: 'x', kind: 'NO_EVENTS', windowMinutes: 0 }, 'windowMinutes'],
    ['window past a week', { name: 'x', kind: 'NO_EVENTS', windowMinutes: 10081 }, 'windowMinutes'],
    ['threshold 0', { name: 'x', kind: 'EXCEPTION_SPIKE', threshold: 0 }, 'threshold'],
    ['negative factor', { name: 'x', kind: 'EXCEPTION_SPIKE', factor: -1 }, 'factor'],
    [
      'a time range',
      { name: 'x', kind: 'NO_EVENTS', filter: { from: '2026-01-01T00:00:00Z' } },
      'filter.from',
    ],
    ['a bad id', { name: 'x', kind: 'NO_EVENTS', filter: { jobIds: ['x1'] } }, 'filter.jobIds'],
    ['a bad org id', { name: 'x', kind: 'NO_EVENTS', orgId: 'acme' }, 'orgId'],
    ['a short secret', { name: 'x', kind: 'NO_EVENTS', webhookSecret: 'short' }, 'webhookSecret'],
    ['not a URL', { name: 'x', kind: 'NO_EVENTS', webhookUrl: 'hooks.slack.com/x' }, 'webhookUrl'],
    ['another scheme', { name: 'x', kind: 'NO_EVENTS', webhookUrl: 'ftp://example.com/x' }, 'webhookUrl'],
    ['quarantine in an org', { name: 'x', kind: 'QUARANTINE' }, 'kind'],
  ]
  it.each(cases)('names the field of %s (BAD_USER_INPUT, 400)', async (_case, input, field) => {
    const result = await create(input, as('olivia', 'acme'))
    expect(codeOf(result)).toBe('BAD_USER_INPUT')
    expect(result.status).toBe(400)
    expect(result.errors?.[0]?.message.startsWith(`${field}: `), result.errors?.[0]?.message).toBe(true)
    expect(result.errors?.[0]?.extensions?.field ?? field).toBe(field)
  })

  it('refuses to change the kind or the organization of a rule', async () => {
    const rule = await createRule(t, { name: 'Fixed', kind: 'NO_EVENTS' })
    for (const [input, field] of [
      [{ kind: 'IDLE_JOB' }, 'kind'],
      [{ orgId: '8' }, 'orgId'],
      [{ name: null }, 'name'],
    ] as const) {
      const result = await graphql(t, UpdateAlertRuleDocument, { id: rule.id, input }, as('olivia', 'acme'))
      expect(codeOf(result)).toBe('BAD_USER_INPUT')
      expect(result.errors?.[0]?.message).toMatch(new RegExp(`^${field}: `))
    }
    expectOk(await graphql(t, DeleteAlertRuleDocument, { id: rule.id }, as('olivia', 'acme')))
  })
})

describe('webhook addresses', () => {
  it('accepts loopback and private addresses with ALERT_WEBHOOK_ALLOW_PRIVATE (alert-webhook-addresses.test.ts: refused without)', async () => {
    const rule = await createRule(t, {
      name: 'Inside',
      kind: 'NO_EVENTS',
      webhookUrl: 'http://127.0.0.1:8080/hook',
    })
    expect(rule.webhookUrl).toBe('http://127.0.0.1:8080/hook')
    expectOk(await graphql(t, DeleteAlertRuleDocument, { id: rule.id }, as('olivia', 'acme')))
  })
})

describe('Subscription.alerts', () => {
  it("pushes firings and resolutions to the organization's readers over WebSocket and SSE, and nothing to others", async () => {
    const subscribe = (person: Person, org?: string) => {
      const socket = liveSocket(url, {
        authorization: basic(person),
        ...(org ? { 'x-organization': org } : {}),
      })
      sockets.push(socket)
      return socket.subscribe(LiveAlertsDocument)
    }
    const owner = subscribe('olivia', 'acme')
    const worker = subscribe('walt', 'acme')
    const other = subscribe('gina', 'globex')
    const admin = subscribe('admin')
    const sse = sseSubscribe(url, LiveAlertsDocument, {}, as('mark', 'acme'))
    await sse.response
    // Subscriptions are registered by the time the server has answered a later request on them.
    await expect.poll(() => t.app.services.alerts.feed.size).toBe(5)
    const rule = await createRule(t, {
      name: 'Live quiet',
      kind: 'NO_EVENTS',
      windowMinutes: 5,
      filter: { objNames: ['live'] },
    })
    expect(await t.app.services.alerts.evaluateNow()).toBe(true)
    await expect.poll(() => owner.data.length).toBe(1)
    await expect.poll(() => sse.data.length).toBe(1)
    await expect.poll(() => admin.data.length).toBe(1)
    expect(owner.data[0]?.alerts).toMatchObject({
      state: 'FIRING',
      ruleId: rule.id,
      ruleName: 'Live quiet',
      kind: 'NO_EVENTS',
      orgId: '7',
      orgSlug: 'acme',
      value: 0,
      threshold: 1,
      windowMinutes: 5,
    })
    expect(owner.data[0]?.alerts.text).toMatch(
      /^FIRING: No events "Live quiet" \(acme\): no events in the last 5 min/,
    )
    expect(sse.data[0]?.alerts.id).toBe(owner.data[0]?.alerts.id)
    await store(t, [eventAt(clock.ms, { objName: 'live' })])
    clock.advance(MINUTE)
    expect(await t.app.services.alerts.evaluateNow()).toBe(true)
    await expect.poll(() => owner.data.map((d) => d.alerts.state)).toEqual(['FIRING', 'RESOLVED'])
    await expect.poll(() => sse.data.map((d) => d.alerts.state)).toEqual(['FIRING', 'RESOLVED'])
    expect(worker.data).toEqual([])
    expect(other.data).toEqual([])
    expect(worker.error).toBeUndefined()
    sse.stop()
    expectOk(await graphql(t, DeleteAlertRuleDocument, { id: rule.id }, as('olivia', 'acme')))
  })
})
